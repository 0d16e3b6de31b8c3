/* init, pid 1: reads /etc/init.conf, starts the services in dependency order (waiting for each
 * one's ready file), then the session (the shell on /dev/console); reaps every child; restarts a
 * service that ends, at most 5 times in 60 s, and says so on the console. When the session ends,
 * init stops the services (and any other task left) and exits with the session's status. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "init.h"

#define READY_TIMEOUT_MS 2000
#define SHUTDOWN_GRACE_MS 1000

static struct config cfg;

static void describe(int status, char *buf, size_t n) {
  if (WIFSIGNALED(status)) snprintf(buf, n, "signal %d", WTERMSIG(status));
  else snprintf(buf, n, "status %d", WEXITSTATUS(status));
}

static void child_exec(struct service *s) {
  if (s->session) {
    int fd = open(cfg.console, O_RDWR);
    if (fd >= 0) {
      dup2(fd, 0);
      dup2(fd, 1);
      dup2(fd, 2);
      if (fd > 2) close(fd);
    }
  }
  char args[256];
  char env[256];
  char *argv[MAX_ARGS + 2];
  char *envp[MAX_ARGS + 4];
  int ac = 0;
  int ec = 0;
  argv[ac++] = s->exec;
  strlcpy(args, s->args, sizeof args);
  char *save;
  for (char *a = strtok_r(args, " \t", &save); a && ac <= MAX_ARGS; a = strtok_r(NULL, " \t", &save))
    argv[ac++] = a;
  argv[ac] = NULL;
  envp[ec++] = "PATH=/bin:/sbin";
  envp[ec++] = "HOME=/";
  envp[ec++] = "XDG_RUNTIME_DIR=/tmp";
  strlcpy(env, s->env, sizeof env);
  for (char *e = strtok_r(env, " \t", &save); e && ec < MAX_ARGS + 3; e = strtok_r(NULL, " \t", &save))
    envp[ec++] = e;
  envp[ec] = NULL;
  execve(s->exec, argv, envp);
  fprintf(stderr, "init: cannot start %s (%s): %s\n", s->name, s->exec, strerror(errno));
  _exit(127);
}

static void start(struct service *s) {
  fflush(NULL);
  int pid = fork();
  if (pid < 0) {
    fprintf(stderr, "init: fork for %s failed: %s\n", s->name, strerror(errno));
    return;
  }
  if (pid == 0) child_exec(s);
  s->pid = pid;
  s->started = 1;
}

static struct service *by_pid(int pid) {
  for (int i = 0; i < cfg.count; i++)
    if (cfg.svc[i].pid == pid) return &cfg.svc[i];
  return NULL;
}

/* Stops every task but init: SIGTERM to the services and to whatever else is left (orphans init
 * adopted included, so the wait below ends), then SIGKILL to those still there after a grace. */
static void shutdown_and_exit(int session_status) {
  printf("init: session ended, stopping services\n");
  fflush(NULL);
  for (int i = 0; i < cfg.count; i++)
    if (cfg.svc[i].pid > 0) kill(cfg.svc[i].pid, SIGTERM);
  kill(-1, SIGTERM);
  long deadline = time_millis() + SHUTDOWN_GRACE_MS;
  int killed = 0;
  for (;;) {
    int pid = waitpid(-1, NULL, WNOHANG);
    if (pid > 0) continue;
    if (pid < 0) break; /* no children left */
    if (!killed && time_millis() >= deadline) {
      printf("init: tasks still running after %d ms; killing them\n", SHUTDOWN_GRACE_MS);
      fflush(NULL);
      kill(-1, SIGKILL);
      killed = 1;
    }
    usleep(10000);
  }
  exit(WIFSIGNALED(session_status) ? 128 + WTERMSIG(session_status) : WEXITSTATUS(session_status));
}

static void ended(int pid, int status) {
  struct service *s = by_pid(pid);
  if (!s) return; /* an orphan handed to init: reaped, nothing else to do */
  s->pid = 0;
  char how[32];
  describe(status, how, sizeof how);
  if (s->session) shutdown_and_exit(status);
  if (!s->respawn) {
    printf("init: service %s exited (%s)\n", s->name, how);
    return;
  }
  /* Count the restarts within the window; the ring holds the last RESPAWN_LIMIT of them. */
  long now = time_millis();
  int recent = 0;
  for (int i = 0; i < s->nstarts && i < RESPAWN_LIMIT; i++)
    if (now - s->starts[i] < RESPAWN_WINDOW_MS) recent++;
  if (recent >= RESPAWN_LIMIT) {
    printf("init: service %s exited (%s) %d times in 60 s; giving up on it\n", s->name, how,
           RESPAWN_LIMIT + 1);
    s->given_up = 1;
    return;
  }
  s->starts[s->nstarts % RESPAWN_LIMIT] = now;
  s->nstarts++;
  printf("init: service %s exited (%s); restarting (%d of %d in 60 s)\n", s->name, how, recent + 1,
         RESPAWN_LIMIT);
  start(s);
}

/* Waits until the service's ready file exists (or it exits, or the timeout). */
static void wait_ready(struct service *s) {
  long deadline = time_millis() + READY_TIMEOUT_MS;
  struct stat st;
  while (s->pid > 0 && stat(s->ready, &st) < 0) {
    int status;
    int pid = waitpid(-1, &status, WNOHANG);
    if (pid > 0) {
      ended(pid, status);
      continue;
    }
    if (time_millis() >= deadline) {
      printf("init: service %s not ready after %d ms\n", s->name, READY_TIMEOUT_MS);
      return;
    }
    usleep(10000);
  }
}

int main(int argc, char **argv) {
  const char *path = argc > 1 ? argv[1] : "/etc/init.conf";
  mkdir("/tmp", 01777);
  mkdir("/run", 0755);
  if (config_load(path, &cfg) < 0) {
    fprintf(stderr, "init: cannot use %s; starting /bin/fsh\n", path);
    memset(&cfg, 0, sizeof cfg);
    strlcpy(cfg.console, "/dev/console", sizeof cfg.console);
    strlcpy(cfg.svc[0].name, "shell", sizeof cfg.svc[0].name);
    strlcpy(cfg.svc[0].exec, "/bin/fsh", sizeof cfg.svc[0].exec);
    cfg.svc[0].session = 1;
    cfg.count = 1;
  }
  int order[MAX_SERVICES];
  int n = config_order(&cfg, order);
  if (n < 0) {
    fprintf(stderr, "init: starting services in file order\n");
    n = cfg.count;
    for (int i = 0; i < n; i++) order[i] = i;
  }
  for (int i = 0; i < n; i++) {
    struct service *s = &cfg.svc[order[i]];
    start(s);
    if (s->ready[0]) wait_ready(s);
  }
  for (;;) {
    int status;
    int pid = wait(&status);
    if (pid < 0) {
      if (errno == ECHILD) break;
      continue;
    }
    ended(pid, status);
  }
  printf("init: no children left\n");
  return 0;
}
