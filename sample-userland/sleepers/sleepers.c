/* sleepers: N tasks (default 4) on timers — task k sleeps (k + 1) × 10 ms per round for R rounds
 * (default 3) and says when it woke (virtual milliseconds since the start); -f keeps them going. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv) {
  int n = 4;
  int rounds = 3;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "-f") == 0) rounds = -1;
    else if (strcmp(argv[i], "-n") == 0 && i + 1 < argc) n = atoi(argv[++i]);
    else if (strcmp(argv[i], "-r") == 0 && i + 1 < argc) rounds = atoi(argv[++i]);
  }
  if (n < 1 || n > 16) n = 4;
  long start = time_millis();
  fflush(NULL);
  for (int k = 0; k < n; k++) {
    if (fork() == 0) {
      for (int r = 1; rounds < 0 || r <= rounds; r++) {
        usleep((useconds_t)(k + 1) * 10000);
        printf("sleeper %d: round %d at %ld ms\n", k, r, time_millis() - start);
      }
      return 0;
    }
  }
  int st;
  int done = 0;
  while (wait(&st) > 0) done++;
  printf("sleepers: %d done after %ld ms\n", done, time_millis() - start);
  return 0;
}
