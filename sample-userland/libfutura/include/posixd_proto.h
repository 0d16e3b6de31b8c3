/* posixd's protocol over FIPC request/reply (fipc.h): process, pipe and memory operations a
 * client asks for. Ops follow the original's ranges: 0x3020- process, 0x3030- pipe, 0x3040-
 * memory. Text replies are NUL-free byte strings (reply length = size). */
#ifndef _POSIXD_PROTO_H
#define _POSIXD_PROTO_H
#include <stdint.h>

#define POSIXD_SERVICE "posixd"
#define PX_SPAWN 0x3020   /* "path\0arg1\0arg2\0..." -> pid (a child of posixd) */
#define PX_WAIT 0x3021    /* {i32 pid} -> wait status, or -EAGAIN while it runs */
#define PX_KILL 0x3022    /* {i32 pid, i32 sig} -> 0 */
#define PX_GETPID 0x3023  /* {} -> the caller's pid as posixd sees it (src_pid) */
#define PX_PIPE 0x3030    /* {} -> pipe id (a byte buffer kept by posixd) */
#define PX_PWRITE 0x3031  /* {i32 id} + data -> bytes stored */
#define PX_PREAD 0x3032   /* {i32 id, u32 max} -> bytes (reply data), 0 when empty and closed, -EAGAIN when empty */
#define PX_PCLOSE 0x3033  /* {i32 id} -> 0 (no more writes) */
#define PX_MEMINFO 0x3040 /* {} -> /proc/meminfo text */
#define PX_MAPS 0x3041    /* {i32 pid} -> /proc/PID/maps text */
#define PX_STATUS 0x3042  /* {i32 pid} -> /proc/PID/status text */
#endif
