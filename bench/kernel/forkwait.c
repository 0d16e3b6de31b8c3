/* Process life cycle: fork, the child exits at once, the parent reaps it with wait4. Prints the
   number of children reaped with the expected status. */
#include "guest.h"

int main(int argc, char **argv) {
  long n = guest_count(argc, argv);
  long done = 0;
  for (long i = 0; i < n; i++) {
    long pid = rt_syscall(SYS_CLONE, SIGCHLD, 0, 0, 0, 0, 0);
    if (pid == 0) rt_exit(7);
    if (pid < 0) break;
    int status = 0;
    if (rt_syscall(SYS_WAIT4, pid, (long)&status, 0, 0, 0, 0) != pid || status != (7 << 8)) break;
    done++;
  }
  printf("count %ld\n", done);
  return done == n ? 0 : 1;
}
