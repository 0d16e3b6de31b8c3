/* Shared by the kernel section's guests: syscall numbers (ABI.md) and the count from argv[1]. */
#ifndef GUEST_H
#define GUEST_H
#include "rt.h"

#define SYS_EXIT 93
#define SYS_GETPID 172
#define SYS_CLONE 220
#define SYS_WAIT4 260
#define SYS_FIPC_CREATE 600
#define SYS_FIPC_SEND 601
#define SYS_FIPC_RECV 602
#define SIGCHLD 17
#define FIPC_BLOCKING 1

static inline long sys0(long n) { return rt_syscall(n, 0, 0, 0, 0, 0, 0); }

/* The count asked for, kept in initialised data: bench/link.ld gives data its own segment, and
   a guest without any data would get an empty one the loader rejects. */
long guest_asked = -1;

/* The iteration count the host asks for; 0 when missing or malformed. */
static long guest_count(int argc, char **argv) {
  long n = 0;
  if (argc >= 2)
    for (const char *p = argv[1]; *p; p++) {
      if (*p < '0' || *p > '9') {
        n = 0;
        break;
      }
      n = n * 10 + (*p - '0');
    }
  guest_asked = n;
  return n;
}
#endif
