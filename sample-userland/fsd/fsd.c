/* fsd: the filesystem façade over FIPC. Clients open files by path and get per-client handles
 * (keyed by the request's src_pid) that map to fsd's own descriptors; read, write, lseek,
 * readdir, stat, mkdir, rmdir, unlink. Registered as "fsd" (/run/fsd.pid). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fipc.h>
#include <fsd_proto.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_HANDLES 64

struct handle {
  int client; /* pid, 0 = free */
  int fd;
};
static struct handle handles[MAX_HANDLES];
static unsigned char msg_buf[FIPC_HEADER_SIZE + FIPC_MAX_PAYLOAD];
static unsigned char data_buf[FSD_MAX_IO];

static void close_client(int client);

/* Handles of clients that exited without closing them are released at the next OPEN. */
static void drop_orphans(void) {
  for (int i = 0; i < MAX_HANDLES; i++)
    if (handles[i].client && sys_kill(handles[i].client, 0) == -ESRCH) close_client(handles[i].client);
}

static int new_handle(int client, int fd) {
  for (int i = 0; i < MAX_HANDLES; i++) {
    if (handles[i].client == 0) {
      handles[i].client = client;
      handles[i].fd = fd;
      return i + 1;
    }
  }
  return -EMFILE;
}

static struct handle *get_handle(int client, uint32_t h) {
  if (h == 0 || h > MAX_HANDLES) return NULL;
  struct handle *x = &handles[h - 1];
  return x->client == client ? x : NULL;
}

static void close_client(int client) {
  for (int i = 0; i < MAX_HANDLES; i++) {
    if (handles[i].client == client) {
      close(handles[i].fd);
      handles[i].client = 0;
    }
  }
}

static int err(void) { return -errno; }

/* Handles one request; the reply goes out before returning. */
static void serve(const struct fipc_msg *m) {
  const unsigned char *p = m->payload + sizeof(struct fipc_req_hdr);
  size_t len = m->length - sizeof(struct fipc_req_hdr);
  int client = (int)m->src_pid;
  struct fsd_handle_req hr;
  struct fsd_path_req pr;
  memset(&hr, 0, sizeof hr);
  memset(&pr, 0, sizeof pr);
  memcpy(&hr, p, len < sizeof hr ? len : sizeof hr);
  memcpy(&pr, p, len < sizeof pr ? len : sizeof pr);
  pr.path[sizeof pr.path - 1] = 0;
  struct handle *h = get_handle(client, hr.handle);
  int st = -ENOSYS;
  size_t out = 0;
  switch (m->type) {
  case FSD_REGISTER:
    st = 0;
    break;
  case FSD_UNREGISTER:
    close_client(client);
    st = 0;
    break;
  case FSD_OPEN: {
    drop_orphans();
    int fd = open(pr.path, (int)pr.arg, (int)pr.mode);
    st = fd < 0 ? err() : new_handle(client, fd);
    if (fd >= 0 && st < 0) close(fd);
    break;
  }
  case FSD_CLOSE:
    if (!h) st = -EBADF;
    else {
      close(h->fd);
      h->client = 0;
      st = 0;
    }
    break;
  case FSD_READ: {
    if (!h) {
      st = -EBADF;
      break;
    }
    size_t want = hr.arg1 > FSD_MAX_IO ? FSD_MAX_IO : hr.arg1;
    ssize_t n = read(h->fd, data_buf, want);
    st = n < 0 ? err() : (int)n;
    out = n < 0 ? 0 : (size_t)n;
    break;
  }
  case FSD_WRITE: {
    if (!h) {
      st = -EBADF;
      break;
    }
    ssize_t n = write(h->fd, p + 4, len > 4 ? len - 4 : 0);
    st = n < 0 ? err() : (int)n;
    break;
  }
  case FSD_MKDIR:
    st = mkdir(pr.path, pr.arg ? pr.arg : 0755) < 0 ? err() : 0;
    break;
  case FSD_RMDIR:
    st = rmdir(pr.path) < 0 ? err() : 0;
    break;
  case FSD_UNLINK:
    st = unlink(pr.path) < 0 ? err() : 0;
    break;
  case FSD_STAT: {
    struct stat s;
    if (stat(pr.path, &s) < 0) {
      st = err();
      break;
    }
    struct fsd_stat fs;
    fs.mode = s.st_mode;
    fs.size = (uint32_t)s.st_size;
    fs.ino = (uint32_t)s.st_ino;
    fs.nlink = s.st_nlink;
    memcpy(data_buf, &fs, sizeof fs);
    out = sizeof fs;
    st = 0;
    break;
  }
  case FSD_LSEEK:
    if (!h) st = -EBADF;
    else {
      off_t r = lseek(h->fd, (off_t)(int32_t)hr.arg1, (int)hr.arg2);
      st = r < 0 ? err() : (int)r;
    }
    break;
  case FSD_READDIR: {
    if (!h) {
      st = -EBADF;
      break;
    }
    /* Entries from getdents64 on the handle's descriptor, re-encoded as {type, name\0}. */
    static unsigned char raw[4096];
    long n = sys_getdents64(h->fd, raw, sizeof raw);
    if (n < 0) {
      st = (int)n;
      break;
    }
    int count = 0;
    for (long pos = 0; pos < n;) {
      uint16_t reclen;
      memcpy(&reclen, raw + pos + 16, 2);
      const char *name = (const char *)raw + pos + 19;
      size_t nl = strlen(name);
      if (out + nl + 2 > sizeof data_buf) break;
      data_buf[out++] = raw[pos + 18];
      memcpy(data_buf + out, name, nl + 1);
      out += nl + 1;
      count++;
      pos += reclen;
    }
    st = count;
    break;
  }
  case FSD_FSYNC:
    st = h ? 0 : -EBADF;
    break;
  default:
    st = -ENOSYS;
    break;
  }
  fipc_reply(m, st, data_buf, out);
}

/* init stops services with SIGTERM at shutdown: end cleanly (status 0). */
static void on_term(int sig) {
  (void)sig;
  _exit(0);
}

int main(void) {
  signal(SIGTERM, on_term);
  int ch = fipc_serve(FSD_SERVICE, 128 * 1024);
  if (ch < 0) {
    fprintf(stderr, "fsd: cannot register: %s\n", strerror(errno));
    return 1;
  }
  for (;;) {
    int n = fipc_recv(ch, msg_buf, sizeof msg_buf);
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      fprintf(stderr, "fsd: recv: %s\n", strerror(errno));
      return 1;
    }
    const struct fipc_msg *m = (const struct fipc_msg *)msg_buf;
    if (m->length < sizeof(struct fipc_req_hdr)) continue;
    serve(m);
  }
}
