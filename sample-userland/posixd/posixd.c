/* posixd: POSIX compatibility over FIPC for process, pipe and memory operations (posixd_proto.h):
 * spawns programs as its children and reaps them, keeps byte pipes for clients that cannot share
 * descriptors, and serves /proc figures. Registered as "posixd" (/run/posixd.pid). */
#include <errno.h>
#include <fcntl.h>
#include <fipc.h>
#include <posixd_proto.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_PIPES 16
#define PIPE_CAP 8192
#define MAX_CHILDREN 32

struct pipe_buf {
  int used;
  int closed;
  size_t len;
  unsigned char data[PIPE_CAP];
};
static struct pipe_buf pipes[MAX_PIPES];

struct child {
  int pid;
  int done;
  int status;
};
static struct child children[MAX_CHILDREN];

static unsigned char msg_buf[FIPC_HEADER_SIZE + FIPC_MAX_PAYLOAD];
static unsigned char out_buf[16384];

static void reap(void) {
  int st;
  int pid;
  while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
    for (int i = 0; i < MAX_CHILDREN; i++) {
      if (children[i].pid == pid) {
        children[i].done = 1;
        children[i].status = st;
      }
    }
  }
}

static int spawn(const unsigned char *p, size_t len) {
  static char args[1024];
  if (len == 0 || len >= sizeof args) return -EINVAL;
  memcpy(args, p, len);
  args[len] = 0;
  char *argv[17];
  int argc = 0;
  for (size_t i = 0; i < len && argc < 16; i += strlen(args + i) + 1) argv[argc++] = args + i;
  argv[argc] = NULL;
  int slot = -1;
  for (int i = 0; i < MAX_CHILDREN; i++)
    if (children[i].pid == 0) slot = i;
  if (slot < 0) return -EAGAIN;
  fflush(NULL);
  int pid = fork();
  if (pid < 0) return -errno;
  if (pid == 0) {
    execve(argv[0], argv, environ);
    fprintf(stderr, "posixd: cannot run %s: %s\n", argv[0], strerror(errno));
    _exit(127);
  }
  children[slot].pid = pid;
  children[slot].done = 0;
  return pid;
}

static int wait_child(int pid) {
  reap();
  for (int i = 0; i < MAX_CHILDREN; i++) {
    if (children[i].pid == pid) {
      if (!children[i].done) return -EAGAIN;
      children[i].pid = 0;
      return children[i].status;
    }
  }
  return -ECHILD;
}

static int proc_text(const char *path, size_t *out) {
  int fd = open(path, O_RDONLY);
  if (fd < 0) return -errno;
  size_t len = 0;
  for (;;) {
    ssize_t n = read(fd, out_buf + len, sizeof out_buf - len);
    if (n <= 0) break;
    len += (size_t)n;
  }
  close(fd);
  *out = len;
  return (int)len;
}

static void serve(const struct fipc_msg *m) {
  const unsigned char *p = m->payload + sizeof(struct fipc_req_hdr);
  size_t len = m->length - sizeof(struct fipc_req_hdr);
  int32_t a[2] = {0, 0};
  memcpy(a, p, len < sizeof a ? len : sizeof a);
  int st = -ENOSYS;
  size_t out = 0;
  char path[64];
  struct pipe_buf *pb = a[0] > 0 && a[0] <= MAX_PIPES ? &pipes[a[0] - 1] : NULL;
  if (pb && !pb->used) pb = NULL;
  switch (m->type) {
  case PX_SPAWN:
    st = spawn(p, len);
    break;
  case PX_WAIT:
    st = wait_child(a[0]);
    break;
  case PX_KILL:
    st = kill(a[0], a[1]) < 0 ? -errno : 0;
    break;
  case PX_GETPID:
    st = (int)m->src_pid;
    break;
  case PX_PIPE:
    st = -ENFILE;
    for (int i = 0; i < MAX_PIPES; i++) {
      if (!pipes[i].used) {
        memset(&pipes[i], 0, sizeof pipes[i]);
        pipes[i].used = 1;
        st = i + 1;
        break;
      }
    }
    break;
  case PX_PWRITE: {
    if (!pb || pb->closed) {
      st = pb ? -EPIPE : -EBADF;
      break;
    }
    size_t n = len > 4 ? len - 4 : 0;
    if (n > PIPE_CAP - pb->len) n = PIPE_CAP - pb->len;
    if (n == 0 && len > 4) {
      st = -EAGAIN;
      break;
    }
    memcpy(pb->data + pb->len, p + 4, n);
    pb->len += n;
    st = (int)n;
    break;
  }
  case PX_PREAD: {
    if (!pb) {
      st = -EBADF;
      break;
    }
    size_t n = (size_t)a[1] < pb->len ? (size_t)a[1] : pb->len;
    if (n > sizeof out_buf) n = sizeof out_buf;
    if (n == 0) {
      st = pb->closed ? 0 : -EAGAIN;
      if (pb->closed) pb->used = 0;
      break;
    }
    memcpy(out_buf, pb->data, n);
    memmove(pb->data, pb->data + n, pb->len - n);
    pb->len -= n;
    out = n;
    st = (int)n;
    break;
  }
  case PX_PCLOSE:
    if (!pb) st = -EBADF;
    else {
      pb->closed = 1;
      st = 0;
    }
    break;
  case PX_MEMINFO:
    st = proc_text("/proc/meminfo", &out);
    break;
  case PX_MAPS:
  case PX_STATUS:
    snprintf(path, sizeof path, "/proc/%d/%s", a[0] ? a[0] : (int)m->src_pid,
             m->type == PX_MAPS ? "maps" : "status");
    st = proc_text(path, &out);
    break;
  default:
    st = -ENOSYS;
    break;
  }
  fipc_reply(m, st, out_buf, out);
}

/* init stops services with SIGTERM at shutdown: end cleanly (status 0). */
static void on_term(int sig) {
  (void)sig;
  _exit(0);
}

int main(void) {
  signal(SIGTERM, on_term);
  int ch = fipc_serve(POSIXD_SERVICE, 64 * 1024);
  if (ch < 0) {
    fprintf(stderr, "posixd: cannot register: %s\n", strerror(errno));
    return 1;
  }
  for (;;) {
    int n = fipc_recv(ch, msg_buf, sizeof msg_buf);
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      fprintf(stderr, "posixd: recv: %s\n", strerror(errno));
      return 1;
    }
    const struct fipc_msg *m = (const struct fipc_msg *)msg_buf;
    if (m->length < sizeof(struct fipc_req_hdr)) continue;
    serve(m);
    reap();
  }
}
