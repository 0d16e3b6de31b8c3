/* The FIPC client: errno-setting wrappers, a registry cache, and request/reply over a private
 * reply channel (see fipc.h for the convention). */
#include <errno.h>
#include <fcntl.h>
#include <fipc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys.h>
#include <sys/stat.h>
#include <unistd.h>

static int ret(long r) {
  if (r < 0) {
    errno = (int)-r;
    return -1;
  }
  return (int)r;
}

int fipc_create(int flags, size_t queue_bytes) { return ret(sys_fipc_create(flags, queue_bytes)); }
int fipc_send(int id, uint32_t type, const void *data, size_t len) {
  return ret(sys_fipc_send(id, type, data, len));
}
int fipc_recv(int id, void *buf, size_t len) { return ret(sys_fipc_recv(id, buf, len)); }
int fipc_close(int id) { return ret(sys_fipc_close(id)); }
int fipc_poll(int id, int mask) { return ret(sys_fipc_poll(id, mask)); }
int fipc_connect(const char *service) { return ret(sys_fipc_connect(service)); }
int fipc_register(const char *service, int id) { return ret(sys_fipc_register(service, id)); }
int fipc_grant(int id, int pid, int rights) { return ret(sys_fipc_grant(id, pid, rights)); }

#define CACHE 16
#define NAME_MAX_LEN 64
struct service {
  char name[NAME_MAX_LEN];
  int channel;
  int pid;     /* the server's pid, once known */
  int granted; /* reply channel the server may send on */
  int owner;   /* our pid when cached: a forked child starts over */
};
static struct service cache[CACHE];
static int cache_next;

static struct service *find(const char *name, int create) {
  int me = (int)sys_getpid();
  for (int i = 0; i < CACHE; i++)
    if (cache[i].owner == me && strcmp(cache[i].name, name) == 0) return &cache[i];
  if (!create) return NULL;
  struct service *s = &cache[cache_next];
  cache_next = (cache_next + 1) % CACHE;
  memset(s, 0, sizeof *s);
  strlcpy(s->name, name, sizeof s->name);
  s->channel = -1;
  s->pid = -1;
  s->granted = -1;
  s->owner = me;
  return s;
}

static void forget(const char *name) {
  struct service *s = find(name, 0);
  if (s) s->owner = 0;
}

int fipc_lookup(const char *service) {
  struct service *s = find(service, 0);
  if (s && s->channel >= 0) return s->channel;
  int ch = fipc_connect(service);
  if (ch < 0) return -1;
  s = find(service, 1);
  s->channel = ch;
  return ch;
}

int fipc_service_pid(const char *service) {
  char path[96];
  char buf[16];
  snprintf(path, sizeof path, "/run/%s.pid", service);
  int fd = open(path, O_RDONLY);
  if (fd < 0) return -1;
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  if (n <= 0) {
    errno = ENOENT;
    return -1;
  }
  buf[n] = 0;
  return atoi(buf);
}

int fipc_serve(const char *service, size_t queue_bytes) {
  int ch = fipc_create(FIPC_BLOCKING, queue_bytes);
  if (ch < 0) return -1;
  char path[96];
  snprintf(path, sizeof path, "/run/%s.pid", service);
  mkdir("/run", 0755);
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd >= 0) {
    dprintf(fd, "%d\n", (int)getpid());
    close(fd);
  }
  if (fipc_register(service, ch) < 0) {
    int e = errno;
    fipc_close(ch);
    errno = e;
    return -1;
  }
  return ch;
}

/* The reply channel of this process (a forked child makes its own). */
static int reply_ch = -1;
static int reply_owner;
static uint32_t next_seq;

static int reply_channel(void) {
  int me = (int)sys_getpid();
  if (reply_ch >= 0 && reply_owner == me) return reply_ch;
  reply_ch = fipc_create(FIPC_BLOCKING, 160 * 1024);
  reply_owner = me;
  return reply_ch;
}

#define MSG_MAX (FIPC_HEADER_SIZE + FIPC_MAX_PAYLOAD)
static unsigned char out_buf[FIPC_MAX_PAYLOAD];
static unsigned char in_buf[MSG_MAX];

/* Returns 0 with *status set when a reply came, or a transport error (-errno). */
static int request_once(const char *service, uint32_t type, const void *req, size_t len, void *reply,
                        size_t reply_cap, size_t *reply_len, int *status) {
  int ch = fipc_lookup(service);
  if (ch < 0) return -ENOENT;
  int rc = reply_channel();
  if (rc < 0) return -errno;
  struct service *s = find(service, 1);
  if (s->granted != rc) {
    s->pid = fipc_service_pid(service);
    if (s->pid < 0 || fipc_grant(rc, s->pid, FIPC_SEND) < 0) return -ESRCH;
    s->granted = rc;
  }
  if (len + sizeof(struct fipc_req_hdr) > FIPC_MAX_PAYLOAD) return -EINVAL;
  struct fipc_req_hdr h;
  h.reply_channel = rc;
  h.seq = ++next_seq;
  memcpy(out_buf, &h, sizeof h);
  if (len) memcpy(out_buf + sizeof h, req, len);
  long r = sys_fipc_send(ch, type, out_buf, sizeof h + len);
  if (r < 0) return (int)r;
  for (;;) {
    long n = sys_fipc_recv(rc, in_buf, sizeof in_buf);
    if (n < 0) return (int)n;
    struct fipc_msg *m = (struct fipc_msg *)in_buf;
    if (m->length < sizeof(struct fipc_rep_hdr)) continue;
    struct fipc_rep_hdr rh;
    memcpy(&rh, m->payload, sizeof rh);
    if (rh.seq != h.seq) continue; /* a stale reply */
    size_t dlen = m->length - sizeof rh;
    if (dlen > reply_cap) dlen = reply_cap;
    if (dlen && reply) memcpy(reply, m->payload + sizeof rh, dlen);
    if (reply_len) *reply_len = dlen;
    *status = rh.status;
    return 0;
  }
}

int fipc_request(const char *service, uint32_t type, const void *req, size_t len, void *reply,
                 size_t reply_cap, size_t *reply_len) {
  int status = 0;
  int r = request_once(service, type, req, len, reply, reply_cap, reply_len, &status);
  if (r == -ENOENT || r == -EPIPE || r == -ESRCH || r == -EPERM) {
    /* The service may have restarted: look it up again once. */
    forget(service);
    r = request_once(service, type, req, len, reply, reply_cap, reply_len, &status);
  }
  return r < 0 ? r : status;
}

/* Reply channels a server has been granted. A client that exits leaves its channel closed but
 * alive while the server holds rights on it; when a new client shows up, the server lets go of
 * the disconnected ones so the kernel can free them. */
#define KNOWN_REPLY 64
static int known_reply[KNOWN_REPLY];
static int known_count;

static void note_reply_channel(int id) {
  for (int i = 0; i < known_count; i++)
    if (known_reply[i] == id) return;
  int kept = 0;
  for (int i = 0; i < known_count; i++) {
    long ev = sys_fipc_poll(known_reply[i], FIPC_DISCONNECT);
    if (ev < 0 || (ev & FIPC_DISCONNECT)) sys_fipc_close(known_reply[i]);
    else known_reply[kept++] = known_reply[i];
  }
  known_count = kept;
  if (known_count < KNOWN_REPLY) known_reply[known_count++] = id;
}

int fipc_reply(const struct fipc_msg *request, int32_t status, const void *data, size_t len) {
  struct fipc_req_hdr h;
  if (request->length < sizeof h) return -EINVAL;
  memcpy(&h, request->payload, sizeof h);
  note_reply_channel(h.reply_channel);
  struct fipc_rep_hdr rh;
  rh.seq = h.seq;
  rh.status = status;
  if (len + sizeof rh > FIPC_MAX_PAYLOAD) len = FIPC_MAX_PAYLOAD - sizeof rh;
  memcpy(out_buf, &rh, sizeof rh);
  if (len) memcpy(out_buf + sizeof rh, data, len);
  return (int)sys_fipc_send(h.reply_channel, request->type | FIPC_REPLY_BIT, out_buf, sizeof rh + len);
}
