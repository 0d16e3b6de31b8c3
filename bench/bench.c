/* The CPU benchmark of `futura bench`: six kernels (CRC-32, sieve, 64-bit arithmetic, floating
   point, memory copies, branchy integer code), repeated ROUNDS times (argv[1]). Each kernel's
   result is folded into a checksum that is printed, so nothing can be optimised away and the
   emulators' outputs can be compared. Freestanding: raw syscalls, no C library. */
#include <stdint.h>
#include <stddef.h>

static long sys3(long n, long a, long b, long c) {
  register long a0 asm("a0") = a;
  register long a1 asm("a1") = b;
  register long a2 asm("a2") = c;
  register long a7 asm("a7") = n;
  asm volatile("ecall" : "+r"(a0) : "r"(a1), "r"(a2), "r"(a7) : "memory");
  return a0;
}
static void put(const char *s) {
  size_t n = 0;
  while (s[n]) n++;
  sys3(64, 1, (long)s, (long)n);
}
static void put_hex(const char *label, uint32_t v) {
  char buf[32];
  int i = 0;
  while (label[i]) {
    buf[i] = label[i];
    i++;
  }
  buf[i++] = '=';
  for (int k = 7; k >= 0; k--) buf[i++] = "0123456789abcdef"[(v >> (k * 4)) & 15];
  buf[i++] = '\n';
  buf[i] = 0;
  put(buf);
}
static unsigned parse(const char *s) {
  unsigned v = 0;
  while (*s >= '0' && *s <= '9') v = v * 10 + (unsigned)(*s++ - '0');
  return v;
}

#define BUF 16384
static uint8_t data[BUF], copy[BUF + 64];
static uint32_t crc_table[256];
static uint8_t composite[40000];

static uint32_t k_crc(void) {
  uint32_t c = 0xffffffffu;
  for (int i = 0; i < BUF; i++) c = crc_table[(c ^ data[i]) & 0xff] ^ (c >> 8);
  return ~c;
}
static uint32_t k_sieve(void) {
  const int n = (int)sizeof composite;
  for (int i = 0; i < n; i++) composite[i] = 0;
  uint32_t count = 0;
  for (int i = 2; i < n; i++) {
    if (composite[i]) continue;
    count++;
    for (int j = i * 2; j < n; j += i) composite[j] = 1;
  }
  return count;
}
static uint32_t k_int64(uint32_t seed) {
  uint64_t x = seed | 1, acc = 0;
  for (int i = 0; i < 3000; i++) {
    x = x * 6364136223846793005ull + 1442695040888963407ull;
    uint64_t d = (x >> 40) | 1;
    acc += x / d + (x % 1000003) + (x >> (i & 63));
    acc ^= acc << 7;
  }
  return (uint32_t)(acc ^ (acc >> 32));
}
static uint32_t k_float(uint32_t seed) {
  /* a Mandelbrot tile and a few float reductions */
  double cx0 = -2.0 + (seed & 7) * 0.01;
  uint32_t iters = 0;
  for (int py = 0; py < 24; py++)
    for (int px = 0; px < 32; px++) {
      double cx = cx0 + px * (3.0 / 32), cy = -1.2 + py * (2.4 / 24), x = 0, y = 0;
      int k = 0;
      while (k < 60 && x * x + y * y < 4) {
        double t = x * x - y * y + cx;
        y = 2 * x * y + cy;
        x = t;
        k++;
      }
      iters += (uint32_t)k;
    }
  float s = 0;
  for (int i = 1; i < 2000; i++) s += 1.0f / (float)i + (float)(i & 3) * 0.5f;
  return iters ^ (uint32_t)(s * 1000);
}
static void copy_bytes(uint8_t *d, const uint8_t *s, size_t n) {
  if ((((uintptr_t)d | (uintptr_t)s) & 3) == 0) {
    for (; n >= 16; n -= 16, d += 16, s += 16) {
      uint32_t a = ((const uint32_t *)s)[0], b = ((const uint32_t *)s)[1];
      uint32_t c = ((const uint32_t *)s)[2], e = ((const uint32_t *)s)[3];
      ((uint32_t *)d)[0] = a;
      ((uint32_t *)d)[1] = b;
      ((uint32_t *)d)[2] = c;
      ((uint32_t *)d)[3] = e;
    }
  }
  while (n--) *d++ = *s++;
}
static uint32_t k_memcpy(void) {
  uint32_t h = 0;
  for (int off = 0; off < 8; off++) {
    copy_bytes(copy + off, data, BUF - 64);
    h = h * 31 + copy[off + 100] + copy[BUF - 70];
  }
  return h;
}
static uint32_t k_branchy(uint32_t seed) {
  uint32_t steps = 0;
  for (uint32_t n = seed % 1000 + 1; n < seed % 1000 + 400; n++) {
    uint32_t x = n;
    while (x != 1) {
      x = (x & 1) ? 3 * x + 1 : x >> 1;
      steps++;
    }
  }
  /* binary searches in the sorted prefix of the sieve */
  uint32_t found = 0;
  for (uint32_t q = 0; q < 2000; q++) {
    int lo = 0, hi = 4096;
    uint32_t key = (q * 2654435761u) >> 20;
    while (lo < hi) {
      int mid = (lo + hi) / 2;
      if ((uint32_t)mid * 1u < key) lo = mid + 1;
      else hi = mid;
    }
    found += (uint32_t)lo;
  }
  return steps ^ found;
}

int main(int argc, char **argv) {
  unsigned rounds = argc > 1 ? parse(argv[1]) : 1;
  for (uint32_t i = 0; i < 256; i++) {
    uint32_t c = i;
    for (int k = 0; k < 8; k++) c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
    crc_table[i] = c;
  }
  uint32_t x = 2463534242u;
  for (int i = 0; i < BUF; i++) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    data[i] = (uint8_t)x;
  }
  uint32_t sum[6] = {0};
  for (unsigned r = 0; r < rounds; r++) {
    data[r % BUF] ^= (uint8_t)r;
    sum[0] = sum[0] * 3 + k_crc();
    sum[1] += k_sieve();
    sum[2] = sum[2] * 7 + k_int64(r * 2 + 1);
    sum[3] += k_float(r);
    sum[4] = sum[4] * 5 + k_memcpy();
    sum[5] += k_branchy(r * 7919);
  }
  put_hex("crc32", sum[0]);
  put_hex("sieve", sum[1]);
  put_hex("int64", sum[2]);
  put_hex("float", sum[3]);
  put_hex("memcpy", sum[4]);
  put_hex("branchy", sum[5]);
  return 0;
}
