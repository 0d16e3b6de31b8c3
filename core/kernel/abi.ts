// The numbers of ABI.md that the kernel, libfutura, the toolchain and the views share:
// syscall numbers, flags, signals and the Sv32 memory layout of a task.

/** Syscall numbers (a7). Linux generic table where one exists; Futura's own on unused numbers. */
export const SYS = {
  getcwd: 17,
  dup: 23,
  dup3: 24,
  ioctl: 29,
  mkdirat: 34,
  unlinkat: 35,
  echo: 42,
  chdir: 49,
  openat: 56,
  close: 57,
  pipe2: 59,
  getdents64: 61,
  lseek: 62,
  read: 63,
  write: 64,
  newfstatat: 79,
  fstat: 80,
  exit: 93,
  exit_group: 94,
  nanosleep: 101,
  clock_gettime: 113,
  sched_yield: 124,
  kill: 129,
  rt_sigaction: 134,
  rt_sigprocmask: 135,
  rt_sigreturn: 139,
  setpgid: 154,
  getpgid: 155,
  getpid: 172,
  getppid: 173,
  brk: 214,
  munmap: 215,
  clone: 220,
  execve: 221,
  mmap: 222,
  mprotect: 226,
  wait4: 260,
  time_millis: 400,
  fipc_create: 600,
  fipc_send: 601,
  fipc_recv: 602,
  fipc_close: 603,
  fipc_poll: 604,
  fipc_connect: 605,
  fipc_register: 606,
  fipc_grant: 607,
} as const;
export type SyscallName = keyof typeof SYS;

// waitpid
export const WNOHANG = 1;

// mmap / mprotect
export const PROT_NONE = 0;
export const PROT_READ = 1;
export const PROT_WRITE = 2;
export const PROT_EXEC = 4;
export const MAP_SHARED = 0x01;
export const MAP_PRIVATE = 0x02;
export const MAP_FIXED = 0x10;
export const MAP_ANONYMOUS = 0x20;

// openat and friends
export const AT_FDCWD = -100;
export const AT_REMOVEDIR = 0x200;
export const AT_EMPTY_PATH = 0x1000;
export const O_RDONLY = 0;
export const O_WRONLY = 1;
export const O_RDWR = 2;
export const O_ACCMODE = 3;
export const O_CREAT = 0x40;
export const O_EXCL = 0x80;
export const O_TRUNC = 0x200;
export const O_APPEND = 0x400;
export const O_NONBLOCK = 0x800;
export const O_DIRECTORY = 0x10000;
export const O_CLOEXEC = 0x80000;
export const SEEK_SET = 0;
export const SEEK_CUR = 1;
export const SEEK_END = 2;

// ioctl
export const FBIOGET_INFO = 0x4601;
/** The console's foreground process group (Linux values): get into an int *, set from an int *. */
export const TIOCGPGRP = 0x540f;
export const TIOCSPGRP = 0x5410;
/**
 * The console's window size (Linux values; docs/tty.md): get into / set from a
 * struct winsize { unsigned short ws_row, ws_col, ws_xpixel, ws_ypixel; } (8 bytes).
 */
export const TIOCGWINSZ = 0x5413;
export const TIOCSWINSZ = 0x5414;
export const WINSIZE_SIZE = 8;

// clock_gettime
export const CLOCK_REALTIME = 0;
export const CLOCK_MONOTONIC = 1;

// Signals (Linux values)
export const SIGINT = 2;
export const SIGILL = 4;
export const SIGTRAP = 5;
export const SIGBUS = 7;
export const SIGKILL = 9;
export const SIGSEGV = 11;
export const SIGPIPE = 13;
export const SIGTERM = 15;
export const SIGCHLD = 17;

// Auxiliary vector
export const AT_NULL = 0;
export const AT_PAGESZ = 6;

// Memory layout of a task (Sv32, 4 KiB pages)
export const PAGE_SIZE = 4096;
export const PAGE_SHIFT = 12;
/** Lowest user address that may be mapped (below is the null guard). */
export const USER_MIN = 0x0040_0000;
/** Default ELF link base. */
export const USER_LINK_BASE = 0x0040_0000;
/** First byte of the kernel half; user space is [USER_MIN, USER_END). */
export const USER_END = 0x8000_0000;
export const KERNEL_BASE = 0x8000_0000;
/** Lowest address of anonymous mmap placement (mmap_base = max(this, heap mapped end)). */
export const MMAP_BASE_MIN = 0x4000_0000;
/** Default per-task quota on anonymous/device mmap bytes. */
export const MMAP_QUOTA_DEFAULT = 256 * 1024 * 1024;
export const STACK_TOP = 0x7fff_0000;
export const STACK_SIZE = 256 * 1024;
export const STACK_BOTTOM = STACK_TOP - STACK_SIZE;
/** The guard page sits directly below the stack. */
export const STACK_GUARD = STACK_BOTTOM - PAGE_SIZE;

// Scheduler and time
export const PRIO_MIN = 0;
export const PRIO_MAX = 255;
export const PRIO_DEFAULT = 128;
export const PRIO_IDLE = 0;
export const TIMER_HZ = 100;
export const TICK_MS = 1000 / TIMER_HZ;

// FIPC
export const FIPC_BLOCKING = 1;
export const FIPC_NONBLOCKING = 2;
export const FIPC_HEADER_SIZE = 32;
export const FIPC_MAX_PAYLOAD = 65536;
export const FIPC_QUEUE_DEFAULT = 8192;
export const FIPC_QUEUE_MIN = 256;
export const FIPC_QUEUE_MAX = 1024 * 1024;
export const FIPC_RECV_MIN = FIPC_HEADER_SIZE;
export const FIPC_RECV_MAX = FIPC_HEADER_SIZE + FIPC_MAX_PAYLOAD;
export const FIPC_RIGHT_SEND = 1;
export const FIPC_RIGHT_RECV = 2;
export const FIPC_RIGHT_SYS = 4;
export const FIPC_RIGHT_ADMIN = 8;
export const FIPC_EVENT_MESSAGE = 1;
export const FIPC_EVENT_DISCONNECT = 2;
export const FIPC_EVENT_ERROR = 4;
export const FIPC_CHANNEL_METRICS = 1;
export const FIPC_CHANNEL_CONTROL = 2;
export const FIPC_FIRST_USER_CHANNEL = 3;
export const FIPC_TYPE_USER_BASE = 0x1000;
export const FIPC_TYPE_ADMIN = 0x41444d49; // 'ADMI'

// VFS
export const NAME_MAX = 255;
export const PATH_MAX = 4096;
export const FD_MAX = 256;
