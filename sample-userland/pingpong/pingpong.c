/* pingpong: two tasks over FIPC. The parent sends "ping" N times on one channel, the child
 * answers "pong" on another; then the parent prints the round-trip count and time. -n N sets
 * the count (default 5000, long enough to watch in the FIPC view); -f keeps going forever
 * (printing every 1000 round trips). */
#include <fipc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PING 0x1001
#define PONG 0x1002
#define STOP 0x1003

int main(int argc, char **argv) {
  long count = 5000;
  int forever = 0;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "-f") == 0) forever = 1;
    else if (strcmp(argv[i], "-n") == 0 && i + 1 < argc) count = atol(argv[++i]);
  }
  int ping = fipc_create(FIPC_BLOCKING, 4096);
  int pong = fipc_create(FIPC_BLOCKING, 4096);
  if (ping < 0 || pong < 0) {
    perror("pingpong: fipc_create");
    return 1;
  }
  fflush(NULL);
  int pid = fork();
  if (pid == 0) {
    unsigned char buf[64];
    for (;;) {
      if (fipc_recv(ping, buf, sizeof buf) < 0) _exit(1);
      struct fipc_msg *m = (struct fipc_msg *)buf;
      if (m->type == STOP) _exit(0);
      uint32_t n;
      memcpy(&n, m->payload, 4);
      if (fipc_send(pong, PONG, &n, 4) < 0) _exit(1);
    }
  }
  long start = time_millis();
  long done = 0;
  unsigned char buf[64];
  while (forever || done < count) {
    uint32_t n = (uint32_t)done;
    if (fipc_send(ping, PING, &n, 4) < 0 || fipc_recv(pong, buf, sizeof buf) < 0) {
      perror("pingpong");
      return 1;
    }
    uint32_t back;
    memcpy(&back, ((struct fipc_msg *)buf)->payload, 4);
    if (back != n) {
      fprintf(stderr, "pingpong: expected %u, got %u\n", n, back);
      return 1;
    }
    done++;
    if (forever && done % 1000 == 0) printf("pingpong: %ld round trips\n", done);
  }
  fipc_send(ping, STOP, NULL, 0);
  waitpid(pid, NULL, 0);
  printf("pingpong: %ld round trips in %ld ms\n", done, time_millis() - start);
  return 0;
}
