/* mmapdemo: grows and shrinks the heap (brk) and anonymous mappings, touching every page, so the
 * memory views have something to show. Runs a few rounds; -f keeps going; -s MS sleeps between
 * steps (default 50). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static void touch(unsigned char *p, size_t n, unsigned char v) {
  for (size_t i = 0; i < n; i += 4096) p[i] = v;
}

int main(int argc, char **argv) {
  int forever = 0;
  int pause_ms = 50;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "-f") == 0) forever = 1;
    else if (strcmp(argv[i], "-s") == 0 && i + 1 < argc) pause_ms = atoi(argv[++i]);
  }
  for (int round = 1; forever || round <= 3; round++) {
    unsigned char *base = sbrk(0);
    size_t grow = (size_t)round * 64 * 1024;
    if (sbrk((long)grow) == (void *)-1) {
      perror("mmapdemo: sbrk");
      return 1;
    }
    touch(base, grow, (unsigned char)round);
    printf("round %d: heap +%zu KiB\n", round, grow / 1024);
    usleep((useconds_t)pause_ms * 1000);
    unsigned char *maps[4];
    for (int k = 0; k < 4; k++) {
      size_t len = (size_t)(k + 1) * 16 * 4096;
      maps[k] = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
      if (maps[k] == MAP_FAILED) {
        perror("mmapdemo: mmap");
        return 1;
      }
      touch(maps[k], len, (unsigned char)k);
    }
    printf("round %d: mapped 4 regions (%d KiB)\n", round, (1 + 2 + 3 + 4) * 64);
    usleep((useconds_t)pause_ms * 1000);
    /* Unmap the middle of the largest region first (a split), then everything. */
    munmap(maps[3] + 4 * 4096, 8 * 4096);
    for (int k = 0; k < 4; k++) {
      size_t len = (size_t)(k + 1) * 16 * 4096;
      if (k == 3) {
        munmap(maps[3], 4 * 4096);
        munmap(maps[3] + 12 * 4096, len - 12 * 4096);
      } else {
        munmap(maps[k], len);
      }
    }
    sbrk(-(long)grow);
    printf("round %d: unmapped, heap back to %s\n", round, sbrk(0) == base ? "its start" : "?");
    usleep((useconds_t)pause_ms * 1000);
  }
  printf("mmapdemo: done\n");
  return 0;
}
