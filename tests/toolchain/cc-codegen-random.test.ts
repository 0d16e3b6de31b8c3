// Random differential testing of the code generator: seeded generated programs (integers of every
// width, long long, double/float, arrays, structs, pointers, loops, switch, calls) free of undefined
// behaviour, built by futcc at -O0 and -O2 and run on our machine, must print exactly what GCC -O2's
// build prints under qemu-riscv32. A few programs in `npm test`, many more with FUTURA_FULL=1.
import { describe } from 'vitest';
import { oracleIt } from '../support/oracle';
import { expectSameAsGcc, TOOLS } from './cc-codegen-support';

const COUNT = process.env.FUTURA_FULL === '1' ? 40 : 4;

/** xorshift32: reproducible programs per seed. */
function rng(seed: number): (n: number) => number {
  let x = seed * 2654435761 || 1;
  return (n: number) => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) % n;
  };
}

const U = ['u0', 'u1', 'u2', 'a0', 'a1', 'a2', 'c0', 'h0', 'arr[1]', 'st.x', 'st.y', '*p', 'pa[2]'];
const Q = ['q0', 'l0', 'l1', 'st.w'];
const D = ['d0', 'd1', 'f0', 'st.z'];

function generate(seed: number): string {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[r(xs.length)] as T;
  const lit = (): string =>
    pick(['0u', '1u', '3u', '7u', '255u', '0x80000000u', '12345u', '0xffffffffu', `${r(5000)}u`]);
  // 32-bit unsigned expressions (no signed overflow, no division by zero, shift amounts < 32).
  const u = (d: number): string => {
    if (d <= 0 || r(4) === 0) return r(3) === 0 ? lit() : `(unsigned)${pick(U)}`;
    const a = u(d - 1);
    const b = u(d - 1);
    switch (r(17)) {
      case 14:
        return `((int)${a} ${pick(['<', '>', '<=', '>='])} (int)${b})`;
      case 15:
        return `((long long)${q(d - 1)} ${pick(['<', '>', '<=', '>=', '==', '!='])} (long long)${q(d - 1)})`;
      case 16:
        return `(${dbl(d - 1)} ${pick(['<', '>', '<=', '>=', '==', '!='])} ${dbl(d - 1)} ? ${a} : ${b})`;
      case 0:
        return `(${a} / (${b} | 1u))`;
      case 1:
        return `(${a} % (${b} | 1u))`;
      case 2:
        return `(${a} << (${b} & 31u))`;
      case 3:
        return `(${a} >> (${b} & 31u))`;
      case 4:
        return `(${a} ${pick(['<', '>', '<=', '>=', '==', '!='])} ${b} ? ${u(d - 1)} : ${u(d - 1)})`;
      case 5:
        return `(unsigned)(${q(d - 1)} >> ${r(64)})`;
      case 6:
        return `(unsigned)(int)(${dbl(d - 1)})`;
      case 7:
        return `(unsigned)((int)${a} >> ${r(32)})`;
      case 8:
        return `(${a} && ${b})`;
      case 9:
        return `(unsigned)helper(${a}, ${q(d - 1)}, ${dbl(d - 1)}, st)`;
      default:
        return `(${a} ${pick(['+', '-', '*', '&', '|', '^'])} ${b})`;
    }
  };
  const q = (d: number): string => {
    if (d <= 0 || r(4) === 0) return r(2) ? `(unsigned long long)${pick(Q)}` : `${r(1 << 30)}ull`;
    const a = q(d - 1);
    const b = q(d - 1);
    switch (r(8)) {
      case 0:
        return `(${a} / (${b} | 1ull))`;
      case 1:
        return `(${a} % (${b} | 3ull))`;
      case 2:
        return `(${a} << (${u(d - 1)} & 63u))`;
      case 3:
        return `(unsigned long long)((long long)${a} >> ${r(64)})`;
      case 4:
        return `(unsigned long long)${u(d - 1)}`;
      default:
        return `(${a} ${pick(['+', '-', '*', '&', '|', '^'])} ${b})`;
    }
  };
  // Bounded doubles: every conversion back to an integer stays in range.
  const dbl = (d: number): string => {
    if (d <= 0 || r(3) === 0) return r(2) ? pick(D) : pick(['0.5', '1.25', '-3.0', '100.0', '0.1f']);
    const a = dbl(d - 1);
    switch (r(6)) {
      case 0:
        return `(double)(${u(d - 1)} & 1023u)`;
      case 1:
        return `(${a} * 0.5)`;
      case 2:
        return `(${a} < ${dbl(d - 1)} ? ${a} : -(${a}))`;
      case 3:
        return `(float)(${a} + 1.5)`;
      case 4:
        return `(double)(long long)(${q(d - 1)} & 0xfffffull)`;
      default:
        return `(${a} ${pick(['+', '-'])} ${dbl(d - 1)}) * 0.25`;
    }
  };
  const stmt = (d: number): string => {
    switch (r(14)) {
      case 0:
        return `for (int i = 0; i < ${1 + r(5)}; i++) { ${stmt(d - 1)} ${stmt(d - 1)} }`;
      case 1:
        return `if (${u(2)} ${pick(['<', '>', '=='])} ${u(2)}) { ${stmt(d - 1)} } else { ${stmt(d - 1)} }`;
      case 10:
        return `if (${dbl(2)} ${pick(['<', '>=', '!='])} ${dbl(2)} || (int)${u(2)} < ${r(100) - 50}) { ${stmt(d - 1)} }`;
      case 11:
        return `{ unsigned k = ${u(2)} & 15u; while (k-- > 0u) { ${stmt(d - 1)} } }`;
      case 2:
        return `switch (${u(2)} & 7u) { case 0: ${stmt(d - 1)} break; case 1: case 2: ${stmt(d - 1)} case 5: ${stmt(d - 1)} break; default: ${stmt(d - 1)} }`;
      case 3:
        return `${pick(Q)} ${pick(['=', '+=', '-=', '^=', '*='])} ${q(3)};`;
      case 4:
        return `${pick(D)} = ${dbl(3)};`;
      case 5:
        return `arr[${u(2)} & 7u] = ${u(3)};`;
      case 6:
        return `${pick(['u0', 'u1', 'c0', 'h0', 'st.y'])}${pick(['++', '--'])};`;
      case 7:
        return `p = &arr[${u(2)} & 7u];`;
      case 8:
        return `${pick(['u0', 'u1', 'u2', 'a1', 'st.x', 'pa[1]'])} ${pick(['+=', '-=', '^=', '|=', '&='])} ${u(3)};`;
      default:
        return `${pick(['u0', 'u1', 'u2', 'a0', 'a1', 'a2', 'c0', 'h0', 'st.x', 'st.y', '*p', 'pa[0]'])} = ${u(4)};`;
    }
  };
  const body = Array.from({ length: 14 }, () => stmt(3)).join('\n  ');
  return `#include "rt.h"
struct S { int x; short y; double z; long long w; };
static unsigned long long bits(double d) { union { double d; unsigned long long u; } x; x.d = d; return x.u; }
static int helper(unsigned a, unsigned long long b, double c, struct S s) { return (int)((a ^ (unsigned)b) + (unsigned)(int)(c * 0.5) + (unsigned)s.x - (unsigned)s.y); }
int main(void) {
  unsigned u0 = ${seed}u, u1 = 77u, u2 = 0xdeadbeefu; int a0 = -5, a1 = 100000, a2 = 3;
  unsigned char c0 = 200; short h0 = -300; long long l0 = -7, l1 = 1ll << 40; unsigned long long q0 = 0x123456789abcdefull;
  double d0 = 2.5, d1 = -0.75; float f0 = 1.5f; int arr[8] = { 1, 2, 3, 4, 5, 6, 7, 8 }; int *p = &arr[3]; int *pa = arr + 2;
  struct S st = { 9, -2, 0.125, 5 };
  ${body}
  printf("%u %u %u %d %d %d %d %d %lld %lld %llu\\n", u0, u1, u2, a0, a1, a2, c0, h0, l0, l1, q0);
  printf("%llx %llx %llx %llx %d %d %lld\\n", bits(d0), bits(d1), bits(f0), bits(st.z), st.x, st.y, st.w);
  for (int i = 0; i < 8; i++) printf("%d ", arr[i]);
  printf("%d\\n", (int)(p - arr));
  return (int)(u0 & 63u);
}
`;
}

describe('futcc codegen: random programs', () => {
  for (let i = 0; i < COUNT; i++) {
    const seed = 1000 + i * 7919;
    oracleIt(
      `seed ${seed}: same output as GCC at -O0 and -O2`,
      TOOLS,
      () => void expectSameAsGcc(generate(seed)),
      60_000,
    );
  }
});

export { generate };
