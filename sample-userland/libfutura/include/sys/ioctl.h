/* sys/ioctl.h: device control (docs/tty.md, ABI.md). ioctl() returns -1 and sets errno on failure:
 * ENOTTY when the fd is not a device that knows the request, EFAULT for a bad pointer. */
#ifndef _SYS_IOCTL_H
#define _SYS_IOCTL_H

/* The console's window size: TIOCGWINSZ reads it, TIOCSWINSZ sets it (Linux's layout). */
struct winsize {
  unsigned short ws_row;
  unsigned short ws_col;
  unsigned short ws_xpixel;
  unsigned short ws_ypixel;
};

/* The same numbers as sys.h's (which may be included too). */
#ifndef TIOCGWINSZ
#define TIOCGPGRP 0x540F
#define TIOCSPGRP 0x5410
#define TIOCGWINSZ 0x5413
#define TIOCSWINSZ 0x5414
#define FBIOGET_INFO 0x4601
#endif

int ioctl(int fd, unsigned long request, void *arg);

#endif
