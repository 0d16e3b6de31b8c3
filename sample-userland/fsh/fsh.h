/* fsh, the Futura shell: shared declarations. */
#ifndef FSH_H
#define FSH_H

#define MAX_WORDS 64
#define MAX_CMDS 8
#define LINE_MAX_LEN 1024

struct command {
  char *argv[MAX_WORDS + 1];
  int argc;
  char *in;      /* < file */
  char *out;     /* > or >> file */
  int append;    /* >> */
};

struct pipeline {
  struct command cmd[MAX_CMDS];
  int count;
};

/* The status of the last command ($?). */
extern int last_status;

/* Splits a line into a pipeline (words, quotes, | > >> <, $? expanded). Strings point into
 * `storage` (at least 2 * LINE_MAX_LEN bytes). Returns 0, 1 for an empty line, or -1 after
 * printing a syntax error. */
int parse_line(const char *line, struct pipeline *p, char *storage);

/* Builtins: is_builtin tells; run_builtin runs one with argv (stdio already redirected) and
 * returns its status. `exit` sets *want_exit. */
int is_builtin(const char *name);
int run_builtin(int argc, char **argv, int *want_exit);

#endif
