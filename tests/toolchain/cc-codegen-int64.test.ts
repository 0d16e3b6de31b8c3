// futcc's 64-bit integer code (long long in register pairs, psABI ilp32d) must behave exactly like
// GCC's: arithmetic, shifts by every amount, signed/unsigned comparisons, conversions, op= forms.
import { describe } from 'vitest';
import { oracleIt } from '../support/oracle';
import { expectSameAsGcc, TOOLS } from './cc-codegen-support';

const PROGRAM_0 = `#include "rt.h"
typedef long long ll; typedef unsigned long long ull;
ll fib(int n) { ll a = 0, b = 1; for (int i = 0; i < n; i++) { ll t = a + b; a = b; b = t; } return a; }
ull mix(ull x, int s) { return (x << s) ^ (x >> (64 - s)) ^ (x * 0x9E3779B97F4A7C15ull); }
ll sar(ll x, int s) { return x >> s; }
int cmp(ll a, ll b) { return (a < b) * 1 + (a <= b) * 2 + (a > b) * 4 + (a >= b) * 8 + (a == b) * 16 + (a != b) * 32; }
int ucmp(ull a, ull b) { return (a < b) * 1 + (a <= b) * 2 + (a > b) * 4 + (a >= b) * 8 + (a == b) * 16 + (a != b) * 32; }
ll many(int a, ll b, int c, ll d, ll e, int f, ll g, ll h) { return a + b * 2 + c * 3 + d * 4 + e * 5 + f * 6 + g * 7 + h * 8; }
int main(void) {
  printf("%lld %lld\\n", fib(90), -fib(80));
  for (int s = 1; s < 64; s += 7) printf("%llx %lld %lld\\n", mix(0x123456789abcdefull, s), sar(-0x123456789abcdefll, s), sar(0x7edcba9876543210ll, s));
  ll v[] = { 0, 1, -1, 0x100000000ll, -0x100000000ll, 0x7fffffffffffffffll, (ll)0x8000000000000000ull, 5 };
  for (int i = 0; i < 8; i++) for (int j = 0; j < 8; j++) printf("%d %d ", cmp(v[i], v[j]), ucmp(v[i], v[j]));
  printf("\\n%lld\\n", many(1, 2, 3, 4, 5, 6, 7, 8));
  ll x = 1000000007; x *= x; x /= 3; ull u = ~0ull; u %= 1000003;
  printf("%lld %llu %lld %lld\\n", x, u, x % -17, (ll)(int)x);
  int i32 = -5; unsigned u32 = 0xfffffff0u; ll w = i32; ull uw = u32; ll w2 = u32;
  printf("%lld %llu %lld %d %u\\n", w, uw, w2, (int)(w * 3), (unsigned)uw);
  ll c = 0; c++; c--; --c; ++c; c += 0xffffffffll; c -= 1; c <<= 3; c |= 1; c ^= 0xff00; c &= ~2ll; c >>= 1;
  printf("%lld %d %d\\n", c, !c, c ? 1 : 2);
  return (int)(fib(40) % 256);
}
`;

describe('futcc codegen: 64-bit integers (register pairs, inline mul/shift/compare, libgcc division names)', () => {
  oracleIt(
    'program 0: same output and exit code as GCC at -O0 and -O2',
    TOOLS,
    () => {
      expectSameAsGcc(PROGRAM_0);
    },
    60_000,
  );
});
