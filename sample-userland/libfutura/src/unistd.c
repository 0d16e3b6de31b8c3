/* POSIX shims: each system call with errno set and -1 on failure. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <sys.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long ret(long r) {
  if (r < 0 && r > -4096) {
    errno = (int)-r;
    return -1;
  }
  return r;
}

ssize_t read(int fd, void *buf, size_t n) { return (ssize_t)ret(sys_read(fd, buf, n)); }
ssize_t write(int fd, const void *buf, size_t n) { return (ssize_t)ret(sys_write(fd, buf, n)); }
int close(int fd) { return (int)ret(sys_close(fd)); }
off_t lseek(int fd, off_t off, int whence) { return (off_t)ret(sys_lseek(fd, off, whence)); }

int open(const char *path, int flags, ...) {
  int mode = 0;
  if (flags & O_CREAT) {
    va_list ap;
    va_start(ap, flags);
    mode = va_arg(ap, int);
    va_end(ap);
  }
  return (int)ret(sys_openat(AT_FDCWD, path, flags, mode));
}
int creat(const char *path, mode_t mode) { return open(path, O_WRONLY | O_CREAT | O_TRUNC, mode); }

pid_t fork(void) { return (pid_t)ret(sys_fork()); }
int execve(const char *path, char *const argv[], char *const envp[]) {
  return (int)ret(sys_execve(path, argv, envp));
}
int execv(const char *path, char *const argv[]) { return execve(path, argv, environ); }
pid_t waitpid(pid_t pid, int *status, int options) {
  return (pid_t)ret(sys_wait4(pid, status, options, 0));
}
pid_t wait(int *status) { return waitpid(-1, status, 0); }
int pipe(int fds[2]) { return (int)ret(sys_pipe2(fds, 0)); }
int dup(int fd) { return (int)ret(sys_dup(fd)); }
int ioctl(int fd, unsigned long request, void *arg) { return (int)ret(sys_ioctl(fd, request, arg)); }
int dup2(int oldfd, int newfd) {
  if (oldfd == newfd) {
    /* dup3 refuses equal descriptors; dup2 checks oldfd is valid and returns it. */
    struct stat st;
    return sys_fstat(oldfd, &st) < 0 ? (int)ret(-EBADF) : newfd;
  }
  return (int)ret(sys_dup3(oldfd, newfd, 0));
}
pid_t getpid(void) { return (pid_t)sys_getpid(); }
pid_t getppid(void) { return (pid_t)sys_getppid(); }
int kill(pid_t pid, int sig) { return (int)ret(sys_kill(pid, sig)); }
int chdir(const char *path) { return (int)ret(sys_chdir(path)); }
char *getcwd(char *buf, size_t size) {
  long r = sys_getcwd(buf, size);
  if (r < 0) {
    errno = (int)-r;
    return NULL;
  }
  return buf;
}
int unlink(const char *path) { return (int)ret(sys_unlinkat(AT_FDCWD, path, 0)); }
int rmdir(const char *path) { return (int)ret(sys_unlinkat(AT_FDCWD, path, AT_REMOVEDIR)); }
int mkdir(const char *path, mode_t mode) { return (int)ret(sys_mkdirat(AT_FDCWD, path, (int)mode)); }
int stat(const char *path, struct stat *st) { return (int)ret(sys_newfstatat(AT_FDCWD, path, st, 0)); }
int fstat(int fd, struct stat *st) { return (int)ret(sys_fstat(fd, st)); }
int sched_yield(void) { return (int)ret(sys_sched_yield()); }

int isatty(int fd) {
  struct stat st;
  if (sys_fstat(fd, &st) < 0) return 0;
  return S_ISCHR(st.st_mode) && st.st_rdev == ((5u << 8) | 1u); /* /dev/console */
}

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t offset) {
  long r = sys_mmap(addr, len, prot, flags, fd, offset);
  if (r < 0 && r > -4096) {
    errno = (int)-r;
    return MAP_FAILED;
  }
  return (void *)r;
}
int munmap(void *addr, size_t len) { return (int)ret(sys_munmap(addr, len)); }
int mprotect(void *addr, size_t len, int prot) { return (int)ret(sys_mprotect(addr, len, prot)); }

int brk(void *addr) {
  long r = sys_brk(addr);
  if (r != (long)addr) {
    errno = ENOMEM;
    return -1;
  }
  return 0;
}

void *sbrk(long increment) {
  long cur = sys_brk(0);
  if (increment == 0) return (void *)cur;
  long r = sys_brk((void *)(cur + increment));
  if (r != cur + increment) {
    errno = ENOMEM;
    return (void *)-1;
  }
  return (void *)cur;
}

int nanosleep(const struct timespec *req, struct timespec *rem) {
  struct futura_timespec32 r;
  struct futura_timespec32 left;
  r.tv_sec = (int32_t)req->tv_sec;
  r.tv_nsec = (int32_t)req->tv_nsec;
  long x = sys_nanosleep(&r, &left);
  if (rem) {
    rem->tv_sec = left.tv_sec;
    rem->tv_nsec = left.tv_nsec;
  }
  return (int)ret(x);
}

unsigned sleep(unsigned seconds) {
  struct timespec ts;
  ts.tv_sec = (time_t)seconds;
  ts.tv_nsec = 0;
  return nanosleep(&ts, NULL) < 0 ? seconds : 0;
}

int usleep(useconds_t usec) {
  struct timespec ts;
  ts.tv_sec = usec / 1000000;
  ts.tv_nsec = (usec % 1000000) * 1000;
  return nanosleep(&ts, NULL);
}

int clock_gettime(int clockid, struct timespec *ts) {
  struct futura_timespec64 t;
  long r = sys_clock_gettime(clockid, &t);
  if (r < 0) return (int)ret(r);
  ts->tv_sec = (time_t)t.tv_sec;
  ts->tv_nsec = (long)t.tv_nsec;
  return 0;
}

time_t time(time_t *t) {
  struct timespec ts;
  if (clock_gettime(CLOCK_REALTIME, &ts) < 0) ts.tv_sec = (time_t)-1;
  if (t) *t = ts.tv_sec;
  return ts.tv_sec;
}

long time_millis(void) { return sys_time_millis(); }
