/* printf, fprintf, dprintf, sprintf, snprintf and their v* forms over the engine. */
#include <stdio.h>
#include <sys.h>
#include "format.h"


static void file_sink(void *ctx, const char *s, size_t n) { fwrite(s, 1, n, (FILE *)ctx); }

int vfprintf(FILE *f, const char *fmt, va_list ap) { return __vformat(file_sink, f, fmt, ap); }
int vprintf(const char *fmt, va_list ap) { return vfprintf(stdout, fmt, ap); }

int fprintf(FILE *f, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vfprintf(f, fmt, ap);
  va_end(ap);
  return n;
}

int printf(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vfprintf(stdout, fmt, ap);
  va_end(ap);
  return n;
}

/* dprintf: straight to a descriptor through a small buffer. */
struct fd_ctx {
  int fd;
  int len;
  char buf[256];
};

static void fd_flush(struct fd_ctx *c) {
  const char *p = c->buf;
  int n = c->len;
  while (n > 0) {
    long r = sys_write(c->fd, p, (size_t)n);
    if (r <= 0) break;
    p += r;
    n -= (int)r;
  }
  c->len = 0;
}

static void fd_sink(void *ctx, const char *s, size_t n) {
  struct fd_ctx *c = ctx;
  for (size_t i = 0; i < n; i++) {
    if (c->len == (int)sizeof c->buf) fd_flush(c);
    c->buf[c->len++] = s[i];
  }
}

int vdprintf(int fd, const char *fmt, va_list ap) {
  struct fd_ctx c;
  c.fd = fd;
  c.len = 0;
  int n = __vformat(fd_sink, &c, fmt, ap);
  fd_flush(&c);
  return n;
}

int dprintf(int fd, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vdprintf(fd, fmt, ap);
  va_end(ap);
  return n;
}

/* snprintf: never writes past size; always terminates when size > 0; returns the full length. */
struct buf_ctx {
  char *buf;
  size_t size;
  size_t pos;
};

static void buf_sink(void *ctx, const char *s, size_t n) {
  struct buf_ctx *c = ctx;
  for (size_t i = 0; i < n; i++) {
    if (c->size && c->pos < c->size - 1) c->buf[c->pos] = s[i];
    c->pos++;
  }
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap) {
  struct buf_ctx c;
  c.buf = buf;
  c.size = size;
  c.pos = 0;
  int n = __vformat(buf_sink, &c, fmt, ap);
  if (size) buf[c.pos < size ? c.pos : size - 1] = 0;
  return n;
}

int vsprintf(char *buf, const char *fmt, va_list ap) { return vsnprintf(buf, 0x7fffffff, fmt, ap); }

int snprintf(char *buf, size_t size, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(buf, size, fmt, ap);
  va_end(ap);
  return n;
}

int sprintf(char *buf, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsprintf(buf, fmt, ap);
  va_end(ap);
  return n;
}
