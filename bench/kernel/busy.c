/* A busy guest for the inspect figure: init forks until there are 20 tasks; every task maps a few
   pages, opens a pipe and then loops forever (compute, getpid, sched_yield). The host takes
   snapshots between slices and kills them all at the end. */
#include "guest.h"

#define SYS_MMAP 222
#define SYS_PIPE2 59
#define SYS_YIELD 124

int main(int argc, char **argv) {
  long n = guest_count(argc, argv);
  for (long i = 1; i < n; i++)
    if (rt_syscall(SYS_CLONE, SIGCHLD, 0, 0, 0, 0, 0) == 0) break;
  char *m = (char *)rt_syscall(SYS_MMAP, 0, 4 * 4096, 3, 0x22, -1, 0);
  int p[2];
  rt_syscall(SYS_PIPE2, (long)p, 0, 0, 0, 0, 0);
  printf("count %ld\n", n);
  for (unsigned long k = 0;; k++) {
    m[(k * 64) & (4 * 4096 - 1)] = (char)k;
    sys0(SYS_GETPID);
    if ((k & 7) == 0) sys0(SYS_YIELD);
  }
}
