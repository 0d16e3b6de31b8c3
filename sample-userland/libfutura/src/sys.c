/* The sys_* veneers of sys.h: one line each over __syscall6. */
#include <sys.h>

#define S0(n) __syscall6(0, 0, 0, 0, 0, 0, (n))
#define S1(n, a) __syscall6((long)(a), 0, 0, 0, 0, 0, (n))
#define S2(n, a, b) __syscall6((long)(a), (long)(b), 0, 0, 0, 0, (n))
#define S3(n, a, b, c) __syscall6((long)(a), (long)(b), (long)(c), 0, 0, 0, (n))
#define S4(n, a, b, c, d) __syscall6((long)(a), (long)(b), (long)(c), (long)(d), 0, 0, (n))

void sys_exit(int code) {
  for (;;) S1(SYS_exit, code);
}
void sys_exit_group(int code) {
  for (;;) S1(SYS_exit_group, code);
}
long sys_wait4(int pid, int *status, int options, void *rusage) {
  return S4(SYS_wait4, pid, status, options, rusage);
}
long sys_time_millis(void) { return S0(SYS_time_millis); }
long sys_brk(void *addr) { return S1(SYS_brk, addr); }
long sys_mmap(void *addr, size_t len, int prot, int flags, int fd, long offset) {
  return __syscall6((long)addr, (long)len, prot, flags, fd, offset, SYS_mmap);
}
long sys_munmap(void *addr, size_t len) { return S2(SYS_munmap, addr, len); }
long sys_mprotect(void *addr, size_t len, int prot) { return S3(SYS_mprotect, addr, len, prot); }
long sys_nanosleep(const struct futura_timespec32 *req, struct futura_timespec32 *rem) {
  return S2(SYS_nanosleep, req, rem);
}
long sys_echo(const char *in, char *out, size_t len) { return S3(SYS_echo, in, out, len); }
long sys_read(int fd, void *buf, size_t len) { return S3(SYS_read, fd, buf, len); }
long sys_write(int fd, const void *buf, size_t len) { return S3(SYS_write, fd, buf, len); }
long sys_openat(int dirfd, const char *path, int flags, int mode) {
  return S4(SYS_openat, dirfd, path, flags, mode);
}
long sys_close(int fd) { return S1(SYS_close, fd); }
long sys_lseek(int fd, long off, int whence) { return S3(SYS_lseek, fd, off, whence); }
long sys_getdents64(int fd, void *buf, size_t len) { return S3(SYS_getdents64, fd, buf, len); }
long sys_mkdirat(int dirfd, const char *path, int mode) { return S3(SYS_mkdirat, dirfd, path, mode); }
long sys_unlinkat(int dirfd, const char *path, int flags) {
  return S3(SYS_unlinkat, dirfd, path, flags);
}
long sys_fstat(int fd, struct stat *st) { return S2(SYS_fstat, fd, st); }
long sys_newfstatat(int dirfd, const char *path, struct stat *st, int flags) {
  return S4(SYS_newfstatat, dirfd, path, st, flags);
}
long sys_ioctl(int fd, unsigned long req, void *arg) { return S3(SYS_ioctl, fd, req, arg); }
long sys_dup(int fd) { return S1(SYS_dup, fd); }
long sys_dup3(int oldfd, int newfd, int flags) { return S3(SYS_dup3, oldfd, newfd, flags); }
long sys_pipe2(int fds[2], int flags) { return S2(SYS_pipe2, fds, flags); }
long sys_chdir(const char *path) { return S1(SYS_chdir, path); }
long sys_getcwd(char *buf, size_t len) { return S2(SYS_getcwd, buf, len); }
long sys_getpid(void) { return S0(SYS_getpid); }
long sys_getppid(void) { return S0(SYS_getppid); }
long sys_clone(unsigned long flags, void *stack) { return S2(SYS_clone, flags, stack); }
long sys_fork(void) { return sys_clone(17 /* SIGCHLD */, 0); }
long sys_execve(const char *path, char *const argv[], char *const envp[]) {
  return S3(SYS_execve, path, argv, envp);
}
long sys_kill(int pid, int sig) { return S2(SYS_kill, pid, sig); }
long sys_rt_sigaction(int sig, const void *act, void *oldact, size_t sigsetsize) {
  return S4(SYS_rt_sigaction, sig, act, oldact, sigsetsize);
}
long sys_rt_sigprocmask(int how, const void *set, void *oldset, size_t sigsetsize) {
  return S4(SYS_rt_sigprocmask, how, set, oldset, sigsetsize);
}
long sys_setpgid(int pid, int pgid) { return S2(SYS_setpgid, pid, pgid); }
long sys_getpgid(int pid) { return S1(SYS_getpgid, pid); }
long sys_sched_yield(void) { return S0(SYS_sched_yield); }
long sys_clock_gettime(int clockid, struct futura_timespec64 *ts) {
  return S2(SYS_clock_gettime, clockid, ts);
}
long sys_fipc_create(int flags, size_t queue_bytes) { return S2(SYS_fipc_create, flags, queue_bytes); }
long sys_fipc_send(int id, uint32_t type, const void *data, size_t len) {
  return S4(SYS_fipc_send, id, type, data, len);
}
long sys_fipc_recv(int id, void *buf, size_t len) { return S3(SYS_fipc_recv, id, buf, len); }
long sys_fipc_close(int id) { return S1(SYS_fipc_close, id); }
long sys_fipc_poll(int id, int mask) { return S2(SYS_fipc_poll, id, mask); }
long sys_fipc_connect(const char *service) { return S1(SYS_fipc_connect, service); }
long sys_fipc_register(const char *service, int id) { return S2(SYS_fipc_register, service, id); }
long sys_fipc_grant(int id, int pid, int rights) { return S3(SYS_fipc_grant, id, pid, rights); }
