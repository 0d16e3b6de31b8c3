// futcc's floating point must match GCC's bit for bit: arithmetic, conversions (64-bit ones via
// the runtime helpers), comparisons, constants, FP struct returns and variadic doubles.
import { describe } from 'vitest';
import { oracleIt } from '../support/oracle';
import { expectSameAsGcc, TOOLS } from './cc-codegen-support';

const PROGRAM_0 = `#include "rt.h"
typedef long long ll; typedef unsigned long long ull;
static void pd(double d) { ll i = (ll)(d * 1000.0); printf("%lld ", i); }
static void pf(float f) { union { float f; unsigned u; } x; x.f = f; printf("%x ", x.u); }
static void pbits(double d) { union { double d; ull u; } x; x.d = d; printf("%llx ", x.u); }
double poly(double x, float y, int n) { double r = 0; for (int i = 0; i < n; i++) r = r * x + y / (i + 1); return r; }
float favg(float a, float b, float c, float d, float e, float f, float g, float h, float i, float j) { return (a + b + c + d + e + f + g + h + i + j) / 10.0f; }
double mixed(int a, double b, long long c, float d, unsigned e, double f, double g, double h, double i, double j, double k, double l) {
  return a + b + c + d + e + f + g + h + i + j + k + l;
}
struct pt { double x, y; };
struct fi { float f; int i; };
struct big { double a, b, c; };
struct sm { char c; short s; };
struct pt addp(struct pt a, struct pt b) { struct pt r = { a.x + b.x, a.y + b.y }; return r; }
struct fi mkfi(float f, int i) { struct fi r; r.f = f * 2; r.i = i + 1; return r; }
struct big scale(struct big b, double k) { b.a *= k; b.b *= k; b.c *= k; return b; }
struct sm mksm(struct sm s) { s.c++; s.s *= 3; return s; }
double vsum(int n, ...) { va_list ap; va_start(ap, n); double s = 0; for (int i = 0; i < n; i++) s += va_arg(ap, double); va_end(ap); return s; }
ll vmix(int n, ...) { va_list ap; va_start(ap, n); ll s = 0; for (int i = 0; i < n; i++) { s = s * 3 + va_arg(ap, int); s += (ll)va_arg(ap, double); s ^= va_arg(ap, ll); } va_end(ap); return s; }
int main(void) {
  double d = 3.14159; float f = 2.5f;
  pd(d); pd(-d); pd(d * f); pd(d / 3); pd(d - f); pf(f * f); pf((float)d); pbits(1.0 / 3.0); pbits(0.1f);
  printf("\\n");
  pd(poly(1.5, 0.25f, 10)); pf(favg(1, 2, 3, 4, 5, 6, 7, 8, 9, 10.5f)); pd(mixed(1, 2.5, 3, 4.5f, 5, 6, 7, 8, 9, 10, 11, 12.25));
  printf("\\n");
  int i = (int)-7.9; unsigned u = (unsigned)3e9; ll l = (ll)-1e15; ull ul = (ull)1.8e19; float ff = (float)l; double dd = (double)ul;
  printf("%d %u %lld %llu ", i, u, l, ul); pf(ff); pbits(dd); pbits((double)(ll)-3); pbits((double)0x123456789ll); pf((float)ul); pf((float)-5); pf((float)4000000000u);
  printf("\\n%d %d %d %d %d %d\\n", d < f, d > f, d == 3.14159, f != 2.5f, !d, d >= 0 && f <= 2.5);
  struct pt p = addp((struct pt){ 1, 2 }, (struct pt){ 3.5, 4.5 }); pd(p.x); pd(p.y);
  struct fi q = mkfi(1.25f, 41); pf(q.f); printf("%d ", q.i);
  struct big b = scale((struct big){ 1, 2, 3 }, 1.5); pd(b.a); pd(b.b); pd(b.c);
  struct sm s = mksm((struct sm){ 'a', 7 }); printf("%d %d\\n", s.c, s.s);
  pd(vsum(5, 1.0, 2.0, 3.0, 4.0, 5.5)); printf("%lld\\n", vmix(3, 1, 2.5, 3ll, 4, 5.5, 6ll, 7, 8.5, -9ll));
  double acc = 0; for (float x = 0; x < 10; x += 0.5f) acc += x; pd(acc); acc++; --acc; acc -= 0.25; acc *= 2; acc /= 3; pd(acc);
  _Bool bb = 0.5; _Bool bz = 0.0; printf("%d %d %d\\n", bb, bz, (int)(d ? 7 : 8));
  pd(__builtin_sqrt(2.0)); pd(__builtin_fabs(-3.5)); pf(__builtin_sqrtf(9.0f)); printf("%d %d\\n", __builtin_isnan(__builtin_nan("")), !!__builtin_isinf(-__builtin_inf()));
  return (int)(acc * 10) & 255;
}
`;

describe('futcc codegen: float and double (F/D instructions, fa0-fa7, variadic doubles, conversions)', () => {
  oracleIt(
    'program 0: same output and exit code as GCC at -O0 and -O2',
    TOOLS,
    () => {
      expectSameAsGcc(PROGRAM_0);
    },
    60_000,
  );
});
