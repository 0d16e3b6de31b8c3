// Linux errno values (ABI.md §System calls). Guest-caused failures return `-E*` from kernel
// functions; nothing here throws for guest input.

export const EPERM = 1;
export const ENOENT = 2;
export const ESRCH = 3;
export const EINTR = 4;
export const EIO = 5;
export const ENXIO = 6;
export const E2BIG = 7;
export const ENOEXEC = 8;
export const EBADF = 9;
export const ECHILD = 10;
export const EAGAIN = 11;
export const ENOMEM = 12;
export const EACCES = 13;
export const EFAULT = 14;
export const EBUSY = 16;
export const EEXIST = 17;
export const EXDEV = 18;
export const ENODEV = 19;
export const ENOTDIR = 20;
export const EISDIR = 21;
export const EINVAL = 22;
export const ENFILE = 23;
export const EMFILE = 24;
export const ENOTTY = 25;
export const EFBIG = 27;
export const ENOSPC = 28;
export const ESPIPE = 29;
export const EROFS = 30;
export const EPIPE = 32;
export const ERANGE = 34;
export const ENAMETOOLONG = 36;
export const ENOSYS = 38;
export const ENOTEMPTY = 39;

const NAMES: Readonly<Record<number, string>> = {
  [EPERM]: 'EPERM',
  [ENOENT]: 'ENOENT',
  [ESRCH]: 'ESRCH',
  [EINTR]: 'EINTR',
  [EIO]: 'EIO',
  [ENXIO]: 'ENXIO',
  [E2BIG]: 'E2BIG',
  [ENOEXEC]: 'ENOEXEC',
  [EBADF]: 'EBADF',
  [ECHILD]: 'ECHILD',
  [EAGAIN]: 'EAGAIN',
  [ENOMEM]: 'ENOMEM',
  [EACCES]: 'EACCES',
  [EFAULT]: 'EFAULT',
  [EBUSY]: 'EBUSY',
  [EEXIST]: 'EEXIST',
  [EXDEV]: 'EXDEV',
  [ENODEV]: 'ENODEV',
  [ENOTDIR]: 'ENOTDIR',
  [EISDIR]: 'EISDIR',
  [EINVAL]: 'EINVAL',
  [ENFILE]: 'ENFILE',
  [EMFILE]: 'EMFILE',
  [ENOTTY]: 'ENOTTY',
  [EFBIG]: 'EFBIG',
  [ENOSPC]: 'ENOSPC',
  [ESPIPE]: 'ESPIPE',
  [EROFS]: 'EROFS',
  [EPIPE]: 'EPIPE',
  [ERANGE]: 'ERANGE',
  [ENAMETOOLONG]: 'ENAMETOOLONG',
  [ENOSYS]: 'ENOSYS',
  [ENOTEMPTY]: 'ENOTEMPTY',
};

/** Symbolic name of an errno (positive or negative), e.g. errnoName(-2) === 'ENOENT'. */
export function errnoName(e: number): string {
  return NAMES[Math.abs(e)] ?? `E#${Math.abs(e)}`;
}

/** True when a kernel return value is a negative errno (as opposed to a result). */
export function isErr(v: number): boolean {
  return v < 0 && v >= -4095;
}
