/* futurawayd: the compositor (ABI.md §Compositor). Clients create ARGB32 surfaces, commit pixels
 * (premultiplied here as (c·a + 127) / 255), order them with SET_Z and limit updates with DAMAGE
 * (rects clipped to the surface, overlapping ones merged; none = the whole surface). Each change
 * recomposites the affected screen rectangle: surfaces in ascending z (then creation order) with
 * premultiplied source-over onto 0xFF20252E, written to /dev/fb0. Registered as "futuraway". */
#include <errno.h>
#include <fcntl.h>
#include <fipc.h>
#include <futuraway_proto.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys.h>
#include <sys/mman.h>
#include <unistd.h>

struct rect {
  int x, y, w, h;
};

struct surface {
  int used;
  uint32_t id;
  int owner;
  int w, h;
  int x, y;
  int z;
  uint32_t *pixels; /* premultiplied */
  struct rect damage[FWAY_MAX_DAMAGE];
  int ndamage;
};

static struct surface surfaces[FWAY_MAX_SURFACES];
static uint32_t next_id = 1;
static uint32_t *fb;
static int fb_w, fb_h, fb_stride; /* stride in pixels */
/* Word-aligned, so pixel rows in a request (at offset 56 or 64) can be read as uint32_t. */
static uint32_t msg_words[(FIPC_HEADER_SIZE + FIPC_MAX_PAYLOAD) / 4];
#define msg_buf ((unsigned char *)msg_words)

static uint32_t premultiply(uint32_t p) {
  uint32_t a = p >> 24;
  if (a == 255) return p;
  if (a == 0) return 0;
  uint32_t r = ((p >> 16) & 255) * a;
  uint32_t g = ((p >> 8) & 255) * a;
  uint32_t b = (p & 255) * a;
  return (a << 24) | (((r + 127) / 255) << 16) | (((g + 127) / 255) << 8) | ((b + 127) / 255);
}

/* Premultiplied source-over: out = src + dst × (255 − src.a) / 255, per channel. */
static uint32_t over(uint32_t src, uint32_t dst) {
  uint32_t ia = 255 - (src >> 24);
  if (ia == 0) return src;
  if (ia == 255 && src == 0) return dst;
  uint32_t out = 0;
  for (int s = 0; s < 32; s += 8) {
    uint32_t c = ((src >> s) & 255) + (((dst >> s) & 255) * ia + 127) / 255;
    out |= (c > 255 ? 255 : c) << s;
  }
  return out;
}

static int intersect(struct rect *a, const struct rect *b) {
  int x0 = a->x > b->x ? a->x : b->x;
  int y0 = a->y > b->y ? a->y : b->y;
  int x1 = a->x + a->w < b->x + b->w ? a->x + a->w : b->x + b->w;
  int y1 = a->y + a->h < b->y + b->h ? a->y + a->h : b->y + b->h;
  if (x1 <= x0 || y1 <= y0) return 0;
  a->x = x0;
  a->y = y0;
  a->w = x1 - x0;
  a->h = y1 - y0;
  return 1;
}

static int overlaps(const struct rect *a, const struct rect *b) {
  struct rect t = *a;
  return intersect(&t, b);
}

static void unite(struct rect *a, const struct rect *b) {
  int x0 = a->x < b->x ? a->x : b->x;
  int y0 = a->y < b->y ? a->y : b->y;
  int x1 = a->x + a->w > b->x + b->w ? a->x + a->w : b->x + b->w;
  int y1 = a->y + a->h > b->y + b->h ? a->y + a->h : b->y + b->h;
  a->x = x0;
  a->y = y0;
  a->w = x1 - x0;
  a->h = y1 - y0;
}

/* Sorted draw order: ascending z, then id. */
static int order[FWAY_MAX_SURFACES];
static int norder;

static void sort_surfaces(void) {
  norder = 0;
  for (int i = 0; i < FWAY_MAX_SURFACES; i++)
    if (surfaces[i].used) order[norder++] = i;
  for (int i = 1; i < norder; i++) {
    for (int j = i; j > 0; j--) {
      struct surface *a = &surfaces[order[j - 1]];
      struct surface *b = &surfaces[order[j]];
      if (a->z < b->z || (a->z == b->z && a->id < b->id)) break;
      int t = order[j];
      order[j] = order[j - 1];
      order[j - 1] = t;
    }
  }
}

/* Recomposites a screen rectangle: the background, then each surface's part of it in z order. */
static void composite(struct rect r) {
  struct rect screen = {0, 0, fb_w, fb_h};
  if (!fb || !intersect(&r, &screen)) return;
  for (int y = r.y; y < r.y + r.h; y++) {
    uint32_t *row = fb + y * fb_stride;
    for (int x = r.x; x < r.x + r.w; x++) row[x] = FWAY_BACKGROUND;
  }
  sort_surfaces();
  for (int k = 0; k < norder; k++) {
    struct surface *s = &surfaces[order[k]];
    struct rect part = {s->x, s->y, s->w, s->h};
    if (!intersect(&part, &r)) continue;
    for (int y = part.y; y < part.y + part.h; y++) {
      uint32_t *row = fb + y * fb_stride;
      const uint32_t *src = s->pixels + (y - s->y) * s->w - s->x;
      for (int x = part.x; x < part.x + part.w; x++) row[x] = over(src[x], row[x]);
    }
  }
}

static void composite_surface(const struct surface *s) {
  struct rect r = {s->x, s->y, s->w, s->h};
  composite(r);
}

static struct surface *find(uint32_t id, int client) {
  for (int i = 0; i < FWAY_MAX_SURFACES; i++)
    if (surfaces[i].used && surfaces[i].id == id && surfaces[i].owner == client) return &surfaces[i];
  return NULL;
}

/* Surfaces of clients that have exited stay on screen until the next CREATE, which drops them
 * (so a demo's last frame can be looked at, and slots do not run out). */
static void drop_orphans(void) {
  for (int i = 0; i < FWAY_MAX_SURFACES; i++) {
    struct surface *s = &surfaces[i];
    if (!s->used || sys_kill(s->owner, 0) != -ESRCH) continue;
    s->used = 0;
    free(s->pixels);
    composite_surface(s);
  }
}

static int op_create(const struct fway_create *c, int client) {
  drop_orphans();
  if (c->format != FWAY_FORMAT_ARGB32) return -EINVAL;
  if (c->w == 0 || c->h == 0 || c->w > 4096 || c->h > 4096) return -EINVAL;
  for (int i = 0; i < FWAY_MAX_SURFACES; i++) {
    struct surface *s = &surfaces[i];
    if (s->used) continue;
    s->pixels = calloc(c->w * c->h, 4);
    if (!s->pixels) return -ENOMEM;
    s->used = 1;
    s->id = next_id++;
    s->owner = client;
    s->w = (int)c->w;
    s->h = (int)c->h;
    s->x = s->y = 0;
    s->z = 0;
    s->ndamage = 0;
    return (int)s->id;
  }
  return -ENOSPC;
}

static int op_damage(const struct fway_damage *d, int client) {
  struct surface *s = find(d->id, client);
  if (!s) return -ENOENT;
  struct rect r = {d->x, d->y, d->w, d->h};
  struct rect whole = {0, 0, s->w, s->h};
  if (!intersect(&r, &whole)) return 0;
  /* Merge with every overlapping rect (repeatedly, since the union can reach others). */
  int merged = 1;
  while (merged) {
    merged = 0;
    for (int i = 0; i < s->ndamage; i++) {
      if (overlaps(&s->damage[i], &r)) {
        unite(&r, &s->damage[i]);
        s->damage[i] = s->damage[--s->ndamage];
        merged = 1;
        break;
      }
    }
  }
  if (s->ndamage == FWAY_MAX_DAMAGE) {
    for (int i = 0; i < s->ndamage; i++) unite(&r, &s->damage[i]);
    s->ndamage = 0;
  }
  s->damage[s->ndamage++] = r;
  return 0;
}

static int op_commit(const unsigned char *p, size_t len, int client) {
  struct fway_commit c;
  if (len < sizeof c) return -EINVAL;
  memcpy(&c, p, sizeof c);
  struct surface *s = find(c.id, client);
  if (!s) return -ENOENT;
  if ((int)c.w != s->w || (int)c.h != s->h || c.stride < c.w * 4) return -EINVAL;
  if (len - sizeof c < (size_t)c.stride * (c.h - 1) + c.w * 4) return -EINVAL;
  const unsigned char *px = p + sizeof c;
  if (s->ndamage == 0) {
    s->damage[0].x = s->damage[0].y = 0;
    s->damage[0].w = s->w;
    s->damage[0].h = s->h;
    s->ndamage = 1;
  }
  for (int i = 0; i < s->ndamage; i++) {
    struct rect r = s->damage[i];
    for (int y = r.y; y < r.y + r.h; y++) {
      for (int x = r.x; x < r.x + r.w; x++) {
        uint32_t v;
        memcpy(&v, px + (size_t)y * c.stride + (size_t)x * 4, 4);
        s->pixels[y * s->w + x] = premultiply(v);
      }
    }
  }
  for (int i = 0; i < s->ndamage; i++) {
    struct rect r = s->damage[i];
    r.x += s->x;
    r.y += s->y;
    composite(r);
  }
  s->ndamage = 0;
  return 0;
}

static int op_commit_rows(const unsigned char *p, size_t len, int client) {
  struct fway_commit_rows c;
  if (len < sizeof c) return -EINVAL;
  memcpy(&c, p, sizeof c);
  struct surface *s = find(c.id, client);
  if (!s) return -ENOENT;
  if (c.rows == 0 || c.y >= (uint32_t)s->h || c.rows > (uint32_t)s->h - c.y) return -EINVAL;
  if (c.stride < (uint32_t)s->w * 4) return -EINVAL;
  if (len - sizeof c < (size_t)c.stride * (c.rows - 1) + (size_t)s->w * 4) return -EINVAL;
  const unsigned char *px = p + sizeof c;
  for (uint32_t r = 0; r < c.rows; r++) {
    uint32_t *dst = s->pixels + (c.y + r) * (uint32_t)s->w;
    const unsigned char *row = px + (size_t)r * c.stride;
    if (((uintptr_t)row & 3) == 0) {
      const uint32_t *src = (const uint32_t *)row;
      for (int x = 0; x < s->w; x++) dst[x] = premultiply(src[x]);
    } else {
      for (int x = 0; x < s->w; x++) {
        uint32_t v;
        memcpy(&v, row + (size_t)x * 4, 4);
        dst[x] = premultiply(v);
      }
    }
  }
  struct rect band = {s->x, s->y + (int)c.y, s->w, (int)c.rows};
  composite(band);
  return 0;
}

static void serve(const struct fipc_msg *m) {
  const unsigned char *p = m->payload + sizeof(struct fipc_req_hdr);
  size_t len = m->length - sizeof(struct fipc_req_hdr);
  int client = (int)m->src_pid;
  int st = -ENOSYS;
  union {
    struct fway_create c;
    struct fway_set_z z;
    struct fway_damage d;
    struct fway_position pos;
    uint32_t id;
  } u;
  memset(&u, 0, sizeof u);
  memcpy(&u, p, len < sizeof u ? len : sizeof u);
  struct surface *s;
  switch (m->type) {
  case FWAY_CREATE:
    st = op_create(&u.c, client);
    break;
  case FWAY_COMMIT:
    st = op_commit(p, len, client);
    break;
  case FWAY_COMMIT_ROWS:
    st = op_commit_rows(p, len, client);
    break;
  case FWAY_SET_Z:
    s = find(u.z.id, client);
    st = s ? 0 : -ENOENT;
    if (s) {
      s->z = u.z.z;
      composite_surface(s);
    }
    break;
  case FWAY_DAMAGE:
    st = op_damage(&u.d, client);
    break;
  case FWAY_SET_POSITION:
    s = find(u.pos.id, client);
    st = s ? 0 : -ENOENT;
    if (s) {
      struct rect old = {s->x, s->y, s->w, s->h};
      s->x = u.pos.x;
      s->y = u.pos.y;
      composite(old);
      composite_surface(s);
    }
    break;
  case FWAY_DESTROY:
    s = find(u.id, client);
    st = s ? 0 : -ENOENT;
    if (s) {
      s->used = 0;
      free(s->pixels);
      composite_surface(s);
    }
    break;
  default:
    break;
  }
  fipc_reply(m, st, NULL, 0);
}

static int open_fb(void) {
  int fd = open("/dev/fb0", O_RDWR);
  if (fd < 0) return -1;
  struct fb_info info;
  if (sys_ioctl(fd, FBIOGET_INFO, &info) < 0) return -1;
  void *p = mmap(NULL, info.pitch * info.height, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  close(fd);
  if (p == MAP_FAILED) return -1;
  fb = p;
  fb_w = (int)info.width;
  fb_h = (int)info.height;
  fb_stride = (int)(info.pitch / 4);
  return 0;
}

/* init stops services with SIGTERM at shutdown: end cleanly (status 0). */
static void on_term(int sig) {
  (void)sig;
  _exit(0);
}

int main(int argc, char **argv) {
  signal(SIGTERM, on_term);
  int paint = !(argc > 1 && strcmp(argv[1], "--no-clear") == 0);
  if (open_fb() < 0) fprintf(stderr, "futurawayd: no framebuffer (%s); compositing disabled\n", strerror(errno));
  if (fb && paint) {
    struct rect all = {0, 0, fb_w, fb_h};
    composite(all);
  }
  int ch = fipc_serve(FUTURAWAY_SERVICE, 256 * 1024);
  if (ch < 0) {
    fprintf(stderr, "futurawayd: cannot register: %s\n", strerror(errno));
    return 1;
  }
  for (;;) {
    int n = fipc_recv(ch, msg_buf, sizeof msg_words);
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      fprintf(stderr, "futurawayd: recv: %s\n", strerror(errno));
      return 1;
    }
    const struct fipc_msg *m = (const struct fipc_msg *)msg_buf;
    if (m->length < sizeof(struct fipc_req_hdr)) continue;
    serve(m);
  }
}
