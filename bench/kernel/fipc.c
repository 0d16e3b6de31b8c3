/* FIPC ping-pong: two channels created before fork (the child inherits the rights); the parent
   sends on `ping` and waits on `pong`, the child echoes. Prints the completed round trips. */
#include "guest.h"

#define MSG_PING 0x1000
#define MSG_PONG 0x1001
#define HEADER 32

static long send(long ch, long type, const void *data, long len) {
  return rt_syscall(SYS_FIPC_SEND, ch, type, (long)data, len, 0, 0);
}

static long recv(long ch, unsigned int *buf, long len) {
  return rt_syscall(SYS_FIPC_RECV, ch, (long)buf, len, 0, 0, 0);
}

int main(int argc, char **argv) {
  long n = guest_count(argc, argv);
  long ping = rt_syscall(SYS_FIPC_CREATE, FIPC_BLOCKING, 0, 0, 0, 0, 0);
  long pong = rt_syscall(SYS_FIPC_CREATE, FIPC_BLOCKING, 0, 0, 0, 0, 0);
  if (ping < 0 || pong < 0) {
    printf("fipc_create failed: %ld %ld\n", ping, pong);
    return 2;
  }
  unsigned int buf[(HEADER + 16) / 4];
  long pid = rt_syscall(SYS_CLONE, SIGCHLD, 0, 0, 0, 0, 0);
  if (pid < 0) {
    printf("fork failed: %ld\n", pid);
    return 3;
  }
  if (pid == 0) {
    for (long i = 0; i < n; i++) {
      if (recv(ping, buf, sizeof buf) != HEADER + 4 || buf[0] != MSG_PING) rt_exit(4);
      if (send(pong, MSG_PONG, &buf[HEADER / 4], 4) != 0) rt_exit(5);
    }
    rt_exit(0);
  }
  long done = 0;
  for (long i = 0; i < n; i++) {
    unsigned int seq = (unsigned int)i;
    if (send(ping, MSG_PING, &seq, 4) != 0) break;
    if (recv(pong, buf, sizeof buf) != HEADER + 4 || buf[0] != MSG_PONG || buf[HEADER / 4] != seq) break;
    done++;
  }
  int status = -1;
  long w = rt_syscall(SYS_WAIT4, pid, (long)&status, 0, 0, 0, 0);
  printf("count %ld\n", done);
  return done == n && w == pid && status == 0 ? 0 : 1;
}
