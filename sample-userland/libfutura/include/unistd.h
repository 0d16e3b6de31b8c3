/* unistd.h: POSIX shims over the system calls; on failure they return -1 and set errno. */
#ifndef _UNISTD_H
#define _UNISTD_H
#include <sys/types.h>
#define STDIN_FILENO 0
#define STDOUT_FILENO 1
#define STDERR_FILENO 2
#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2
extern char **environ;
ssize_t read(int fd, void *buf, size_t n);
ssize_t write(int fd, const void *buf, size_t n);
int close(int fd);
off_t lseek(int fd, off_t off, int whence);
pid_t fork(void);
int execve(const char *path, char *const argv[], char *const envp[]);
int execv(const char *path, char *const argv[]);
int pipe(int fds[2]);
int dup(int fd);
int dup2(int oldfd, int newfd);
pid_t getpid(void);
pid_t getppid(void);
unsigned sleep(unsigned seconds);
int usleep(useconds_t usec);
int chdir(const char *path);
char *getcwd(char *buf, size_t size);
int unlink(const char *path);
int rmdir(const char *path);
int sched_yield(void);
int isatty(int fd);
int setpgid(pid_t pid, pid_t pgid);
pid_t getpgid(pid_t pid);
pid_t getpgrp(void);
/* The console's foreground process group (ioctl TIOCSPGRP / TIOCGPGRP). */
int tcsetpgrp(int fd, pid_t pgrp);
pid_t tcgetpgrp(int fd);
void *sbrk(long increment);
int brk(void *addr);
_Noreturn void _exit(int code);
#endif
