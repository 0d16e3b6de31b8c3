/* opendir/readdir/closedir over getdents64 (linux_dirent64 records). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys.h>
#include <unistd.h>

struct DIR {
  int fd;
  int pos;
  int len;
  struct dirent ent;
  char buf[2048];
};

DIR *opendir(const char *path) {
  int fd = open(path, O_RDONLY | O_DIRECTORY);
  if (fd < 0) return NULL;
  DIR *d = malloc(sizeof *d);
  if (!d) {
    close(fd);
    return NULL;
  }
  d->fd = fd;
  d->pos = d->len = 0;
  return d;
}

struct dirent *readdir(DIR *d) {
  if (d->pos >= d->len) {
    long r = sys_getdents64(d->fd, d->buf, sizeof d->buf);
    if (r <= 0) {
      if (r < 0) errno = (int)-r;
      return NULL;
    }
    d->len = (int)r;
    d->pos = 0;
  }
  const unsigned char *rec = (const unsigned char *)d->buf + d->pos;
  uint32_t lo, hi;
  uint16_t reclen;
  memcpy(&lo, rec, 4);
  memcpy(&hi, rec + 4, 4);
  memcpy(&reclen, rec + 16, 2);
  d->ent.d_ino = ((unsigned long long)hi << 32) | lo;
  d->ent.d_type = rec[18];
  strlcpy(d->ent.d_name, (const char *)rec + 19, sizeof d->ent.d_name);
  d->pos += reclen;
  return &d->ent;
}

int closedir(DIR *d) {
  int r = close(d->fd);
  free(d);
  return r;
}
