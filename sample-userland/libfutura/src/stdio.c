/* Streams: FILE over a file descriptor with a write buffer (stdout: line-buffered on the console,
 * fully buffered otherwise; stderr: unbuffered) and a read buffer. Reading stdin flushes stdout
 * first so prompts appear. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys.h>
#include <sys/stat.h>
#include <unistd.h>

#define MODE_UNSET (-1)

struct FILE {
  int fd;
  int mode; /* _IONBF, _IOLBF, _IOFBF, or MODE_UNSET (decided at first write) */
  int eof;
  int err;
  int wlen;
  int rpos;
  int rlen;
  int ungot;
  struct FILE *next;
  char wbuf[BUFSIZ];
  char rbuf[BUFSIZ];
};

static struct FILE std_in = {0, _IOLBF, 0, 0, 0, 0, 0, -1, NULL, {0}, {0}};
static struct FILE std_out = {1, MODE_UNSET, 0, 0, 0, 0, 0, -1, NULL, {0}, {0}};
static struct FILE std_err = {2, _IONBF, 0, 0, 0, 0, 0, -1, NULL, {0}, {0}};
FILE *stdin = &std_in;
FILE *stdout = &std_out;
FILE *stderr = &std_err;
static struct FILE *open_files;

static int write_all(int fd, const char *p, size_t n) {
  while (n) {
    long r = sys_write(fd, p, n);
    if (r < 0) {
      errno = (int)-r;
      return -1;
    }
    p += r;
    n -= (size_t)r;
  }
  return 0;
}

int fflush(FILE *f) {
  if (!f) {
    fflush(stdout);
    for (struct FILE *p = open_files; p; p = p->next) fflush(p);
    return 0;
  }
  if (f->wlen == 0) return 0;
  int r = write_all(f->fd, f->wbuf, (size_t)f->wlen);
  f->wlen = 0;
  if (r < 0) {
    f->err = 1;
    return EOF;
  }
  return 0;
}

void __stdio_flush_all(void) { fflush(NULL); }

static void decide_mode(FILE *f) {
  if (f->mode != MODE_UNSET) return;
  f->mode = isatty(f->fd) ? _IOLBF : _IOFBF;
}

/* Writes n bytes through the stream's buffer. */
static int put_bytes(FILE *f, const char *s, size_t n) {
  decide_mode(f);
  if (f->mode == _IONBF) {
    if (write_all(f->fd, s, n) < 0) {
      f->err = 1;
      return EOF;
    }
    return 0;
  }
  int newline = 0;
  for (size_t i = 0; i < n; i++) {
    if (f->wlen == BUFSIZ && fflush(f) == EOF) return EOF;
    f->wbuf[f->wlen++] = s[i];
    if (s[i] == '\n') newline = 1;
  }
  if (newline && f->mode == _IOLBF) return fflush(f);
  return 0;
}

int setvbuf(FILE *f, char *buf, int mode, size_t size) {
  (void)buf;
  (void)size;
  fflush(f);
  f->mode = mode;
  return 0;
}

int fputc(int c, FILE *f) {
  char ch = (char)c;
  return put_bytes(f, &ch, 1) == EOF ? EOF : (unsigned char)ch;
}
int putc(int c, FILE *f) { return fputc(c, f); }
int putchar(int c) { return fputc(c, stdout); }

int fputs(const char *s, FILE *f) { return put_bytes(f, s, strlen(s)) == EOF ? EOF : 1; }

int puts(const char *s) {
  if (put_bytes(stdout, s, strlen(s)) == EOF) return EOF;
  return put_bytes(stdout, "\n", 1) == EOF ? EOF : 1;
}

size_t fwrite(const void *buf, size_t size, size_t n, FILE *f) {
  if (size == 0 || n == 0) return 0;
  return put_bytes(f, buf, size * n) == EOF ? 0 : n;
}

static int fill(FILE *f) {
  if (f == stdin) fflush(stdout);
  long r = sys_read(f->fd, f->rbuf, BUFSIZ);
  if (r < 0) {
    errno = (int)-r;
    f->err = 1;
    return EOF;
  }
  if (r == 0) {
    f->eof = 1;
    return EOF;
  }
  f->rpos = 0;
  f->rlen = (int)r;
  return 0;
}

int fgetc(FILE *f) {
  if (f->ungot >= 0) {
    int c = f->ungot;
    f->ungot = -1;
    return c;
  }
  if (f->rpos == f->rlen && fill(f) == EOF) return EOF;
  return (unsigned char)f->rbuf[f->rpos++];
}
int getc(FILE *f) { return fgetc(f); }
int getchar(void) { return fgetc(stdin); }

char *fgets(char *buf, int size, FILE *f) {
  if (size <= 0) return NULL;
  int n = 0;
  while (n < size - 1) {
    int c = fgetc(f);
    if (c == EOF) break;
    buf[n++] = (char)c;
    if (c == '\n') break;
  }
  if (n == 0) return NULL;
  buf[n] = 0;
  return buf;
}

size_t fread(void *buf, size_t size, size_t n, FILE *f) {
  size_t total = size * n;
  size_t got = 0;
  char *p = buf;
  while (got < total) {
    int c = fgetc(f);
    if (c == EOF) break;
    p[got++] = (char)c;
  }
  return size ? got / size : 0;
}

FILE *fdopen(int fd, const char *mode) {
  (void)mode;
  struct FILE *f = calloc(1, sizeof *f);
  if (!f) return NULL;
  f->fd = fd;
  f->mode = _IOFBF;
  f->ungot = -1;
  f->next = open_files;
  open_files = f;
  return f;
}

FILE *fopen(const char *path, const char *mode) {
  int flags;
  int plus = strchr(mode, '+') != NULL;
  if (mode[0] == 'r') flags = plus ? O_RDWR : O_RDONLY;
  else if (mode[0] == 'w') flags = (plus ? O_RDWR : O_WRONLY) | O_CREAT | O_TRUNC;
  else if (mode[0] == 'a') flags = (plus ? O_RDWR : O_WRONLY) | O_CREAT | O_APPEND;
  else {
    errno = EINVAL;
    return NULL;
  }
  int fd = open(path, flags, 0644);
  if (fd < 0) return NULL;
  FILE *f = fdopen(fd, mode);
  if (!f) close(fd);
  return f;
}

int fclose(FILE *f) {
  int r = fflush(f);
  if (f == stdin || f == stdout || f == stderr) return r;
  struct FILE **pp = &open_files;
  while (*pp && *pp != f) pp = &(*pp)->next;
  if (*pp) *pp = f->next;
  if (close(f->fd) < 0) r = EOF;
  free(f);
  return r;
}

int fileno(FILE *f) { return f->fd; }
int feof(FILE *f) { return f->eof; }
int ferror(FILE *f) { return f->err; }
void clearerr(FILE *f) {
  f->eof = 0;
  f->err = 0;
}

void perror(const char *s) {
  if (s && *s) fprintf(stderr, "%s: %s\n", s, strerror(errno));
  else fprintf(stderr, "%s\n", strerror(errno));
}

int remove(const char *path) {
  if (unlink(path) == 0) return 0;
  return rmdir(path);
}
