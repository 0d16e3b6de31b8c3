/* futurawayd's protocol (ABI.md §Compositor) over FIPC request/reply (fipc.h). Every reply's
 * status is the result (a surface id for CREATE) or -errno. Pixels are ARGB32, straight alpha;
 * the compositor premultiplies them at commit. Extensions of this port: SET_POSITION, DESTROY and
 * COMMIT_ROWS. */
#ifndef _FUTURAWAY_PROTO_H
#define _FUTURAWAY_PROTO_H
#include <stdint.h>

#define FUTURAWAY_SERVICE "futuraway"
#define FWAY_CREATE 0x2300       /* {w, h, format, flags} -> id */
#define FWAY_COMMIT 0x2302       /* {id, w, h, stride} + h rows of stride bytes -> 0 */
#define FWAY_SET_Z 0x2303        /* {id, z} -> 0 */
#define FWAY_DAMAGE 0x2304       /* {id, x, y, w, h} -> 0 */
#define FWAY_SET_POSITION 0x2310 /* {id, x, y} -> 0 (screen position of the top-left corner) */
#define FWAY_DESTROY 0x2311      /* {id} -> 0 */
/* Rows y .. y+rows-1 of a surface (for surfaces bigger than one 64 KiB message): replaces them
 * whole, ignoring pending damage, and recomposites that band. */
#define FWAY_COMMIT_ROWS 0x2312 /* {id, y, rows, stride} + rows of stride bytes -> 0 */

#define FWAY_FORMAT_ARGB32 1
#define FWAY_BACKGROUND 0xFF20252Eu
#define FWAY_MAX_SURFACES 64
#define FWAY_MAX_DAMAGE 64

struct fway_create {
  uint32_t w, h, format, flags;
};
struct fway_commit {
  uint32_t id, w, h, stride;
};
struct fway_commit_rows {
  uint32_t id, y, rows, stride;
};
struct fway_set_z {
  uint32_t id;
  int32_t z;
};
struct fway_damage {
  uint32_t id;
  int32_t x, y, w, h;
};
struct fway_position {
  uint32_t id;
  int32_t x, y;
};
#endif
