/* stdlib.h */
#ifndef _STDLIB_H
#define _STDLIB_H
#include <stddef.h>
#define EXIT_SUCCESS 0
#define EXIT_FAILURE 1
#define RAND_MAX 0x7fffffff
void *malloc(size_t n);
void *calloc(size_t count, size_t size);
void *realloc(void *p, size_t n);
void free(void *p);
int atoi(const char *s);
long atol(const char *s);
long strtol(const char *s, char **end, int base);
unsigned long strtoul(const char *s, char **end, int base);
long long strtoll(const char *s, char **end, int base);
unsigned long long strtoull(const char *s, char **end, int base);
void qsort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *));
void *bsearch(const void *key, const void *base, size_t n, size_t size,
              int (*cmp)(const void *, const void *));
int abs(int x);
long labs(long x);
long long llabs(long long x);
_Noreturn void exit(int code);
_Noreturn void _Exit(int code);
_Noreturn void abort(void);
int atexit(void (*fn)(void));
char *getenv(const char *name);
int rand(void);
void srand(unsigned seed);

/* Heap statistics of the allocator (for tests and mmapdemo). */
struct malloc_stats {
  size_t heap_bytes;  /* bytes between the heap start and the break */
  size_t free_bytes;  /* bytes in free blocks */
  size_t free_blocks; /* number of free blocks */
  size_t used_blocks; /* number of allocated blocks */
};
void malloc_get_stats(struct malloc_stats *st);
/* Checks the heap's invariants (order, sizes, coalescing); 0 when consistent. */
int malloc_check(void);
#endif
