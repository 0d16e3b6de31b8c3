/* fwaydemo: two overlapping translucent surfaces on the compositor — a half-transparent red one
 * and, above it, a half-transparent blue one — then an opaque green square committed into the
 * blue surface through a DAMAGE rect (only that part changes). -z swaps the stacking order; -d
 * damages two overlapping rects (merged into their union) and one reaching past the surface's
 * edge (clipped to it) instead of the single square. */
#include <fipc.h>
#include <futuraway_proto.h>
#include <stdio.h>
#include <string.h>

#define W 120
#define H 100

static unsigned char buf[sizeof(struct fway_commit) + W * H * 4];

static int call(uint32_t op, const void *req, size_t len) {
  int st = fipc_request(FUTURAWAY_SERVICE, op, req, len, NULL, 0, NULL);
  if (st < 0) fprintf(stderr, "fwaydemo: op 0x%x: %s\n", (unsigned)op, strerror(-st));
  return st;
}

static int surface(int x, int y, int z, uint32_t color) {
  struct fway_create c = {W, H, FWAY_FORMAT_ARGB32, 0};
  int id = call(FWAY_CREATE, &c, sizeof c);
  if (id < 0) return id;
  struct fway_position p = {(uint32_t)id, x, y};
  struct fway_set_z sz = {(uint32_t)id, z};
  call(FWAY_SET_POSITION, &p, sizeof p);
  call(FWAY_SET_Z, &sz, sizeof sz);
  struct fway_commit h = {(uint32_t)id, W, H, W * 4};
  memcpy(buf, &h, sizeof h);
  for (int i = 0; i < W * H; i++) memcpy(buf + sizeof h + i * 4, &color, 4);
  call(FWAY_COMMIT, buf, sizeof buf);
  return id;
}

int main(int argc, char **argv) {
  int swap = 0;
  int merged = 0;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "-z") == 0) swap = 1;
    else if (strcmp(argv[i], "-d") == 0) merged = 1;
  }
  int red = surface(100, 100, swap ? 2 : 1, 0x80FF0000u);
  int blue = surface(160, 150, swap ? 1 : 2, 0x800000FFu);
  if (red < 0 || blue < 0) return 1;
  /* Damage a 20×20 square at (10, 10) of the blue surface, then commit all-green pixels: only the
   * damaged square takes them. */
  struct fway_damage d = {(uint32_t)blue, 10, 10, 20, 20};
  call(FWAY_DAMAGE, &d, sizeof d);
  if (merged) {
    struct fway_damage more[2] = {{(uint32_t)blue, 20, 20, 20, 20}, {(uint32_t)blue, 110, 90, 50, 50}};
    for (int i = 0; i < 2; i++) call(FWAY_DAMAGE, &more[i], sizeof more[i]);
  }
  struct fway_commit h = {(uint32_t)blue, W, H, W * 4};
  memcpy(buf, &h, sizeof h);
  uint32_t green = 0xFF00FF00u;
  for (int i = 0; i < W * H; i++) memcpy(buf + sizeof h + i * 4, &green, 4);
  call(FWAY_COMMIT, buf, sizeof buf);
  printf("fwaydemo: surfaces %d and %d composited\n", red, blue);
  return 0;
}
