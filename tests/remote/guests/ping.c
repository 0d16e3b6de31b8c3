/* The ping client: registers "ping" (its reply channel), connects to "pong" (maybe on another
   node) and makes argv[1] round trips of argv[2] bytes, checking every reply's data. When the
   pong channel reports DISCONNECT or ERROR it prints the error and exits 3. argv[3]: how many
   times to try connecting while the name is looked up on the peers (default 200000). */
#include "remote.h"

static unsigned int buf[(HEADER + MAX_DATA) / 4];
static unsigned char out[MAX_DATA];

int main(int argc, char **argv) {
  long count = argc > 1 ? parse(argv[1]) : 10;
  long size = argc > 2 ? parse(argv[2]) : 16;
  if (size < 4 || size > MAX_DATA) size = 16;
  long ch = fipc(SYS_FIPC_CREATE, FIPC_NONBLOCKING, 0, 0, 0);
  if (ch < 0 || fipc(SYS_FIPC_REGISTER, (long)"ping", ch, 0, 0) != 0) {
    printf("ping: cannot register (%ld)\n", ch);
    return 2;
  }
  long tries = argc > 3 ? parse(argv[3]) : 200000;
  long pong = connect_retry("pong", tries);
  if (pong < 0) {
    printf("ping: no pong service (%ld)\n", pong);
    return 2;
  }
  long ok = 0;
  for (long i = 0; i < count; i++) {
    for (long j = 0; j < size; j++) out[j] = (unsigned char)(i * 7 + j * 13);
    memcpy(out, &i, 4);
    long r = fipc(SYS_FIPC_SEND, pong, MSG_PING, (long)out, size);
    if (r != 0) {
      printf("ping: send %ld, poll %ld\n", r, fipc(SYS_FIPC_POLL, pong, 7, 0, 0));
      return 3;
    }
    for (;;) {
      long n = fipc(SYS_FIPC_RECV, ch, (long)buf, sizeof buf, 0);
      if (n == -EAGAIN) {
        long ev = fipc(SYS_FIPC_POLL, pong, EV_DISCONNECT | EV_ERROR, 0, 0);
        if (ev != 0) {
          printf("ping: pong channel error (poll %ld) after %ld round trips\n", ev, ok);
          return 3;
        }
        nap();
        continue;
      }
      if (n != HEADER + size || buf[0] != MSG_PONG || memcmp(&buf[HEADER / 4], out, size) != 0) {
        printf("ping: bad reply %ld (type 0x%x) at %ld\n", n, buf[0], i);
        return 4;
      }
      ok++;
      break;
    }
  }
  fipc(SYS_FIPC_SEND, pong, MSG_STOP, (long)out, 0);
  printf("ping: %ld/%ld round trips ok\n", ok, count);
  return ok == count ? 0 : 1;
}
