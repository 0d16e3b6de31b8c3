/* sys.h: raw system calls of the Futura ABI (../shared/ABI.md). Each sys_* veneer returns what the
 * kernel returned: a result, or a negative errno. The POSIX shims in unistd.h set errno instead. */
#ifndef _FUTURA_SYS_H
#define _FUTURA_SYS_H

#include <stddef.h>
#include <stdint.h>

#define SYS_getcwd 17
#define SYS_dup 23
#define SYS_dup3 24
#define SYS_ioctl 29
#define SYS_mkdirat 34
#define SYS_unlinkat 35
#define SYS_echo 42
#define SYS_chdir 49
#define SYS_openat 56
#define SYS_close 57
#define SYS_pipe2 59
#define SYS_getdents64 61
#define SYS_lseek 62
#define SYS_read 63
#define SYS_write 64
#define SYS_newfstatat 79
#define SYS_fstat 80
#define SYS_exit 93
#define SYS_exit_group 94
#define SYS_nanosleep 101
#define SYS_clock_gettime 113
#define SYS_sched_yield 124
#define SYS_kill 129
#define SYS_rt_sigaction 134
#define SYS_rt_sigprocmask 135
#define SYS_rt_sigreturn 139
#define SYS_setpgid 154
#define SYS_getpgid 155
#define SYS_getpid 172
#define SYS_getppid 173
#define SYS_brk 214
#define SYS_munmap 215
#define SYS_clone 220
#define SYS_execve 221
#define SYS_mmap 222
#define SYS_mprotect 226
#define SYS_wait4 260
#define SYS_time_millis 400
#define SYS_fipc_create 600
#define SYS_fipc_send 601
#define SYS_fipc_recv 602
#define SYS_fipc_close 603
#define SYS_fipc_poll 604
#define SYS_fipc_connect 605
#define SYS_fipc_register 606
#define SYS_fipc_grant 607

#define AT_FDCWD (-100)
#define AT_REMOVEDIR 0x200
#define AT_EMPTY_PATH 0x1000
#define FBIOGET_INFO 0x4601
#define TIOCGPGRP 0x540F
#define TIOCSPGRP 0x5410
#define TIOCGWINSZ 0x5413 /* docs/tty.md: the console's struct winsize (sys/ioctl.h) */
#define TIOCSWINSZ 0x5414

/* The single entry point (syscall.S): six arguments, then the number. */
long __syscall6(long a0, long a1, long a2, long a3, long a4, long a5, long nr);

struct stat;
struct futura_timespec32 {
  int32_t tv_sec;
  int32_t tv_nsec;
};
struct futura_timespec64 {
  int64_t tv_sec;
  int64_t tv_nsec;
};
struct fb_info {
  uint32_t width;
  uint32_t height;
  uint32_t pitch;
  uint32_t bpp;
  uint32_t flags;
};

void sys_exit(int code);
void sys_exit_group(int code);
long sys_wait4(int pid, int *status, int options, void *rusage);
long sys_time_millis(void);
long sys_brk(void *addr);
long sys_mmap(void *addr, size_t len, int prot, int flags, int fd, long offset);
long sys_munmap(void *addr, size_t len);
long sys_mprotect(void *addr, size_t len, int prot);
long sys_nanosleep(const struct futura_timespec32 *req, struct futura_timespec32 *rem);
long sys_echo(const char *in, char *out, size_t len);
long sys_read(int fd, void *buf, size_t len);
long sys_write(int fd, const void *buf, size_t len);
long sys_openat(int dirfd, const char *path, int flags, int mode);
long sys_close(int fd);
long sys_lseek(int fd, long off, int whence);
long sys_getdents64(int fd, void *buf, size_t len);
long sys_mkdirat(int dirfd, const char *path, int mode);
long sys_unlinkat(int dirfd, const char *path, int flags);
long sys_fstat(int fd, struct stat *st);
long sys_newfstatat(int dirfd, const char *path, struct stat *st, int flags);
long sys_ioctl(int fd, unsigned long req, void *arg);
long sys_dup(int fd);
long sys_dup3(int oldfd, int newfd, int flags);
long sys_pipe2(int fds[2], int flags);
long sys_chdir(const char *path);
long sys_getcwd(char *buf, size_t len);
long sys_getpid(void);
long sys_getppid(void);
long sys_clone(unsigned long flags, void *stack);
long sys_fork(void);
long sys_execve(const char *path, char *const argv[], char *const envp[]);
long sys_kill(int pid, int sig);
/* Signals beyond ABI.md's table (docs/signals.md): Linux numbers and layouts. */
long sys_rt_sigaction(int sig, const void *act, void *oldact, size_t sigsetsize);
long sys_rt_sigprocmask(int how, const void *set, void *oldset, size_t sigsetsize);
long sys_setpgid(int pid, int pgid);
long sys_getpgid(int pid);
long sys_sched_yield(void);
long sys_clock_gettime(int clockid, struct futura_timespec64 *ts);
long sys_fipc_create(int flags, size_t queue_bytes);
long sys_fipc_send(int id, uint32_t type, const void *data, size_t len);
long sys_fipc_recv(int id, void *buf, size_t len);
long sys_fipc_close(int id);
long sys_fipc_poll(int id, int mask);
long sys_fipc_connect(const char *service);
long sys_fipc_register(const char *service, int id);
long sys_fipc_grant(int id, int pid, int rights);

#endif
