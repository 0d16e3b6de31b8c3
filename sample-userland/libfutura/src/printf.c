/* The printf engine: flags (- + space # 0), width and precision (digits or *), length modifiers
 * hh h l ll z j t (L accepted and treated as double), conversions d i u x X o c s p n f F e E g G
 * and %%. Floating point output is exact (see fdigits.c) and matches glibc. */
#include <stdint.h>
#include <string.h>
#include "format.h"

#define F_MINUS 1
#define F_PLUS 2
#define F_SPACE 4
#define F_HASH 8
#define F_ZERO 16

#define MAX_FLOAT_PREC 700

struct spec {
  int flags;
  int width;
  int prec; /* -1 = none */
  int upper;
};

struct out {
  fmt_sink sink;
  void *ctx;
  int count;
};

static void emit(struct out *o, const char *s, size_t n) {
  if (n) o->sink(o->ctx, s, n);
  o->count += (int)n;
}

static void pad(struct out *o, char c, int n) {
  char buf[32];
  memset(buf, c, sizeof buf);
  while (n > 0) {
    int k = n > 32 ? 32 : n;
    emit(o, buf, (size_t)k);
    n -= k;
  }
}

/* Emits prefix (sign, 0x) and body with width padding: zero padding goes between them. */
static void field(struct out *o, const struct spec *sp, const char *prefix, const char *body,
                  int body_len, int zero_ok) {
  int plen = (int)strlen(prefix);
  int total = plen + body_len;
  int padn = sp->width > total ? sp->width - total : 0;
  if (sp->flags & F_MINUS) {
    emit(o, prefix, (size_t)plen);
    emit(o, body, (size_t)body_len);
    pad(o, ' ', padn);
  } else if ((sp->flags & F_ZERO) && zero_ok) {
    emit(o, prefix, (size_t)plen);
    pad(o, '0', padn);
    emit(o, body, (size_t)body_len);
  } else {
    pad(o, ' ', padn);
    emit(o, prefix, (size_t)plen);
    emit(o, body, (size_t)body_len);
  }
}

static void fmt_int(struct out *o, const struct spec *sp, unsigned long long v, int neg, int base,
                    char conv) {
  char buf[80];
  int pos = (int)sizeof buf;
  const char *dig = sp->upper ? "0123456789ABCDEF" : "0123456789abcdef";
  if (v <= 0xffffffffull) {
    uint32_t x = (uint32_t)v;
    while (x) {
      buf[--pos] = dig[x % (uint32_t)base];
      x /= (uint32_t)base;
    }
  } else {
    while (v) {
      buf[--pos] = dig[v % (unsigned)base];
      v /= (unsigned)base;
    }
  }
  int ndig = (int)sizeof buf - pos;
  int is_zero = ndig == 0;
  int prec = sp->prec < 0 ? 1 : sp->prec;
  if (prec > 60) prec = 60;
  while ((int)sizeof buf - pos < prec) buf[--pos] = '0';
  if (conv == 'o' && (sp->flags & F_HASH) && (pos == (int)sizeof buf || buf[pos] != '0'))
    buf[--pos] = '0';
  char prefix[4] = {0, 0, 0, 0};
  int pl = 0;
  if (conv == 'd' || conv == 'i') {
    if (neg) prefix[pl++] = '-';
    else if (sp->flags & F_PLUS) prefix[pl++] = '+';
    else if (sp->flags & F_SPACE) prefix[pl++] = ' ';
  } else if ((conv == 'x' || conv == 'X') && (sp->flags & F_HASH) && !is_zero) {
    prefix[pl++] = '0';
    prefix[pl++] = conv;
  } else if (conv == 'p') {
    prefix[pl++] = '0';
    prefix[pl++] = 'x';
  }
  field(o, sp, prefix, buf + pos, (int)sizeof buf - pos, sp->prec < 0);
}

/* Rounds digits[0..*n) to `keep` digits, ties to even; may add a leading '1' (dexp grows). */
static void round_digits(char *d, int *n, int *dexp, int keep) {
  if (keep >= *n) return;
  if (keep < 0) {
    *n = 0;
    return;
  }
  int up = 0;
  char r = d[keep];
  if (r > '5') up = 1;
  else if (r == '5') {
    int more = 0;
    for (int i = keep + 1; i < *n; i++)
      if (d[i] != '0') more = 1;
    up = more || (keep > 0 && ((d[keep - 1] - '0') & 1));
  }
  *n = keep;
  if (!up) return;
  int i = keep - 1;
  while (i >= 0 && d[i] == '9') {
    d[i] = '0';
    i--;
  }
  if (i >= 0) {
    d[i]++;
  } else {
    memmove(d + 1, d, (size_t)keep);
    d[0] = '1';
    (*n)++;
    (*dexp)++;
  }
}

static char digit_at(const char *d, int n, int i) { return i >= 0 && i < n ? d[i] : '0'; }

/* Fixed notation of the (already rounded) digits with `prec` fraction digits. */
static int put_fixed(char *b, const char *d, int n, int dexp, int prec, int hash) {
  int len = 0;
  if (dexp <= 0) b[len++] = '0';
  for (int i = 0; i < dexp; i++) b[len++] = digit_at(d, n, i);
  if (prec > 0 || hash) b[len++] = '.';
  for (int j = 0; j < prec; j++) b[len++] = digit_at(d, n, dexp + j);
  return len;
}

static int put_exp(char *b, const char *d, int n, int x, int prec, int hash, int upper) {
  int len = 0;
  b[len++] = d[0];
  if (prec > 0 || hash) b[len++] = '.';
  for (int j = 1; j <= prec; j++) b[len++] = digit_at(d, n, j);
  b[len++] = upper ? 'E' : 'e';
  b[len++] = x < 0 ? '-' : '+';
  int ax = x < 0 ? -x : x;
  if (ax >= 100) b[len++] = (char)('0' + ax / 100);
  b[len++] = (char)('0' + ax / 10 % 10);
  b[len++] = (char)('0' + ax % 10);
  return len;
}

static void strip_zeros(char *b, int *len) {
  int dot = -1;
  int e = *len;
  for (int i = 0; i < *len; i++) {
    if (b[i] == '.') dot = i;
    if (b[i] == 'e' || b[i] == 'E') {
      e = i;
      break;
    }
  }
  if (dot < 0) return;
  int end = e;
  while (end > dot + 1 && b[end - 1] == '0') end--;
  if (end == dot + 1) end = dot;
  memmove(b + end, b + e, (size_t)(*len - e));
  *len = end + (*len - e);
}

static void fmt_float(struct out *o, const struct spec *sp, double v, char conv) {
  uint64_t bits;
  memcpy(&bits, &v, sizeof bits);
  int neg = (int)(bits >> 63);
  char prefix[2] = {0, 0};
  if (neg) prefix[0] = '-';
  else if (sp->flags & F_PLUS) prefix[0] = '+';
  else if (sp->flags & F_SPACE) prefix[0] = ' ';
  int lower = conv >= 'a';
  if (((bits >> 52) & 0x7ff) == 0x7ff) {
    const char *s = (bits & 0xfffffffffffffull) ? (lower ? "nan" : "NAN") : (lower ? "inf" : "INF");
    field(o, sp, prefix, s, 3, 0);
    return;
  }
  if (neg) v = -v;
  /* Static: a %f of 1e308 needs ~2 KiB of digits, more than a small stack frame should hold
   * (and printf is not re-entered: libfutura tasks are single-threaded). */
  static char d[800];
  int dexp;
  int n = __double_digits(v, d, &dexp);
  int is_zero = n == 1 && d[0] == '0';
  int prec = sp->prec < 0 ? 6 : sp->prec;
  if (prec > MAX_FLOAT_PREC) prec = MAX_FLOAT_PREC;
  int hash = (sp->flags & F_HASH) != 0;
  static char b[1200];
  int len;
  char c = (char)(lower ? conv : conv + 32);
  if (c == 'f') {
    if (!is_zero) round_digits(d, &n, &dexp, dexp + prec);
    if (n == 0) dexp = 0;
    len = put_fixed(b, d, n, dexp, prec, hash);
  } else if (c == 'e') {
    if (is_zero) dexp = 1;
    else round_digits(d, &n, &dexp, prec + 1);
    len = put_exp(b, d, n, dexp - 1, prec, hash, !lower);
  } else {
    int p = sp->prec < 0 ? 6 : sp->prec == 0 ? 1 : prec;
    int x = 0;
    if (!is_zero) {
      round_digits(d, &n, &dexp, p);
      x = dexp - 1;
    }
    if (p > x && x >= -4) len = put_fixed(b, d, n, is_zero ? 1 : dexp, p - 1 - x, hash);
    else len = put_exp(b, d, n, x, p - 1, hash, !lower);
    if (!hash) strip_zeros(b, &len);
  }
  field(o, sp, prefix, b, len, 1);
}

static void fmt_str(struct out *o, const struct spec *sp, const char *s) {
  if (!s) s = "(null)";
  int len = sp->prec >= 0 ? (int)strnlen(s, (size_t)sp->prec) : (int)strlen(s);
  field(o, sp, "", s, len, 0);
}

int __vformat(fmt_sink sink, void *ctx, const char *fmt, va_list ap) {
  struct out o;
  o.sink = sink;
  o.ctx = ctx;
  o.count = 0;
  while (*fmt) {
    if (*fmt != '%') {
      const char *start = fmt;
      while (*fmt && *fmt != '%') fmt++;
      emit(&o, start, (size_t)(fmt - start));
      continue;
    }
    const char *spec_start = fmt;
    fmt++;
    struct spec sp;
    sp.flags = 0;
    sp.width = 0;
    sp.prec = -1;
    sp.upper = 0;
    for (;; fmt++) {
      if (*fmt == '-') sp.flags |= F_MINUS;
      else if (*fmt == '+') sp.flags |= F_PLUS;
      else if (*fmt == ' ') sp.flags |= F_SPACE;
      else if (*fmt == '#') sp.flags |= F_HASH;
      else if (*fmt == '0') sp.flags |= F_ZERO;
      else break;
    }
    if (*fmt == '*') {
      sp.width = va_arg(ap, int);
      if (sp.width < 0) {
        sp.flags |= F_MINUS;
        sp.width = -sp.width;
      }
      fmt++;
    } else {
      while (*fmt >= '0' && *fmt <= '9') sp.width = sp.width * 10 + (*fmt++ - '0');
    }
    if (*fmt == '.') {
      fmt++;
      sp.prec = 0;
      if (*fmt == '*') {
        sp.prec = va_arg(ap, int);
        if (sp.prec < 0) sp.prec = -1;
        fmt++;
      } else {
        while (*fmt >= '0' && *fmt <= '9') sp.prec = sp.prec * 10 + (*fmt++ - '0');
      }
    }
    if (sp.width > 4096) sp.width = 4096;
    int len = 0; /* -2 hh, -1 h, 0 int, 1 long, 2 long long, 3 size_t/ptrdiff_t, 4 intmax_t */
    if (*fmt == 'h') {
      len = -1;
      if (*++fmt == 'h') {
        len = -2;
        fmt++;
      }
    } else if (*fmt == 'l') {
      len = 1;
      if (*++fmt == 'l') {
        len = 2;
        fmt++;
      }
    } else if (*fmt == 'z' || *fmt == 't') {
      len = 3;
      fmt++;
    } else if (*fmt == 'j') {
      len = 4;
      fmt++;
    } else if (*fmt == 'L') {
      fmt++;
    }
    char conv = *fmt;
    if (conv) fmt++;
    switch (conv) {
    case 'd':
    case 'i': {
      long long v;
      if (len == 2 || len == 4) v = va_arg(ap, long long);
      else if (len == 1) v = va_arg(ap, long);
      else if (len == 3) v = va_arg(ap, int);
      else v = va_arg(ap, int);
      if (len == -1) v = (short)v;
      if (len == -2) v = (signed char)v;
      unsigned long long u = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
      fmt_int(&o, &sp, u, v < 0, 10, 'd');
      break;
    }
    case 'u':
    case 'x':
    case 'X':
    case 'o': {
      unsigned long long v;
      if (len == 2 || len == 4) v = va_arg(ap, unsigned long long);
      else if (len == 1) v = va_arg(ap, unsigned long);
      else v = va_arg(ap, unsigned int);
      if (len == -1) v = (unsigned short)v;
      if (len == -2) v = (unsigned char)v;
      sp.upper = conv == 'X';
      fmt_int(&o, &sp, v, 0, conv == 'u' ? 10 : conv == 'o' ? 8 : 16, conv);
      break;
    }
    case 'p': {
      void *p = va_arg(ap, void *);
      if (!p) {
        sp.prec = -1;
        fmt_str(&o, &sp, "(nil)");
      } else {
        fmt_int(&o, &sp, (uintptr_t)p, 0, 16, 'p');
      }
      break;
    }
    case 'c': {
      char ch = (char)va_arg(ap, int);
      sp.prec = -1;
      field(&o, &sp, "", &ch, 1, 0);
      break;
    }
    case 's':
      fmt_str(&o, &sp, va_arg(ap, const char *));
      break;
    case 'f':
    case 'F':
    case 'e':
    case 'E':
    case 'g':
    case 'G':
      fmt_float(&o, &sp, va_arg(ap, double), conv);
      break;
    case 'n': {
      int *p = va_arg(ap, int *);
      if (p) *p = o.count;
      break;
    }
    case '%':
      emit(&o, "%", 1);
      break;
    default:
      /* Unknown conversion: print the directive as written. */
      emit(&o, spec_start, (size_t)(fmt - spec_start));
      break;
    }
  }
  return o.count;
}
