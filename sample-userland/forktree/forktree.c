/* forktree: a binary tree of tasks. Each node of depth < D forks two children and waits for
 * them; every node returns the size of its subtree (capped at 255 in the exit status, so depth is
 * at most 7). Prints the total. -d D sets the depth (default 3); -v prints every node. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int verbose;

static int node(int depth, int max) {
  if (verbose) printf("node pid %d depth %d\n", (int)getpid(), depth);
  if (depth == max) return 1;
  int total = 1;
  int pids[2];
  for (int i = 0; i < 2; i++) {
    fflush(NULL);
    pids[i] = fork();
    if (pids[i] == 0) exit(node(depth + 1, max));
    if (pids[i] < 0) {
      perror("forktree: fork");
      return total;
    }
  }
  for (int i = 0; i < 2; i++) {
    int st;
    if (waitpid(pids[i], &st, 0) == pids[i] && WIFEXITED(st)) total += WEXITSTATUS(st);
  }
  return total;
}

int main(int argc, char **argv) {
  int depth = 3;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "-v") == 0) verbose = 1;
    else if (strcmp(argv[i], "-d") == 0 && i + 1 < argc) depth = atoi(argv[++i]);
  }
  if (depth < 0 || depth > 7) depth = 3;
  int n = node(0, depth);
  printf("forktree: depth %d, %d tasks\n", depth, n);
  return 0;
}
