/* fscat: files through fsd instead of the kernel — `fscat FILE...` prints, `fscat -w FILE TEXT`
 * writes TEXT and a newline, `fscat -l DIR` lists, `fscat -s PATH` stats. A client of fsd's
 * protocol and of libfutura's request/reply helper. */
#include <errno.h>
#include <fcntl.h>
#include <fipc.h>
#include <fsd_proto.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static unsigned char buf[FSD_MAX_IO];

static int fsd(uint32_t op, const void *req, size_t len, size_t *got) {
  return fipc_request(FSD_SERVICE, op, req, len, buf, sizeof buf, got);
}

static int path_op(uint32_t op, uint32_t arg, uint32_t mode, const char *path, size_t *got) {
  struct fsd_path_req r;
  memset(&r, 0, sizeof r);
  r.arg = arg;
  r.mode = mode;
  strlcpy(r.path, path, sizeof r.path);
  return fsd(op, &r, 8 + strlen(r.path) + 1, got);
}

static int report(const char *what, int st) {
  fprintf(stderr, "fscat: %s: %s\n", what, strerror(-st));
  return 1;
}

int main(int argc, char **argv) {
  size_t got = 0;
  if (argc < 2) {
    fprintf(stderr, "usage: fscat FILE... | -w FILE TEXT | -l DIR | -s PATH\n");
    return 2;
  }
  if (strcmp(argv[1], "-s") == 0 && argc == 3) {
    int st = path_op(FSD_STAT, 0, 0, argv[2], &got);
    if (st < 0) return report(argv[2], st);
    struct fsd_stat s;
    memcpy(&s, buf, sizeof s);
    printf("%s: %s, %u bytes\n", argv[2], S_ISDIR(s.mode) ? "directory" : "file", (unsigned)s.size);
    return 0;
  }
  if (strcmp(argv[1], "-l") == 0 && argc == 3) {
    int h = path_op(FSD_OPEN, O_RDONLY | O_DIRECTORY, 0, argv[2], &got);
    if (h < 0) return report(argv[2], h);
    struct fsd_handle_req r = {(uint32_t)h, 0, 0};
    for (;;) {
      int n = fsd(FSD_READDIR, &r, sizeof r, &got);
      if (n <= 0) break;
      size_t pos = 0;
      for (int i = 0; i < n; i++) {
        const char *name = (const char *)buf + pos + 1;
        if (strcmp(name, ".") && strcmp(name, "..")) printf("%s\n", name);
        pos += 1 + strlen(name) + 1;
      }
    }
    fsd(FSD_CLOSE, &r, sizeof r, &got);
    return 0;
  }
  if (strcmp(argv[1], "-w") == 0 && argc == 4) {
    int h = path_op(FSD_OPEN, O_WRONLY | O_CREAT | O_TRUNC, 0644, argv[2], &got);
    if (h < 0) return report(argv[2], h);
    static unsigned char req[4 + 1024];
    uint32_t hh = (uint32_t)h;
    memcpy(req, &hh, 4);
    size_t n = strlcpy((char *)req + 4, argv[3], 1000);
    req[4 + n] = '\n';
    int st = fsd(FSD_WRITE, req, 4 + n + 1, &got);
    struct fsd_handle_req r = {hh, 0, 0};
    fsd(FSD_CLOSE, &r, sizeof r, &got);
    return st < 0 ? report(argv[2], st) : 0;
  }
  int status = 0;
  for (int i = 1; i < argc; i++) {
    int h = path_op(FSD_OPEN, O_RDONLY, 0, argv[i], &got);
    if (h < 0) {
      status = report(argv[i], h);
      continue;
    }
    struct fsd_handle_req r = {(uint32_t)h, FSD_MAX_IO, 0};
    for (;;) {
      int n = fsd(FSD_READ, &r, sizeof r, &got);
      if (n <= 0) break;
      fwrite(buf, 1, got, stdout);
    }
    fsd(FSD_CLOSE, &r, sizeof r, &got);
  }
  return status;
}
