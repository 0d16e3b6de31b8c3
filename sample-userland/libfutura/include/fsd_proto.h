/* fsd's protocol (over FIPC, request/reply of fipc.h): ops 0x4001-0x400F as in the original.
 * Paths are NUL-terminated; handles are per client (the src_pid of the request). Replies carry
 * the result in the status (>= 0) or -errno. */
#ifndef _FSD_PROTO_H
#define _FSD_PROTO_H
#include <stdint.h>

#define FSD_SERVICE "fsd"
#define FSD_REGISTER 0x4001   /* {} -> 0 */
#define FSD_UNREGISTER 0x4002 /* {} -> 0, closes the client's handles */
#define FSD_OPEN 0x4003       /* {u32 flags, u32 mode, path} -> handle */
#define FSD_CLOSE 0x4004      /* {u32 handle} -> 0 */
#define FSD_READ 0x4005       /* {u32 handle, u32 len} -> bytes (reply data) */
#define FSD_WRITE 0x4006      /* {u32 handle} + data -> bytes written */
#define FSD_MKDIR 0x4007      /* {u32 mode, path} -> 0 */
#define FSD_RMDIR 0x4008      /* {u32 0, path} -> 0 */
#define FSD_STAT 0x4009       /* {u32 0, path} -> 0, reply struct fsd_stat */
#define FSD_LSEEK 0x400A      /* {u32 handle, i32 off, u32 whence} -> offset */
#define FSD_READDIR 0x400B    /* {u32 handle} -> entries: {u8 type, name NUL}..., status = count */
#define FSD_UNLINK 0x400C     /* {u32 0, path} -> 0 */
#define FSD_FSYNC 0x400D      /* {u32 handle} -> 0 */
#define FSD_CHMOD 0x400E      /* -> -ENOSYS */
#define FSD_CHOWN 0x400F      /* -> -ENOSYS */

#define FSD_MAX_IO 32768

struct fsd_handle_req {
  uint32_t handle;
  uint32_t arg1;
  uint32_t arg2;
};
struct fsd_path_req {
  uint32_t arg; /* flags or mode */
  uint32_t mode;
  char path[256];
};
struct fsd_stat {
  uint32_t mode;
  uint32_t size;
  uint32_t ino;
  uint32_t nlink;
};
#endif
