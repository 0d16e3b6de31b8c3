/* Exact binary → decimal conversion of doubles for printf's %f %e %g. A double is m × 2^e; we
 * compute m × 2^e (e ≥ 0) or m × 5^-e (e < 0, then scaled by 10^e) in a big integer with base
 * 10^9 limbs, so every digit is exact and rounding can be done on the decimal string (ties to
 * even, as glibc does in the default rounding mode). */
#include <stdint.h>
#include <string.h>
#include "format.h"

#define LIMBS 96
#define BASE 1000000000u

struct big {
  uint32_t limb[LIMBS];
  int n;
};

static void big_mul_small(struct big *b, uint32_t f) {
  uint64_t carry = 0;
  for (int i = 0; i < b->n; i++) {
    uint64_t v = (uint64_t)b->limb[i] * f + carry;
    b->limb[i] = (uint32_t)(v % BASE);
    carry = v / BASE;
  }
  while (carry && b->n < LIMBS) {
    b->limb[b->n++] = (uint32_t)(carry % BASE);
    carry /= BASE;
  }
}

int __double_digits(double v, char *digits, int *dexp) {
  uint64_t bits;
  memcpy(&bits, &v, sizeof bits);
  int be = (int)((bits >> 52) & 0x7ff);
  uint64_t m = bits & 0xfffffffffffffull;
  if (be == 0 && m == 0) {
    digits[0] = '0';
    *dexp = 1;
    return 1;
  }
  int e;
  if (be == 0) {
    e = -1074;
  } else {
    m |= 1ull << 52;
    e = be - 1075;
  }
  struct big b;
  b.n = 0;
  while (m) {
    b.limb[b.n++] = (uint32_t)(m % BASE);
    m /= BASE;
  }
  int k = 0;
  if (e > 0) {
    int left = e;
    while (left >= 28) {
      big_mul_small(&b, 1u << 28);
      left -= 28;
    }
    if (left) big_mul_small(&b, 1u << left);
  } else if (e < 0) {
    k = -e;
    int left = k;
    while (left >= 12) {
      big_mul_small(&b, 244140625u); /* 5^12 */
      left -= 12;
    }
    uint32_t p = 1;
    while (left--) p *= 5;
    if (p > 1) big_mul_small(&b, p);
  }
  /* Limbs to decimal text: the top limb without leading zeros, then 9 digits each. */
  int n = 0;
  char tmp[10];
  uint32_t top = b.limb[b.n - 1];
  int t = 0;
  do {
    tmp[t++] = (char)('0' + top % 10);
    top /= 10;
  } while (top);
  while (t) digits[n++] = tmp[--t];
  for (int i = b.n - 2; i >= 0; i--) {
    uint32_t x = b.limb[i];
    for (int j = 8; j >= 0; j--) {
      digits[n + j] = (char)('0' + x % 10);
      x /= 10;
    }
    n += 9;
  }
  *dexp = n - k;
  while (n > 1 && digits[n - 1] == '0') n--;
  return n;
}
