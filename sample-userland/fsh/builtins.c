/* fsh's builtins: cd pwd ls cat echo mkdir rm ps kill mem chan sleep stty help exit. ps, mem and
 * chan read the kernel's /proc (docs/procfs.md); stty asks the console its size (docs/tty.md). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "fsh.h"

typedef int (*builtin_fn)(int argc, char **argv);

static int fail(const char *cmd, const char *what) {
  fprintf(stderr, "fsh: %s: %s: %s\n", cmd, what, strerror(errno));
  return 1;
}

static int b_cd(int argc, char **argv) {
  const char *dir = argc > 1 ? argv[1] : "/";
  if (chdir(dir) < 0) return fail("cd", dir);
  return 0;
}

static int b_pwd(int argc, char **argv) {
  (void)argc;
  (void)argv;
  char cwd[256];
  if (!getcwd(cwd, sizeof cwd)) return fail("pwd", ".");
  printf("%s\n", cwd);
  return 0;
}

static int cmp_names(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* ls marks directories with a trailing '/'. */
static const char *type_mark(unsigned mode) { return S_ISDIR(mode) ? "/" : ""; }

static int list_dir(const char *path, int longfmt) {
  struct stat st;
  if (stat(path, &st) < 0) return fail("ls", path);
  if (!S_ISDIR(st.st_mode)) {
    if (longfmt) printf("%c %8lld %s\n", S_ISCHR(st.st_mode) ? 'c' : '-', st.st_size, path);
    else printf("%s\n", path);
    return 0;
  }
  DIR *d = opendir(path);
  if (!d) return fail("ls", path);
  char *names[256];
  int n = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL && n < 256) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
    names[n++] = strdup(e->d_name);
  }
  closedir(d);
  qsort(names, (size_t)n, sizeof names[0], cmp_names);
  for (int i = 0; i < n; i++) {
    char full[512];
    snprintf(full, sizeof full, "%s/%s", strcmp(path, "/") == 0 ? "" : path, names[i]);
    struct stat es;
    int ok = stat(full, &es) == 0;
    if (longfmt) {
      char kind = !ok ? '?' : S_ISDIR(es.st_mode) ? 'd' : S_ISCHR(es.st_mode) ? 'c' : S_ISFIFO(es.st_mode) ? 'p' : '-';
      printf("%c %8lld %s%s\n", kind, ok ? es.st_size : 0LL, names[i], ok ? type_mark(es.st_mode) : "");
    } else {
      printf("%s%s\n", names[i], ok ? type_mark(es.st_mode) : "");
    }
    free(names[i]);
  }
  return 0;
}

static int b_ls(int argc, char **argv) {
  int longfmt = 0;
  int first = 1;
  if (argc > 1 && strcmp(argv[1], "-l") == 0) {
    longfmt = 1;
    first = 2;
  }
  if (first >= argc) return list_dir(".", longfmt);
  int st = 0;
  for (int i = first; i < argc; i++) {
    if (argc - first > 1) printf("%s:\n", argv[i]);
    st |= list_dir(argv[i], longfmt);
  }
  return st;
}

static int copy_fd(int fd) {
  char buf[512];
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0) return -1;
    if (n == 0) return 0;
    fwrite(buf, 1, (size_t)n, stdout);
  }
}

static int b_cat(int argc, char **argv) {
  if (argc == 1) return copy_fd(0) < 0 ? fail("cat", "stdin") : 0;
  int st = 0;
  for (int i = 1; i < argc; i++) {
    int fd = open(argv[i], O_RDONLY);
    if (fd < 0) {
      st = fail("cat", argv[i]);
      continue;
    }
    if (copy_fd(fd) < 0) st = fail("cat", argv[i]);
    close(fd);
  }
  return st;
}

static int b_echo(int argc, char **argv) {
  int first = 1;
  int newline = 1;
  if (argc > 1 && strcmp(argv[1], "-n") == 0) {
    newline = 0;
    first = 2;
  }
  for (int i = first; i < argc; i++) printf(i > first ? " %s" : "%s", argv[i]);
  if (newline) printf("\n");
  return 0;
}

static int mkdir_p(char *path) {
  for (char *p = path + 1; *p; p++) {
    if (*p != '/') continue;
    *p = 0;
    mkdir(path, 0755);
    *p = '/';
  }
  return mkdir(path, 0755) < 0 && errno != EEXIST ? -1 : 0;
}

static int b_mkdir(int argc, char **argv) {
  int parents = argc > 1 && strcmp(argv[1], "-p") == 0;
  int st = 0;
  if (argc < 2 + parents) {
    fprintf(stderr, "usage: mkdir [-p] DIR...\n");
    return 2;
  }
  for (int i = 1 + parents; i < argc; i++) {
    int r = parents ? mkdir_p(argv[i]) : mkdir(argv[i], 0755);
    if (r < 0) st = fail("mkdir", argv[i]);
  }
  return st;
}

static int remove_tree(const char *path) {
  struct stat st;
  if (stat(path, &st) < 0) return -1;
  if (!S_ISDIR(st.st_mode)) return unlink(path);
  DIR *d = opendir(path);
  if (!d) return -1;
  char *names[256];
  int n = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL && n < 256)
    if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) names[n++] = strdup(e->d_name);
  closedir(d);
  int r = 0;
  for (int i = 0; i < n; i++) {
    char full[512];
    snprintf(full, sizeof full, "%s/%s", path, names[i]);
    if (remove_tree(full) < 0) r = -1;
    free(names[i]);
  }
  return r < 0 ? r : rmdir(path);
}

static int b_rm(int argc, char **argv) {
  int recursive = argc > 1 && strcmp(argv[1], "-r") == 0;
  int st = 0;
  if (argc < 2 + recursive) {
    fprintf(stderr, "usage: rm [-r] PATH...\n");
    return 2;
  }
  for (int i = 1 + recursive; i < argc; i++) {
    int r = recursive ? remove_tree(argv[i]) : unlink(argv[i]);
    if (r < 0) st = fail("rm", argv[i]);
  }
  return st;
}

/* Reads a whole /proc file (they are rendered at open and small). */
static int slurp(const char *path, char *buf, size_t cap) {
  int fd = open(path, O_RDONLY);
  if (fd < 0) return -1;
  size_t len = 0;
  for (;;) {
    ssize_t n = read(fd, buf + len, cap - 1 - len);
    if (n <= 0) break;
    len += (size_t)n;
  }
  close(fd);
  buf[len] = 0;
  return (int)len;
}

static char proc_buf[16384];

/* The next space-separated field of a /proc line (the cursor moves past it). */
static char *next_field(char **cur) {
  char *f = *cur;
  char *sp = strchr(f, ' ');
  if (sp) {
    *sp = 0;
    *cur = sp + 1;
  } else {
    *cur = f + strlen(f);
  }
  return f;
}

static int b_ps(int argc, char **argv) {
  (void)argc;
  (void)argv;
  if (slurp("/proc/tasks", proc_buf, sizeof proc_buf) < 0) return fail("ps", "/proc/tasks");
  printf("%5s %5s %-8s %4s %8s %s\n", "PID", "PPID", "STATE", "PRIO", "CPU(ms)", "NAME");
  char *save;
  for (char *l = strtok_r(proc_buf, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
    char *cur = l;
    char *pid = next_field(&cur);
    char *ppid = next_field(&cur);
    char *state = next_field(&cur);
    char *prio = next_field(&cur);
    char *cpu = next_field(&cur);
    printf("%5s %5s %-8s %4s %8s %s\n", pid, ppid, state, prio, cpu, cur);
  }
  return 0;
}

static int b_kill(int argc, char **argv) {
  int sig = SIGTERM;
  int first = 1;
  if (argc > 1 && argv[1][0] == '-') {
    sig = atoi(argv[1] + 1);
    if (strcmp(argv[1], "-KILL") == 0) sig = SIGKILL;
    if (strcmp(argv[1], "-INT") == 0) sig = SIGINT;
    if (strcmp(argv[1], "-TERM") == 0) sig = SIGTERM;
    first = 2;
  }
  if (first >= argc) {
    fprintf(stderr, "usage: kill [-SIG] PID...\n");
    return 2;
  }
  int st = 0;
  for (int i = first; i < argc; i++)
    if (kill(atoi(argv[i]), sig) < 0) st = fail("kill", argv[i]);
  return st;
}

static int b_mem(int argc, char **argv) {
  char path[64];
  const char *pid = argc > 1 ? argv[1] : "self";
  snprintf(path, sizeof path, "/proc/%s/maps", pid);
  if (slurp(path, proc_buf, sizeof proc_buf) < 0) return fail("mem", path);
  printf("%-17s %-4s %-6s %s\n", "RANGE", "PERM", "KIND", "PAGES");
  long total = 0;
  long bytes = 0;
  char *save;
  for (char *l = strtok_r(proc_buf, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
    char *cur = l;
    char *range = next_field(&cur);
    char *perm = next_field(&cur);
    char *kind = next_field(&cur);
    char *pages = next_field(&cur);
    unsigned long lo = strtoul(range, NULL, 16);
    unsigned long hi = strtoul(range + 9, NULL, 16);
    printf("%-17s %-4s %-6s %s\n", range, perm, kind, pages);
    total += atol(pages);
    bytes += (long)(hi - lo);
  }
  printf("mapped %ld KiB, resident %ld KiB\n", bytes / 1024, total * 4);
  if (slurp("/proc/meminfo", proc_buf, sizeof proc_buf) >= 0) {
    long tot = 0, fr = 0;
    for (char *l = strtok_r(proc_buf, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
      if (strncmp(l, "frames_total ", 13) == 0) tot = atol(l + 13);
      if (strncmp(l, "frames_free ", 12) == 0) fr = atol(l + 12);
    }
    printf("system: %ld of %ld frames free\n", fr, tot);
  }
  return 0;
}

static int b_chan(int argc, char **argv) {
  (void)argc;
  (void)argv;
  if (slurp("/proc/channels", proc_buf, sizeof proc_buf) < 0) return fail("chan", "/proc/channels");
  printf("%4s %5s %6s %5s %7s %-6s %s\n", "ID", "OWNER", "QUEUED", "MSGS", "SIZE", "STATE", "SERVICES");
  char *save;
  for (char *l = strtok_r(proc_buf, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
    char *cur = l;
    char *id = next_field(&cur);
    char *owner = next_field(&cur);
    next_field(&cur); /* rights */
    char *qbytes = next_field(&cur);
    char *qmsgs = next_field(&cur);
    next_field(&cur); /* sent */
    next_field(&cur); /* received */
    char *size = next_field(&cur);
    char *state = next_field(&cur);
    printf("%4s %5s %6s %5s %7s %-6s %s\n", id, owner, qbytes, qmsgs, size, state, cur);
  }
  return 0;
}

static int b_sleep(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: sleep SECONDS\n");
    return 2;
  }
  /* Seconds with an optional fraction: "1", "0.25". */
  char *end;
  long whole = strtol(argv[1], &end, 10);
  long ms = whole * 1000;
  int digits = end != argv[1];
  if (*end == '.') {
    long scale = 100;
    for (end++; *end >= '0' && *end <= '9'; end++, scale /= 10) {
      if (scale > 0) ms += (*end - '0') * scale;
      digits = 1;
    }
  }
  if (!digits || *end || whole < 0 || whole > 100000) {
    fprintf(stderr, "fsh: sleep: %s: invalid time interval\n", argv[1]);
    return 1;
  }
  struct timespec ts;
  ts.tv_sec = ms / 1000;
  ts.tv_nsec = (ms % 1000) * 1000000;
  nanosleep(&ts, NULL);
  return 0;
}

/* stty [size]: the console's window size, "rows R; columns C;" or (size) "R C" as GNU stty prints. */
static int b_stty(int argc, char **argv) {
  struct winsize ws;
  if (argc > 2 || (argc == 2 && strcmp(argv[1], "size") != 0)) {
    fprintf(stderr, "fsh: stty: usage: stty [size]\n");
    return 2;
  }
  if (ioctl(STDIN_FILENO, TIOCGWINSZ, &ws) < 0) return fail("stty", "standard input");
  if (argc == 2) printf("%u %u\n", ws.ws_row, ws.ws_col);
  else printf("rows %u; columns %u;\n", ws.ws_row, ws.ws_col);
  return 0;
}

static int b_exit(int argc, char **argv);
static int b_help(int argc, char **argv);

static const struct {
  const char *name;
  builtin_fn fn;
  const char *help;
} builtins[] = {
    {"cd", b_cd, "cd [DIR]          change directory (default /)"},
    {"pwd", b_pwd, "pwd               print the working directory"},
    {"ls", b_ls, "ls [-l] [PATH...] list a directory"},
    {"cat", b_cat, "cat [FILE...]     print files (or stdin)"},
    {"echo", b_echo, "echo [-n] ARG...  print the arguments"},
    {"mkdir", b_mkdir, "mkdir [-p] DIR... make directories"},
    {"rm", b_rm, "rm [-r] PATH...   remove files (and trees with -r)"},
    {"ps", b_ps, "ps                list tasks (/proc/tasks)"},
    {"kill", b_kill, "kill [-SIG] PID   send a signal (default TERM)"},
    {"mem", b_mem, "mem [PID]         a task's memory map (default: the shell)"},
    {"chan", b_chan, "chan              FIPC channels (/proc/channels)"},
    {"sleep", b_sleep, "sleep SECONDS     wait (fractions allowed)"},
    {"stty", b_stty, "stty [size]       the console's rows and columns"},
    {"help", b_help, "help              this list"},
    {"exit", b_exit, "exit [N]          leave the shell with status N"},
};
#define NBUILTINS (sizeof builtins / sizeof builtins[0])

static int exit_requested;

static int b_exit(int argc, char **argv) {
  exit_requested = 1;
  return argc > 1 ? atoi(argv[1]) & 255 : last_status;
}

static int b_help(int argc, char **argv) {
  (void)argc;
  (void)argv;
  printf("fsh builtins:\n");
  for (size_t i = 0; i < NBUILTINS; i++) printf("  %s\n", builtins[i].help);
  printf("Programs in /bin and /sbin run with arguments; | pipes, > >> < redirect, $? is the last status.\n");
  return 0;
}

int is_builtin(const char *name) {
  for (size_t i = 0; i < NBUILTINS; i++)
    if (strcmp(builtins[i].name, name) == 0) return 1;
  return 0;
}

int run_builtin(int argc, char **argv, int *want_exit) {
  for (size_t i = 0; i < NBUILTINS; i++) {
    if (strcmp(builtins[i].name, argv[0]) == 0) {
      exit_requested = 0;
      int st = builtins[i].fn(argc, argv);
      if (exit_requested) *want_exit = 1;
      return st;
    }
  }
  return 127;
}
