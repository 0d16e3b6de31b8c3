/* Cheap system calls: getpid in a loop. Prints the number of calls that returned our pid. */
#include "guest.h"

int main(int argc, char **argv) {
  long n = guest_count(argc, argv);
  long pid = sys0(SYS_GETPID);
  long done = 0;
  for (long i = 0; i < n; i++)
    if (sys0(SYS_GETPID) == pid) done++;
  printf("count %ld\n", done);
  return done == n ? 0 : 1;
}
