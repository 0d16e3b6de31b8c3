/* Shared by the remote ping/pong guests: FIPC syscalls (ABI.md) and a short sleep. */
#ifndef REMOTE_H
#define REMOTE_H
#include "rt.h"

#define SYS_NANOSLEEP 101
#define SYS_FIPC_CREATE 600
#define SYS_FIPC_SEND 601
#define SYS_FIPC_RECV 602
#define SYS_FIPC_CLOSE 603
#define SYS_FIPC_POLL 604
#define SYS_FIPC_CONNECT 605
#define SYS_FIPC_REGISTER 606
#define FIPC_BLOCKING 1
#define FIPC_NONBLOCKING 2
#define EV_MESSAGE 1
#define EV_DISCONNECT 2
#define EV_ERROR 4
#define EAGAIN 11
#define HEADER 32
#define MSG_PING 0x1000
#define MSG_PONG 0x1001
#define MSG_STOP 0x10ff
#define MAX_DATA 1024

/* Kept in initialised data so the program has a data segment. */
long remote_tries = 1;

static long fipc(long n, long a, long b, long c, long d) { return rt_syscall(n, a, b, c, d, 0, 0); }

static void nap(void) {
  int ts[2] = {0, 1000000};
  rt_syscall(SYS_NANOSLEEP, (long)ts, 0, 0, 0, 0, 0);
}

/* fipc_connect, retried while the name is being looked up on the peers; -errno after `tries`.
   (Each try sleeps 1 ms of virtual time, but an otherwise idle kernel skips ahead to the wake-up,
   so the count, not the time, bounds how long the lookup may take.) */
static long connect_retry(const char *name, long tries) {
  long ch = -1;
  for (remote_tries = 0; remote_tries < tries; remote_tries++) {
    ch = fipc(SYS_FIPC_CONNECT, (long)name, 0, 0, 0);
    if (ch >= 0) return ch;
    nap();
  }
  return ch;
}

static long parse(const char *s) {
  long n = 0;
  for (; s && *s >= '0' && *s <= '9'; s++) n = n * 10 + (*s - '0');
  return n;
}
#endif
