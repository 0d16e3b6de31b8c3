/* hello: the first program of the sample userland. */
#include <stdio.h>

int main(int argc, char **argv) {
  printf("Hello from Futura! (%d argument%s)\n", argc - 1, argc == 2 ? "" : "s");
  for (int i = 1; i < argc; i++) printf("  argv[%d] = %s\n", i, argv[i]);
  return 0;
}
