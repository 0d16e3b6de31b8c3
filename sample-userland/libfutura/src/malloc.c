/* The allocator: a first-fit free list kept in address order, on memory from brk. Blocks are
 * 16-byte aligned with a 16-byte header; a fit leaves a remainder of 32 bytes or more as a new
 * free block (split); free merges with both neighbours (coalescing); a free block at the top of
 * the heap of 128 KiB or more goes back to the kernel. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys.h>

#define ALIGN 16u
#define HDR 16u
#define MIN_BLOCK 32u
#define GROW_MIN 16384u
#define TRIM_MIN (128u * 1024u)
#define USED 1u
#define MAGIC 0xF07A11C5u

struct blk {
  size_t size; /* whole block, header included; bit 0 = in use */
  struct blk *next; /* next free block (address order), when free */
  size_t magic;
  size_t pad;
};

static char *heap_start;
static char *heap_end;
static struct blk *free_list;

static size_t bsize(const struct blk *b) { return b->size & ~(size_t)USED; }

static int heap_init(void) {
  if (heap_start) return 0;
  uintptr_t cur = (uintptr_t)sys_brk(0);
  uintptr_t aligned = (cur + ALIGN - 1) & ~(uintptr_t)(ALIGN - 1);
  if ((long)sys_brk((void *)aligned) != (long)aligned) return -1;
  heap_start = heap_end = (char *)aligned;
  return 0;
}

/* Grows the heap by at least `need` bytes; the new space becomes a free block (merged). */
static struct blk *grow(size_t need) {
  size_t n = need < GROW_MIN ? GROW_MIN : need;
  n = (n + 4095u) & ~(size_t)4095u;
  char *want = heap_end + n;
  if (want < heap_end) return NULL;
  long r = sys_brk(want);
  if (r != (long)(uintptr_t)want) return NULL;
  struct blk *b = (struct blk *)heap_end;
  heap_end = want;
  b->size = n;
  b->magic = MAGIC;
  b->next = NULL;
  /* Append at the end of the list, merging with a free last block that touches it. */
  struct blk *prev = NULL;
  struct blk *p = free_list;
  while (p && p->next) p = p->next;
  prev = p;
  if (prev && (char *)prev + bsize(prev) == (char *)b) {
    prev->size += n;
    return prev;
  }
  if (prev) prev->next = b;
  else free_list = b;
  return b;
}

/* Gives the top free block back to the kernel when it is large. */
static void trim(struct blk *prev, struct blk *last) {
  if ((char *)last + bsize(last) != heap_end || bsize(last) < TRIM_MIN) return;
  uintptr_t keep = ((uintptr_t)last + MIN_BLOCK + 4095u) & ~(uintptr_t)4095u;
  if (keep >= (uintptr_t)heap_end) return;
  if ((long)sys_brk((void *)keep) != (long)keep) return;
  heap_end = (char *)keep;
  last->size = keep - (uintptr_t)last;
  (void)prev;
}

void *malloc(size_t n) {
  if (heap_init() < 0) {
    errno = ENOMEM;
    return NULL;
  }
  if (n > 0x7fff0000u) {
    errno = ENOMEM;
    return NULL;
  }
  size_t need = (n + HDR + ALIGN - 1) & ~(size_t)(ALIGN - 1);
  if (need < MIN_BLOCK) need = MIN_BLOCK;
  for (int attempt = 0; attempt < 2; attempt++) {
    struct blk *prev = NULL;
    for (struct blk *b = free_list; b; prev = b, b = b->next) {
      size_t sz = bsize(b);
      if (sz < need) continue;
      if (sz - need >= MIN_BLOCK) {
        struct blk *rest = (struct blk *)((char *)b + need);
        rest->size = sz - need;
        rest->magic = MAGIC;
        rest->next = b->next;
        b->next = rest;
        b->size = need;
      }
      if (prev) prev->next = b->next;
      else free_list = b->next;
      b->size |= USED;
      b->next = NULL;
      return (char *)b + HDR;
    }
    if (!grow(need)) break;
  }
  errno = ENOMEM;
  return NULL;
}

void free(void *p) {
  if (!p) return;
  struct blk *b = (struct blk *)((char *)p - HDR);
  if (b->magic != MAGIC || !(b->size & USED)) return; /* not ours, or a double free: ignore */
  b->size &= ~(size_t)USED;
  struct blk *prev = NULL;
  struct blk *cur = free_list;
  while (cur && cur < b) {
    prev = cur;
    cur = cur->next;
  }
  b->next = cur;
  if (prev) prev->next = b;
  else free_list = b;
  if (cur && (char *)b + bsize(b) == (char *)cur) {
    b->size += bsize(cur);
    b->next = cur->next;
  }
  struct blk *last = b;
  struct blk *before = prev;
  if (prev && (char *)prev + bsize(prev) == (char *)b) {
    prev->size += bsize(b);
    prev->next = b->next;
    last = prev;
    before = NULL;
  }
  if (!last->next) trim(before, last);
}

void *calloc(size_t count, size_t size) {
  if (size && count > 0xffffffffu / size) {
    errno = ENOMEM;
    return NULL;
  }
  size_t n = count * size;
  void *p = malloc(n);
  if (p) memset(p, 0, n);
  return p;
}

void *realloc(void *p, size_t n) {
  if (!p) return malloc(n);
  if (n == 0) {
    free(p);
    return NULL;
  }
  struct blk *b = (struct blk *)((char *)p - HDR);
  size_t have = bsize(b) - HDR;
  if (n <= have) return p;
  /* Grow in place when the next block is free and big enough. */
  struct blk *next = (struct blk *)((char *)b + bsize(b));
  size_t need = (n + HDR + ALIGN - 1) & ~(size_t)(ALIGN - 1);
  if ((char *)next < heap_end && !(next->size & USED) && bsize(b) + bsize(next) >= need) {
    struct blk *prev = NULL;
    struct blk *c = free_list;
    while (c && c != next) {
      prev = c;
      c = c->next;
    }
    if (c == next) {
      size_t total = bsize(b) + bsize(next);
      struct blk *after = next->next;
      if (total - need >= MIN_BLOCK) {
        struct blk *rest = (struct blk *)((char *)b + need);
        rest->size = total - need;
        rest->magic = MAGIC;
        rest->next = after;
        after = rest;
        total = need;
      }
      if (prev) prev->next = after;
      else free_list = after;
      b->size = total | USED;
      return p;
    }
  }
  void *q = malloc(n);
  if (!q) return NULL;
  memcpy(q, p, have);
  free(p);
  return q;
}

void malloc_get_stats(struct malloc_stats *st) {
  memset(st, 0, sizeof *st);
  if (!heap_start) return;
  st->heap_bytes = (size_t)(heap_end - heap_start);
  for (char *p = heap_start; p < heap_end;) {
    struct blk *b = (struct blk *)p;
    if (b->size & USED) st->used_blocks++;
    else {
      st->free_blocks++;
      st->free_bytes += bsize(b);
    }
    p += bsize(b);
  }
}

int malloc_check(void) {
  if (!heap_start) return 0;
  /* Walk the heap: sizes aligned, blocks tile it exactly, no two free neighbours. */
  int prev_free = 0;
  size_t free_count = 0;
  char *p = heap_start;
  while (p < heap_end) {
    struct blk *b = (struct blk *)p;
    size_t sz = bsize(b);
    if (b->magic != MAGIC) return 1;
    if (sz < MIN_BLOCK || sz % ALIGN) return 2;
    int is_free = !(b->size & USED);
    if (is_free && prev_free) return 3;
    if (is_free) free_count++;
    prev_free = is_free;
    p += sz;
  }
  if (p != heap_end) return 4;
  /* The free list: in address order, inside the heap, the same blocks. */
  size_t listed = 0;
  struct blk *last = NULL;
  for (struct blk *b = free_list; b; b = b->next) {
    if ((char *)b < heap_start || (char *)b >= heap_end) return 5;
    if (last && b <= last) return 6;
    if (b->size & USED) return 7;
    last = b;
    listed++;
  }
  return listed == free_count ? 0 : 8;
}
