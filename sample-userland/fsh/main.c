/* fsh, the Futura shell: prompt, line reading through the TTY (which does the line editing),
 * builtins, /bin and /sbin programs with arguments, pipelines, redirections and $?. An unknown
 * command prints "fsh: NAME: command not found" and sets $? to 127. `fsh -c LINE` runs one line;
 * `fsh FILE` runs a script. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "fsh.h"

int last_status;
static int want_exit;
static int interactive;

/* The program a command name means: a path as given, or the first of /bin, /sbin. */
static int find_program(const char *name, char *path, size_t n) {
  struct stat st;
  if (strchr(name, '/')) {
    strlcpy(path, name, n);
    return stat(path, &st) == 0 && S_ISREG(st.st_mode) ? 0 : -1;
  }
  static const char *const dirs[] = {"/bin", "/sbin"};
  for (int i = 0; i < 2; i++) {
    snprintf(path, n, "%s/%s", dirs[i], name);
    if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) return 0;
  }
  return -1;
}

/* Applies a command's redirections to fds 0 and 1; -1 after an error message. */
static int redirect(const struct command *c) {
  if (c->in) {
    int fd = open(c->in, O_RDONLY);
    if (fd < 0) {
      fprintf(stderr, "fsh: %s: %s\n", c->in, strerror(errno));
      return -1;
    }
    dup2(fd, 0);
    close(fd);
  }
  if (c->out) {
    int flags = O_WRONLY | O_CREAT | (c->append ? O_APPEND : O_TRUNC);
    int fd = open(c->out, flags, 0644);
    if (fd < 0) {
      fprintf(stderr, "fsh: %s: %s\n", c->out, strerror(errno));
      return -1;
    }
    dup2(fd, 1);
    close(fd);
  }
  return 0;
}

/* In a child: runs one command of a pipeline (never returns). */
static void run_child(struct command *c) {
  signal(SIGINT, SIG_DFL); /* the job takes ^C's default action, whatever the shell does */
  if (redirect(c) < 0) _exit(1);
  if (is_builtin(c->argv[0])) {
    int dummy;
    int st = run_builtin(c->argc, c->argv, &dummy);
    fflush(NULL);
    _exit(st);
  }
  char path[256];
  if (find_program(c->argv[0], path, sizeof path) < 0) {
    fprintf(stderr, "fsh: %s: command not found\n", c->argv[0]);
    _exit(127);
  }
  execve(path, c->argv, environ);
  fprintf(stderr, "fsh: %s: %s\n", c->argv[0], strerror(errno));
  _exit(126);
}

/* A builtin alone: run it in the shell itself (cd and exit must), with redirections undone after. */
static int run_builtin_here(struct command *c) {
  fflush(stdout);
  int saved_in = dup(0);
  int saved_out = dup(1);
  int st;
  if (redirect(c) < 0) st = 1;
  else st = run_builtin(c->argc, c->argv, &want_exit);
  fflush(stdout);
  dup2(saved_in, 0);
  dup2(saved_out, 1);
  close(saved_in);
  close(saved_out);
  return st;
}

static int run_pipeline(struct pipeline *p) {
  if (p->count == 1 && is_builtin(p->cmd[0].argv[0])) return run_builtin_here(&p->cmd[0]);
  if (p->count == 1) {
    char path[256];
    if (find_program(p->cmd[0].argv[0], path, sizeof path) < 0) {
      fprintf(stderr, "fsh: %s: command not found\n", p->cmd[0].argv[0]);
      return 127;
    }
  }
  fflush(NULL);
  int pids[MAX_CMDS];
  int pgid = 0; /* the job's process group: its first task's pid */
  int prev_read = -1;
  for (int i = 0; i < p->count; i++) {
    int fds[2] = {-1, -1};
    if (i + 1 < p->count && pipe(fds) < 0) {
      fprintf(stderr, "fsh: pipe: %s\n", strerror(errno));
      pids[i] = -1;
      break;
    }
    int pid = fork();
    if (pid == 0) {
      setpgid(0, pgid);
      if (prev_read >= 0) {
        dup2(prev_read, 0);
        close(prev_read);
      }
      if (fds[1] >= 0) {
        dup2(fds[1], 1);
        close(fds[1]);
        close(fds[0]);
      }
      run_child(&p->cmd[i]);
    }
    pids[i] = pid;
    if (pid < 0) fprintf(stderr, "fsh: fork: %s\n", strerror(errno));
    if (pid > 0) {
      if (pgid == 0) pgid = pid;
      setpgid(pid, pgid); /* also here, so the group exists whichever runs first */
    }
    if (prev_read >= 0) close(prev_read);
    if (fds[1] >= 0) close(fds[1]);
    prev_read = fds[0];
  }
  if (prev_read >= 0) close(prev_read);
  /* The job gets the console's ^C while it runs; the shell takes it back afterwards. */
  if (interactive && pgid > 0) tcsetpgrp(0, pgid);
  int status = 0;
  for (int i = 0; i < p->count; i++) {
    if (pids[i] <= 0) {
      status = 1;
      continue;
    }
    int st;
    if (waitpid(pids[i], &st, 0) < 0) continue;
    if (WIFSIGNALED(st)) {
      status = 128 + WTERMSIG(st);
      int sig = WTERMSIG(st);
      if (i == p->count - 1 && sig != SIGPIPE && sig != SIGINT)
        printf("fsh: %s: killed by signal %d\n", p->cmd[i].argv[0], sig);
    } else {
      status = WEXITSTATUS(st);
    }
  }
  if (interactive && pgid > 0) tcsetpgrp(0, getpgrp());
  return status;
}

static void run_line(const char *line) {
  static struct pipeline p; /* ~2 KiB: kept off the stack */
  static char storage[2 * LINE_MAX_LEN];
  int r = parse_line(line, &p, storage);
  if (r < 0) {
    last_status = 2;
    return;
  }
  if (r > 0) return;
  last_status = run_pipeline(&p);
}

/* ^C at the prompt: the read ends with EINTR (no SA_RESTART) and the shell prompts again. */
static void on_sigint(int sig) { (void)sig; }

static void prompt(void) {
  char cwd[256];
  if (!getcwd(cwd, sizeof cwd)) strlcpy(cwd, "?", sizeof cwd);
  printf("fsh:%s$ ", cwd);
  fflush(stdout);
}

int main(int argc, char **argv) {
  FILE *in = stdin;
  if (argc > 2 && strcmp(argv[1], "-c") == 0) {
    run_line(argv[2]);
    fflush(NULL);
    return last_status;
  }
  if (argc > 1) {
    in = fopen(argv[1], "r");
    if (!in) {
      fprintf(stderr, "fsh: %s: %s\n", argv[1], strerror(errno));
      return 127;
    }
  }
  interactive = in == stdin && isatty(0);
  if (interactive) {
    /* Job control: the shell leads its own group and owns the console's ^C between jobs; a ^C
     * there only abandons the line being typed. */
    setpgid(0, 0);
    tcsetpgrp(0, getpid());
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    sigaction(SIGINT, &sa, NULL);
  }
  if (interactive) printf("Futura shell. Type 'help' for the builtins.\n");
  static char line[LINE_MAX_LEN];
  while (!want_exit) {
    if (interactive) prompt();
    if (!fgets(line, sizeof line, in)) {
      if (interactive && ferror(in) && errno == EINTR) {
        clearerr(in);
        continue;
      }
      if (interactive) printf("\n");
      break;
    }
    size_t len = strcspn(line, "\n");
    if (line[len] != '\n' && !feof(in)) {
      /* Longer than the buffer: drop the rest of it rather than run it as another command. */
      int c;
      while ((c = fgetc(in)) != EOF && c != '\n') {
      }
      fprintf(stderr, "fsh: line too long (at most %d characters)\n", LINE_MAX_LEN - 2);
      last_status = 2;
      continue;
    }
    line[len] = 0;
    run_line(line);
  }
  fflush(NULL);
  return last_status;
}
