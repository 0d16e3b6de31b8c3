/* Process start and end: __libc_start (called by crt0), exit with atexit handlers and stdio
 * flush, abort, and the assert failure report. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys.h>
#include <unistd.h>

int errno;
char **environ;

int main(int argc, char **argv, char **envp);
void __stdio_flush_all(void);

#define ATEXIT_MAX 32
static void (*atexit_fns[ATEXIT_MAX])(void);
static int atexit_count;

void __libc_start(int argc, char **argv, char **envp) {
  environ = envp;
  exit(main(argc, argv, envp));
}

int atexit(void (*fn)(void)) {
  if (atexit_count == ATEXIT_MAX) return -1;
  atexit_fns[atexit_count++] = fn;
  return 0;
}

void exit(int code) {
  while (atexit_count > 0) atexit_fns[--atexit_count]();
  __stdio_flush_all();
  sys_exit_group(code);
  for (;;) {
  }
}

void _Exit(int code) {
  sys_exit_group(code);
  for (;;) {
  }
}

void _exit(int code) { _Exit(code); }

void abort(void) {
  __stdio_flush_all();
  sys_kill((int)sys_getpid(), SIGABRT);
  sys_exit_group(127);
  for (;;) {
  }
}

void __assert_fail(const char *expr, const char *file, int line) {
  fprintf(stderr, "%s:%d: assertion failed: %s\n", file, line, expr);
  abort();
}
