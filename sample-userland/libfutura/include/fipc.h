/* fipc.h: the FIPC client of libfutura (ABI.md §FIPC).
 *
 * Raw calls: fipc_create/send/recv/close/poll/connect/register/grant return the kernel's result
 * and set errno on failure (-1).
 *
 * Services: a server creates a channel, writes its pid to /run/NAME.pid and registers NAME
 * (fipc_serve). A client looks NAME up (fipc_lookup, cached), makes a private reply channel,
 * grants the server SEND on it, and sends requests whose payload starts with a
 * struct fipc_req_hdr naming that reply channel (fipc_request). */
#ifndef _FIPC_H
#define _FIPC_H
#include <stddef.h>
#include <stdint.h>

#define FIPC_BLOCKING 1
#define FIPC_NONBLOCKING 2
#define FIPC_MSG 1
#define FIPC_DISCONNECT 2
#define FIPC_ERROR 4
#define FIPC_SEND 1
#define FIPC_RECV 2
#define FIPC_SYS 4
#define FIPC_ADMIN 8
#define FIPC_HEADER_SIZE 32
#define FIPC_MAX_PAYLOAD 65536
#define FIPC_USER_BASE 0x1000
#define FIPC_REPLY_BIT 0x80000000u

struct fipc_msg {
  uint32_t type;
  uint32_t length;
  uint64_t timestamp;
  uint32_t src_pid;
  uint32_t dst_pid;
  uint64_t capability;
  unsigned char payload[];
};

/* Every request payload starts with this; the reply carries the same seq. */
struct fipc_req_hdr {
  int32_t reply_channel;
  uint32_t seq;
};
/* Every reply payload starts with this. */
struct fipc_rep_hdr {
  uint32_t seq;
  int32_t status; /* >= 0 result, < 0 -errno */
};

int fipc_create(int flags, size_t queue_bytes);
int fipc_send(int id, uint32_t type, const void *data, size_t len);
/* Receives one message into buf (header + payload); returns the total bytes. */
int fipc_recv(int id, void *buf, size_t len);
int fipc_close(int id);
int fipc_poll(int id, int mask);
int fipc_connect(const char *service);
int fipc_register(const char *service, int id);
int fipc_grant(int id, int pid, int rights);

/* Registry lookup with a cache: the channel id of a service, or -1 (errno ENOENT). */
int fipc_lookup(const char *service);
/* The pid of a service, read from /run/NAME.pid, or -1. */
int fipc_service_pid(const char *service);
/* Server side: creates a blocking channel of queue_bytes, publishes the pid file, registers. */
int fipc_serve(const char *service, size_t queue_bytes);

/* Sends request `type` with `req` (len bytes, after the request header) to the service, and
 * waits for the reply of the same seq. The reply payload after its header goes to `reply`
 * (at most reply_cap bytes; *reply_len gets its size). Returns the reply status, or -errno. */
int fipc_request(const char *service, uint32_t type, const void *req, size_t len, void *reply,
                 size_t reply_cap, size_t *reply_len);

/* Server side: sends a reply (status + data) to the reply channel of a received request. */
int fipc_reply(const struct fipc_msg *request, int32_t status, const void *data, size_t len);
#endif
