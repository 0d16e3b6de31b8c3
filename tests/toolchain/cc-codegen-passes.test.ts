// The -O1+ passes of the code generator, each checked on the instructions it emits and on the
// results of running the code on our machine (expected values computed here, not by GCC):
// strength reduction, value-stack entries in callee-saved registers, loop-invariant hoisting,
// deferred post-increments and dead-code elimination.
import { describe, expect, it } from 'vitest';
import { peephole } from '../../core/toolchain/cc/codegen/peephole';
import { futccAsm, runFutcc } from './cc-codegen-support';

/** Lines of the function `name` in an assembly listing. */
function fn(asm: string, name: string): string {
  const start = asm.indexOf(`\n${name}:`);
  expect(start, `function ${name}`).toBeGreaterThanOrEqual(0);
  return asm.slice(start, asm.indexOf(`.size ${name},`, start));
}

/** The body of function `name` between its prologue and epilogue. */
function body(asm: string, name: string): string {
  const f = fn(asm, name);
  return f.slice(f.search(/addi s0, sp, \d+/), f.indexOf('.L.return.'));
}

/** Runs main.c at -O0, -O1 and -O2; every level must print `expected` and exit 0. */
function expectRuns(src: string, expected: string): void {
  for (const opt of [0, 1, 2] as const)
    expect({ opt, ...runFutcc({ 'main.c': src }, opt) }).toEqual({ opt, out: expected, code: 0 });
}

const DIVISORS = [1, -1, 2, -2, 4, -8, 16, 1024, -4096, 65536, 1 << 30, 3, 5, 7, 9, 15, 17, 31, -33];
/** Edge values and pseudo-random ones (a fixed LCG, so every run checks the same values). */
const XS = [0, 1, -1, 7, -7, 8, -8, 100, -100, 12345, -12345, 2147483647, -2147483647, -2147483648];
for (let i = 0, v = 12345; i < 16; i++) {
  v = (Math.imul(v, 1103515245) + 12345) | 0;
  XS.push(v >> (i % 24));
}

describe('strength reduction', () => {
  it('multiplies, divides and takes remainders by powers of two with shifts and masks', () => {
    const asm = futccAsm(
      'int d4(int x) { return x / 4; }\nint m8(int x) { return x % 8; }\nunsigned ud(unsigned x) { return x / 16; }\n' +
        'unsigned um(unsigned x) { return x % 65536; }\nint mul9(int x) { return x * 9; }\nint mul7(int x) { return x * 7; }\n' +
        'int d2n(int x) { return x / -2; }\n',
      2,
    );
    for (const f of ['d4', 'm8', 'ud', 'um', 'mul9', 'mul7', 'd2n'])
      expect(fn(asm, f), f).not.toMatch(/\b(div|divu|rem|remu|mul)\b/);
    // Signed division rounds toward zero: negative dividends get 2^k - 1 added before the shift.
    expect(fn(asm, 'd4')).toMatch(
      /srai t6, \w+, 31\n\s+srli t6, t6, 30\n\s+add (\w+), \w+, t6\n\s+srai \1, \1, 2/,
    );
    expect(fn(asm, 'm8')).toMatch(/andi (\w+), \1, 7\n\s+sub \1, \1, t6/);
    expect(fn(asm, 'ud')).toMatch(/srli \w+, \w+, 4/);
    expect(fn(asm, 'um')).toMatch(/slli (\w+), \w+, 16\n\s+srli \1, \1, 16/);
    expect(fn(asm, 'mul9')).toMatch(/slli t6, \w+, 3\n\s+add \w+, t6, \w+/);
    expect(fn(asm, 'mul7')).toMatch(/slli t6, \w+, 3\n\s+sub \w+, t6, \w+/);
    expect(fn(asm, 'd2n')).toMatch(/neg/);
    // -O0 keeps the plain instructions.
    expect(futccAsm('int d4(int x) { return x / 4; }\n', 0)).toMatch(/\bdiv\b/);
  });

  it('computes C results for every sign and edge value', () => {
    const ops = DIVISORS.flatMap((d) => [
      `  p(x / ${d}); p(x % ${d}); p(x * ${d});`,
      d > 0 ? `  p((int)((unsigned)x / ${d}u)); p((int)((unsigned)x % ${d}u));` : '',
    ]);
    const src = `#include "rt.h"
static void p(int v) { printf("%d\\n", v); }
static void all(int x) {
${ops.join('\n')}
}
int main(void) {
  static const int xs[] = {${XS.join(', ').replace('-2147483648', '-2147483647 - 1')}};
  for (unsigned i = 0; i < sizeof xs / sizeof xs[0]; i++) all(xs[i]);
  return 0;
}
`;
    const lines: string[] = [];
    for (const x of XS)
      for (const d of DIVISORS) {
        const bx = BigInt(x);
        const bd = BigInt(d);
        const q = x === -2147483648 && d === -1 ? null : BigInt.asIntN(32, bx / bd);
        lines.push(
          String(q ?? -2147483648),
          String(BigInt.asIntN(32, bx % bd)),
          String(BigInt.asIntN(32, bx * bd)),
        );
        if (d > 0) {
          const ux = BigInt.asUintN(32, bx);
          lines.push(String(BigInt.asIntN(32, ux / bd)), String(BigInt.asIntN(32, ux % bd)));
        }
      }
    // INT_MIN / -1 overflows (undefined in C): drop that case from the program and the expectation.
    const cleaned = src.replace('  p(x / -1);', '  p(x == -2147483647 - 1 ? x : x / -1);');
    expectRuns(cleaned, `${lines.join('\n')}\n`);
  });
});

describe('register allocation by scope', () => {
  // 6 locals in each of two sibling blocks, the loops' own and 3 around them: 18 in all, 11 at once.
  const decls = (p: string, n: number): string =>
    Array.from({ length: n }, (_, i) => `int ${p}${i} = x + ${i};`).join(' ');
  const sums = (p: string, n: number): string =>
    Array.from({ length: n }, (_, i) => `${p}${i} * ${i + 1}`).join(' + ');
  const SRC = `#include "rt.h"
unsigned table[8];
int f(int x) {
  int r = 0, k = 3;
  { ${decls('a', 6)} for (int i = 0; i < 4; i++) r += ${sums('a', 6)} + i; }
  { ${decls('b', 6)} for (int i = 0; i < 4; i++) { int c = i * k; r ^= ${sums('b', 6)} + c; } }
  for (unsigned i = 0; i < 8; i++) { unsigned c = i; for (int j = 0; j < 3; j++) c = c * 2 + 1; table[i] = c; }
  return r + (int)table[7];
}
int main(void) { printf("%d %d\\n", f(1), f(-7)); return 0; }
`;
  it('lets locals of sibling blocks share callee-saved registers, so all of them get one', () => {
    const f = body(futccAsm(SRC, 2), 'f');
    // Only the prologue's register saves touch the frame: no local lives in a stack slot.
    expect(f).not.toMatch(/^\s+(lw|lbu|lb|lhu|lh|sw|sh|sb) [at]\d, -?\d+\(s0\)/m);
    expect(f).toMatch(/sw s\d+, -?\d+\(s0\)/);
    expect(f).toMatch(/\bs11\b|\bs10\b/);
  });

  it('never gives a register to two locals alive at once (loop variables and body locals)', () => {
    const model = (x: number): number => {
      let r = 0;
      const k = 3;
      const a = Array.from({ length: 6 }, (_, i) => x + i);
      for (let i = 0; i < 4; i++) r += a.reduce((s, v, j) => s + v * (j + 1), 0) + i;
      for (let i = 0; i < 4; i++) r ^= a.reduce((s, v, j) => s + v * (j + 1), 0) + i * k;
      let c = 7;
      for (let j = 0; j < 3; j++) c = c * 2 + 1;
      return r + c;
    };
    expectRuns(SRC, `${model(1)} ${model(-7)}\n`);
  });
});

describe('peephole', () => {
  it('drops a move back to where the value came from', () => {
    expect(peephole(['  mv s4, a0', '  mv a0, s4', '  jalr t2'])).toEqual(['  mv s4, a0', '  jalr t2']);
    expect(peephole(['  fmv.d fs1, fa0', '  fmv.d fa0, fs1'])).toEqual(['  fmv.d fs1, fa0']);
    // Not across a label, and not when the second move goes elsewhere.
    expect(peephole(['  mv s4, a0', '.L1:', '  mv a0, s4'])).toHaveLength(3);
    expect(peephole(['  mv s4, a0', '  mv a1, s4'])).toHaveLength(2);
  });
});

describe('64-bit shifts by constants', () => {
  const AMOUNTS = [0, 1, 7, 31, 32, 33, 40, 63];
  const VALUES = ['0x8000000000000001', '0x0123456789abcdef', '-5', '1'];
  const src = `#include "rt.h"
static void p(unsigned long long v) { printf("%08x%08x\\n", (unsigned)(v >> 32), (unsigned)v); }
static void all(long long s, unsigned long long u) {
${AMOUNTS.map((n) => `  p(s << ${n}); p((unsigned long long)(s >> ${n})); p(u << ${n}); p(u >> ${n});`).join('\n')}
}
int main(void) {
${VALUES.map((v) => `  all((long long)${v}ULL, ${v}ULL);`).join('\n')}
  return 0;
}
`;
  it('uses straight-line code (no test of the amount) and gets every amount right', () => {
    const all = fn(futccAsm(src, 2), 'all');
    expect(all).not.toMatch(/bgez/);
    expect(all).toMatch(/srai a1, a1, 31/);
    const hex = (v: bigint): string => BigInt.asUintN(64, v).toString(16).padStart(16, '0');
    const lines: string[] = [];
    for (const v of VALUES) {
      const u = BigInt.asUintN(64, BigInt(v));
      const sv = BigInt.asIntN(64, u);
      for (const n of AMOUNTS) {
        const b = BigInt(n);
        lines.push(hex(sv << b), hex(sv >> b), hex(u << b), hex(u >> b));
      }
    }
    expectRuns(src, `${lines.join('\n')}\n`);
  });
});

describe('temporaries in registers', () => {
  const SRC = `#include "rt.h"
int sq(int x) { return x * x; }
double half(double x) { return x / 2; }
long long wide(long long x) { return x * 3; }
int mix(int a, int b) { return sq(a) + sq(b) * (sq(a - b) - sq(a + 1)) + (a > b ? sq(b) : -sq(a)); }
double fmix(double a, int n) { return half(a) * half(a + n) - half(n); }
long long lmix(long long a) { return wide(a) + wide(a + 1) * 2; }
int main(void) {
  int s = 0;
  for (int i = -3; i < 4; i++) s += mix(i, 2 * i - 1);
  printf("%d %d %d\\n", s, (int)(fmix(3.5, 4) * 100), (int)lmix(1000000000000LL % 1000));
  return 0;
}
`;
  it('keeps values that live across calls in callee-saved registers, not on the stack', () => {
    const asm = futccAsm(SRC, 2);
    for (const f of ['mix', 'fmix', 'lmix']) {
      expect(body(asm, f), f).not.toMatch(/\d\(sp\)|addi sp, sp, -8\b/);
      expect(fn(asm, f), f).toMatch(/call (sq|half|wide)/);
    }
    expect(body(asm, 'mix')).toMatch(/mv s\d+, a0/);
    // The waiting operand is used from its register: no moves back into a0 before the operation.
    expect(body(asm, 'mix')).toMatch(/(add|sub|mul) a0, s\d+, a0/);
    expect(body(asm, 'mix')).not.toMatch(/mv t1, a0\n\s+mv a0, s\d+/);
    expect(body(asm, 'lmix')).toMatch(/mv s\d+, a0\n\s+mv s\d+, a1/);
    expect(fn(asm, 'fmix')).toMatch(/fmv\.d fs\d+, fa0/);
    expect(futccAsm(SRC, 0)).toMatch(/sw a0, 0\(sp\)/);
  });

  it('computes the same values as the stack scheme', () => {
    let s = 0;
    const sq = (x: number): number => x * x;
    for (let i = -3; i < 4; i++) {
      const a = i;
      const b = 2 * i - 1;
      s += sq(a) + sq(b) * (sq(a - b) - sq(a + 1)) + (a > b ? sq(b) : -sq(a));
    }
    const fmix = (3.5 / 2) * ((3.5 + 4) / 2) - 4 / 2;
    expectRuns(SRC, `${s} ${Math.trunc(fmix * 100)} ${0 * 3 + 1 * 3 * 2}\n`);
  });
});

describe('loop-invariant hoisting and deferred post-increments', () => {
  const SRC = `#include "rt.h"
static unsigned char buf[300];
static unsigned table[16];
static void copy(unsigned char *d, const unsigned char *s, unsigned n) { while (n--) *d++ = *s++; }
static unsigned sum(void) {
  unsigned h = 0;
  for (int i = 0; i < 300; i++) h = h * 31 + buf[i] + table[buf[i] & 15];
  return h;
}
static double poly(int n) { double s = 0; for (int i = 0; i < n; i++) s = s * 0.5 + 1.25; return s; }
int main(void) {
  unsigned char src[300];
  for (int i = 0; i < 300; i++) src[i] = (unsigned char)(i * 7);
  for (int i = 0; i < 16; i++) table[i] = (unsigned)i * 1000003u;
  copy(buf, src, 300);
  printf("%u %d\\n", sum(), (int)(poly(10) * 1000000));
  return 0;
}
`;
  it('loads global addresses and constants once before the loop and keeps the loop pure', () => {
    const asm = futccAsm(SRC, 2);
    const sum = fn(asm, 'sum');
    const loop = sum.slice(sum.indexOf('.L.'));
    expect(sum.slice(0, sum.indexOf('.L.'))).toMatch(/la s\d+, buf[\s\S]*la s\d+, table/);
    expect(loop).not.toMatch(/\bla\b|%hi/);
    const poly = fn(asm, 'poly');
    expect(poly.slice(0, poly.indexOf('.L.'))).toMatch(/fld fs\d+/);
    expect(poly.slice(poly.indexOf('.L.'))).not.toMatch(/%hi/);
    const copy = fn(asm, 'copy');
    expect(copy).toMatch(
      /lbu (\w+), 0\((s\d+)\)\n\s+sb \1, 0\((s\d+)\)\n\s+addi \3, \3, 1\n\s+addi \2, \2, 1/,
    );
    // while (n--): one step and one compare with the hoisted step value.
    expect(copy).toMatch(/addi (s\d+), \1, -1\n\s+bne \1, s\d+, /);
    expect(body(asm, 'copy')).not.toMatch(/\d\(sp\)|addi sp, sp, -8\b/);
  });

  it('computes what the C source says', () => {
    let h = 0;
    const table = Array.from({ length: 16 }, (_, i) => (i * 1000003) >>> 0);
    for (let i = 0; i < 300; i++) {
      const b = (i * 7) & 255;
      h = (Math.imul(h, 31) + b + (table[b & 15] as number)) >>> 0;
    }
    let s = 0;
    for (let i = 0; i < 10; i++) s = s * 0.5 + 1.25;
    expectRuns(SRC, `${h} ${Math.trunc(s * 1000000)}\n`);
  });

  it('does not defer an increment the statement reads again or runs conditionally', () => {
    const src = `#include "rt.h"
int main(void) {
  int a[6] = {1, 2, 3, 4, 5, 6};
  int *p = a, x = 0, i = 0;
  x = (p++, *p);
  i++ > 0 && (x += *p++);
  x += i++ ? *p++ : 100;
  x += *p++ * 10;
  unsigned n = 3, m = 0;
  while (n--) m += 2;
  int k = 2;
  do m += 100; while (k--);
  printf("%d %d %d %u %u %d\\n", x, (int)(p - a), i, n, m, k);
  return 0;
}
`;
    // x = a[1] = 2; i++ > 0 is false (p stays); i is 1 now so x += a[1]; x += a[2] * 10.
    expectRuns(src, '34 3 2 4294967295 306 -1\n');
  });
});

describe('dead-code elimination', () => {
  const SRC = `#include "rt.h"
static int unused_helper(int x) { return x * 12345; }
static inline int unused_inline(int x) { return x + 777; }
static int used_via_pointer(int x) { return x + 1; }
static int (*const ptr)(int) = used_via_pointer;
int f(int x) {
  if (0) x = unused_helper(x);
  if (sizeof(int) == 4) x += 10; else x += 20000;
  while (0) x = 99999;
  x * 3;
  (void)x;
  return x;
  x = 55555;
}
int g(int x) {
  goto skip;
  x = 4444;
skip:
  return x + ptr(x);
}
int main(void) {
  printf("%d %d\\n", f(5), g(2));
  return 0;
}
`;
  it('drops unreachable statements, constant branches, unused results and unused static functions', () => {
    const asm = futccAsm(SRC, 2);
    expect(asm).not.toContain('unused_helper');
    expect(asm).not.toContain('unused_inline');
    expect(asm).toContain('used_via_pointer:');
    const f = fn(asm, 'f');
    for (const dead of ['12345', '20000', '99999', '55555', 'mul', 'li a0, 3'])
      expect(f, dead).not.toContain(dead);
    expect(fn(asm, 'g')).not.toContain('4444');
    // -O0 emits every function.
    expect(futccAsm(SRC, 0)).toContain('unused_helper:');
  });

  it('keeps reads of volatile objects whose value is unused', () => {
    const asm = futccAsm(
      'volatile int v;\nstruct s { volatile int x; } gs;\nvoid f(volatile int *p, int y) { v; (void)v; *p; (void)gs.x; y + 1; }\n',
      2,
    );
    const f = body(asm, 'f');
    expect(f.match(/%lo\(v\)/g)).toHaveLength(2);
    expect(f).toMatch(/lw a0, 0\(a0\)/);
    expect(f).toMatch(/\bgs\b/);
    expect(f).not.toMatch(/addi \w+, \w+, 1\b/);
  });

  it('keeps the code a label makes reachable and runs correctly', () => {
    const src = `#include "rt.h"
int f(int n) {
  int r = 0;
  if (n > 2) goto inside;
  return 7;
  if (0) {
  inside:
    r = n * 2;
  }
  return r;
}
int main(void) {
  printf("%d %d\\n", f(1), f(5));
  return 0;
}
`;
    expect(futccAsm(src, 2)).toMatch(/\.label\.inside:/);
    expectRuns(src, '7 10\n');
    expectRuns(SRC, '15 5\n');
  });
});
