/* stdlib: number parsing, qsort, bsearch, abs, getenv, rand. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int digit_value(int c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'z') return c - 'a' + 10;
  if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
  return 99;
}

/* The common parser: magnitude (saturated at `limit`), sign, end pointer. */
static unsigned long long parse(const char *s, char **end, int base, unsigned long long limit,
                                int *neg, int *overflow) {
  const char *p = s;
  *neg = 0;
  *overflow = 0;
  while (isspace((unsigned char)*p)) p++;
  if (*p == '+' || *p == '-') *neg = *p++ == '-';
  if ((base == 0 || base == 16) && p[0] == '0' && (p[1] == 'x' || p[1] == 'X') &&
      digit_value((unsigned char)p[2]) < 16) {
    p += 2;
    base = 16;
  } else if (base == 0) {
    base = p[0] == '0' ? 8 : 10;
  }
  if (base < 2 || base > 36) {
    errno = EINVAL;
    if (end) *end = (char *)s;
    return 0;
  }
  unsigned long long v = 0;
  const char *digits = p;
  while (digit_value((unsigned char)*p) < base) {
    unsigned d = (unsigned)digit_value((unsigned char)*p++);
    if (v > (limit - d) / (unsigned)base) *overflow = 1;
    else v = v * (unsigned)base + d;
  }
  if (end) *end = (char *)(p == digits ? s : p);
  return v;
}

long long strtoll(const char *s, char **end, int base) {
  int neg, ov;
  unsigned long long v = parse(s, end, base, (unsigned long long)LLONG_MAX + 1, &neg, &ov);
  if (!neg && v > (unsigned long long)LLONG_MAX) ov = 1;
  if (ov) {
    errno = ERANGE;
    return neg ? LLONG_MIN : LLONG_MAX;
  }
  return neg ? (long long)(0ull - v) : (long long)v;
}

long strtol(const char *s, char **end, int base) {
  int neg, ov;
  unsigned long long v = parse(s, end, base, (unsigned long long)LONG_MAX + 1, &neg, &ov);
  if (!neg && v > (unsigned long long)LONG_MAX) ov = 1;
  if (ov) {
    errno = ERANGE;
    return neg ? LONG_MIN : LONG_MAX;
  }
  return neg ? (long)(0ul - (unsigned long)v) : (long)v;
}

unsigned long long strtoull(const char *s, char **end, int base) {
  int neg, ov;
  unsigned long long v = parse(s, end, base, ULLONG_MAX, &neg, &ov);
  if (ov) {
    errno = ERANGE;
    return ULLONG_MAX;
  }
  return neg ? 0ull - v : v;
}

unsigned long strtoul(const char *s, char **end, int base) {
  int neg, ov;
  unsigned long long v = parse(s, end, base, ULONG_MAX, &neg, &ov);
  if (ov) {
    errno = ERANGE;
    return ULONG_MAX;
  }
  return neg ? 0ul - (unsigned long)v : (unsigned long)v;
}

int atoi(const char *s) { return (int)strtol(s, NULL, 10); }
long atol(const char *s) { return strtol(s, NULL, 10); }
int abs(int x) { return x < 0 ? -x : x; }
long labs(long x) { return x < 0 ? -x : x; }
long long llabs(long long x) { return x < 0 ? -x : x; }

static void swap_bytes(char *a, char *b, size_t n) {
  while (n--) {
    char t = *a;
    *a++ = *b;
    *b++ = t;
  }
}

/* qsort: insertion sort for short runs, otherwise median-of-three quicksort recursing on the
 * smaller side (stack depth O(log n)). */
static void sort(char *base, size_t n, size_t size, int (*cmp)(const void *, const void *)) {
  while (n > 8) {
    char *lo = base;
    char *mid = base + (n / 2) * size;
    char *hi = base + (n - 1) * size;
    if (cmp(mid, lo) < 0) swap_bytes(mid, lo, size);
    if (cmp(hi, mid) < 0) {
      swap_bytes(hi, mid, size);
      if (cmp(mid, lo) < 0) swap_bytes(mid, lo, size);
    }
    swap_bytes(mid, hi - size, size); /* pivot parked at hi - 1 */
    char *pivot = hi - size;
    char *i = lo;
    char *j = pivot;
    for (;;) {
      do i += size;
      while (cmp(i, pivot) < 0);
      do j -= size;
      while (j > lo && cmp(j, pivot) > 0);
      if (i >= j) break;
      swap_bytes(i, j, size);
    }
    swap_bytes(i, pivot, size);
    size_t left = (size_t)(i - base) / size;
    size_t right = n - left - 1;
    if (left < right) {
      sort(base, left, size, cmp);
      base = i + size;
      n = right;
    } else {
      sort(i + size, right, size, cmp);
      n = left;
    }
  }
  for (size_t a = 1; a < n; a++)
    for (size_t b = a; b > 0 && cmp(base + (b - 1) * size, base + b * size) > 0; b--)
      swap_bytes(base + (b - 1) * size, base + b * size, size);
}

void qsort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *)) {
  if (n > 1 && size > 0) sort(base, n, size, cmp);
}

void *bsearch(const void *key, const void *base, size_t n, size_t size,
              int (*cmp)(const void *, const void *)) {
  const char *b = base;
  size_t lo = 0;
  size_t hi = n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int c = cmp(key, b + mid * size);
    if (c == 0) return (void *)(b + mid * size);
    if (c < 0) hi = mid;
    else lo = mid + 1;
  }
  return NULL;
}

char *getenv(const char *name) {
  if (!environ) return NULL;
  size_t n = strlen(name);
  for (char **e = environ; *e; e++)
    if (strncmp(*e, name, n) == 0 && (*e)[n] == '=') return *e + n + 1;
  return NULL;
}

static unsigned long rand_state = 1;
int rand(void) {
  rand_state = rand_state * 1103515245ul + 12345ul;
  return (int)((rand_state >> 1) & RAND_MAX);
}
void srand(unsigned seed) { rand_state = seed; }
