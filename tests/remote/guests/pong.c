/* The pong service: registers "pong", answers each PING with a PONG carrying the same data on the
   channel of the service "ping" (looked up, maybe on another node), exits on STOP. */
#include "remote.h"

static unsigned int buf[(HEADER + MAX_DATA) / 4];

int main(void) {
  long ch = fipc(SYS_FIPC_CREATE, FIPC_BLOCKING, 0, 0, 0);
  if (ch < 0 || fipc(SYS_FIPC_REGISTER, (long)"pong", ch, 0, 0) != 0) {
    printf("pong: cannot register (%ld)\n", ch);
    return 2;
  }
  long reply = -1, served = 0;
  for (;;) {
    long n = fipc(SYS_FIPC_RECV, ch, (long)buf, sizeof buf, 0);
    if (n < HEADER) {
      printf("pong: recv %ld\n", n);
      return 3;
    }
    if (buf[0] == MSG_STOP) break;
    if (buf[0] != MSG_PING) continue;
    for (int attempt = 0; attempt < 2; attempt++) {
      if (reply < 0) reply = connect_retry("ping", 200000);
      if (reply < 0) {
        printf("pong: no ping service (%ld)\n", reply);
        return 4;
      }
      long r = fipc(SYS_FIPC_SEND, reply, MSG_PONG, (long)&buf[HEADER / 4], n - HEADER);
      if (r == 0) break;
      /* The reply channel failed (its peer went away): drop it and look the name up again. */
      printf("pong: send %ld, reconnecting\n", r);
      fipc(SYS_FIPC_CLOSE, reply, 0, 0, 0);
      reply = -1;
    }
    served++;
  }
  printf("pong: served %ld\n", served);
  return 0;
}
