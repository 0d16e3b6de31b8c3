/* Signals: sigaction and friends over rt_sigaction / rt_sigprocmask (8-byte sets), process
 * groups and the console's foreground group. */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys.h>
#include <unistd.h>

static int ret(long r) {
  if (r < 0) {
    errno = (int)-r;
    return -1;
  }
  return (int)r;
}

int sigaction(int sig, const struct sigaction *act, struct sigaction *old) {
  return ret(sys_rt_sigaction(sig, act, old, 8));
}

sighandler_t signal(int sig, sighandler_t handler) {
  struct sigaction sa;
  struct sigaction old;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = handler;
  sa.sa_flags = SA_RESTART;
  if (sigaction(sig, &sa, &old) < 0) return SIG_ERR;
  return old.sa_handler;
}

int sigprocmask(int how, const sigset_t *set, sigset_t *old) {
  return ret(sys_rt_sigprocmask(how, set, old, 8));
}

static int bad(int sig) {
  if (sig < 1 || sig > 64) {
    errno = EINVAL;
    return 1;
  }
  return 0;
}

int sigemptyset(sigset_t *s) {
  s->__bits[0] = s->__bits[1] = 0;
  return 0;
}
int sigfillset(sigset_t *s) {
  s->__bits[0] = s->__bits[1] = ~0ul;
  return 0;
}
int sigaddset(sigset_t *s, int sig) {
  if (bad(sig)) return -1;
  s->__bits[(sig - 1) / 32] |= 1ul << ((sig - 1) % 32);
  return 0;
}
int sigdelset(sigset_t *s, int sig) {
  if (bad(sig)) return -1;
  s->__bits[(sig - 1) / 32] &= ~(1ul << ((sig - 1) % 32));
  return 0;
}
int sigismember(const sigset_t *s, int sig) {
  if (bad(sig)) return -1;
  return (s->__bits[(sig - 1) / 32] >> ((sig - 1) % 32)) & 1;
}

int raise(int sig) { return kill(getpid(), sig); }

int setpgid(pid_t pid, pid_t pgid) { return ret(sys_setpgid(pid, pgid)); }
pid_t getpgid(pid_t pid) { return ret(sys_getpgid(pid)); }
pid_t getpgrp(void) { return ret(sys_getpgid(0)); }

int tcsetpgrp(int fd, pid_t pgrp) {
  int g = pgrp;
  return ret(sys_ioctl(fd, TIOCSPGRP, &g));
}

pid_t tcgetpgrp(int fd) {
  int g = 0;
  if (ret(sys_ioctl(fd, TIOCGPGRP, &g)) < 0) return -1;
  return g;
}
