/* dirent.h: opendir/readdir over getdents64. */
#ifndef _DIRENT_H
#define _DIRENT_H
#include <sys/types.h>
#define DT_UNKNOWN 0
#define DT_FIFO 1
#define DT_CHR 2
#define DT_DIR 4
#define DT_REG 8
struct dirent {
  unsigned long long d_ino;
  unsigned char d_type;
  char d_name[256];
};
typedef struct DIR DIR;
DIR *opendir(const char *path);
struct dirent *readdir(DIR *d);
int closedir(DIR *d);
#endif
