// Code generator properties that are not visible in program output: psABI classification, the
// -O1+ scheme (register locals, no value stack for simple code, peephole), jump tables, and the
// line information emitted with -g, checked through our assembler and linker.
import { describe, expect, it } from 'vitest';
import { readElf } from '../../core/elf/reader';
import { findSymbol } from '../../core/elf/image';
import { classify, classifyReturn, layoutCall, newArgState } from '../../core/toolchain/cc/codegen/abi';
import { peephole } from '../../core/toolchain/cc/codegen/peephole';
import { T, layoutRecord, newRecord, type Type } from '../../core/toolchain/cc/types';
import { decodeLineTable } from '../../core/toolchain/link/lines';
import { buildProgram } from '../../core/toolchain/driver/index';
import { oracleIt } from '../support/oracle';
import { expectSameAsGcc, futccAsm, TOOLS } from './cc-codegen-support';

function struct(...fields: Type[]): Type {
  const info = newRecord('s', false);
  layoutRecord(
    info,
    fields.map((type, i) => ({ name: `f${i}`, type })),
  );
  return { kind: 'struct', info };
}
const dests = (t: Type, nx = 0, nf = 0, variadic = false): string[] =>
  classify(t, { nx, nf, stack: 0 }, variadic).parts.map((p) =>
    'x' in p.dest ? `a${p.dest.x}` : 'f' in p.dest ? `fa${p.dest.f}` : `sp+${p.dest.stack}`,
  );

describe('psABI ilp32d classification', () => {
  it('passes scalars in integer and FP registers, 64-bit values in pairs, splitting at a7', () => {
    expect(dests(T.int)).toEqual(['a0']);
    expect(dests(T.llong, 3)).toEqual(['a3', 'a4']);
    expect(dests(T.llong, 7)).toEqual(['a7', 'sp+0']);
    expect(dests(T.double)).toEqual(['fa0']);
    expect(dests(T.double, 0, 8)).toEqual(['a0', 'a1']);
    expect(dests(T.float, 8, 8)).toEqual(['sp+0']);
  });
  it('aligns variadic 2×XLEN values to an even register pair and the stack to 8', () => {
    expect(dests(T.double, 1, 0, true)).toEqual(['a2', 'a3']);
    expect(dests(T.llong, 3, 0, true)).toEqual(['a4', 'a5']);
    expect(dests(T.double, 7, 0, true)).toEqual(['sp+0', 'sp+4']);
    const lay = layoutCall(T.int, [T.int, T.double], 1);
    expect(lay.args[1]?.parts.map((p) => p.dest)).toEqual([{ x: 2 }, { x: 3 }]);
    expect(lay.namedX).toBe(1);
  });
  it('flattens structs of at most two fields with a float into FP (and integer) registers', () => {
    expect(dests(struct(T.float, T.int))).toEqual(['fa0', 'a0']);
    expect(dests(struct(T.double, T.double))).toEqual(['fa0', 'fa1']);
    expect(dests(struct(struct(T.float), T.char), 2, 3)).toEqual(['fa3', 'a2']);
    expect(dests(struct({ kind: 'array', base: T.float, len: 2 }))).toEqual(['fa0', 'fa1']);
    // Not enough FP registers, three fields, or variadic: the integer convention.
    expect(classify(struct(T.double, T.double), { nx: 0, nf: 7, stack: 0 }, false).byRef).toBe(true);
    expect(dests(struct(T.float, T.float), 0, 7)).toEqual(['a0', 'a1']);
    expect(dests(struct(T.float, T.float, T.float))).toEqual(['a0']);
    expect(dests(struct(T.float, T.int), 0, 0, true)).toEqual(['a0', 'a1']);
    expect(dests(struct(T.float, T.llong))).toEqual(['a0']);
  });
  it('returns small aggregates in registers and large ones through a hidden pointer', () => {
    expect(classifyReturn(struct(T.int, T.int))?.map((p) => p.dest)).toEqual([{ x: 0 }, { x: 1 }]);
    expect(classifyReturn(struct(T.int, T.int, T.int))).toBeNull();
    expect(layoutCall(struct(T.int, T.int, T.int), [T.int], 1).args[0]?.parts[0]?.dest).toEqual({ x: 1 });
    expect(newArgState(true).nx).toBe(1);
  });
});

describe('-O1+ code and the peephole pass', () => {
  const LOOP = 'int sum(int *a, int n) { int s = 0; for (int i = 0; i < n; i++) s += a[i]; return s; }\n';
  it('keeps locals in callee-saved registers and the loop free of value-stack traffic at -O2', () => {
    const o2 = futccAsm(LOOP, 2);
    const loop = o2.slice(o2.indexOf('.L.0.0:'), o2.indexOf('.L.return.0:'));
    expect(loop).not.toMatch(/\bsp\b/);
    expect(loop).toMatch(/blt s\d+, s\d+, \.L\.0\.0/);
    expect(o2).toMatch(/sw s1, -?\d+\(s0\)[\s\S]*lw s1, -?\d+\(s0\)/);
    const o0 = futccAsm(LOOP, 0);
    expect(o0).toContain('sw a0, 0(sp)');
    expect(o0).not.toMatch(/\bs1\b/);
    expect(o2.split('\n').length).toBeLessThan(o0.split('\n').length);
  });
  it('folds constant expressions at -O1', () => {
    const src = 'int f(void) { return (3 * 7 + (1 << 4)) / 2 - sizeof(long long); }\n';
    expect(futccAsm(src, 1)).toMatch(/li a0, 10\n/);
    expect(futccAsm(src, 0)).toContain('mul');
  });
  it('turns a push/pop pair into a move, drops self-moves, jumps to the next line and dead code', () => {
    const lines = [
      '  addi sp, sp, -8',
      '  sw a0, 0(sp)',
      '  lw t1, 0(sp)',
      '  addi sp, sp, 8',
      '  mv a0, a0',
      '  j .L1',
      '  li a0, 3',
      '.L1:',
      '  sw a0, -20(s0)',
      '  lw a0, -20(s0)',
      '  ret',
    ];
    expect(peephole(lines)).toEqual(['  mv t1, a0', '.L1:', '  sw a0, -20(s0)', '  ret']);
    expect(peephole(['  blt a0, t1, .L2', '  j .L3', '.L2:', '  ret'])).toEqual([
      '  bge a0, t1, .L3',
      '.L2:',
      '  ret',
    ]);
  });
  it('uses a jump table for a dense switch and a compare chain for a sparse one', () => {
    const dense = futccAsm(
      'int f(int x) { switch (x) { case 1: return 5; case 2: return 7; case 3: return 9; case 4: return 1; case 6: return 0; } return -1; }\n',
    );
    expect(dense).toMatch(/\.table:\n(\s+\.word \.L\.0\.\d+\n){6}/);
    const sparse = futccAsm(
      'int f(int x) { switch (x) { case 1: return 5; case 1000: return 7; case -9: return 9; case 77777: return 1; } return -1; }\n',
    );
    expect(sparse).not.toContain('.table');
    expect(sparse.match(/beq a0, t1/g)?.length).toBe(4);
  });
  oracleIt(
    '-O0 and -O2 agree with GCC on register pressure, deep expressions and aliasing through pointers',
    TOOLS,
    () => {
      expectSameAsGcc(`#include "rt.h"
int g;
int deep(int a, int b, int c) { return ((a + b) * (c - a) ^ (b << 3) | (a & c)) + ((a * b * c) % 7 - (c / (b | 1))) * ((a ^ c) + (b - (a >> 2))); }
int alias(int *p) { int x = 5; *p += x; x += *p; g = x; return x + g; }
int main(void) {
  int v[20], s = 0;
  for (int i = 0; i < 20; i++) v[i] = i * 7 - 30;
  int a = 1, b = 2, c = 3, d = 4, e = 5, f = 6, h = 7, i2 = 8, j = 9, k = 10, l = 11, m = 12, n = 13;
  for (int i = 0; i < 20; i++) { a += v[i]; b ^= a; c += b >> 1; d -= c; e += d & 15; f |= e; h += f % 13; i2 = h - i2; j += i2 * 3; k ^= j; l += k >> 2; m -= l; n += m; s += n; }
  for (int i = -5; i < 5; i++) s += deep(i, i * 3 + 1, 7 - i);
  int y = 1;
  s += alias(&y);
  s += y;
  unsigned char uc = 250; uc += 10; short sh = 32767; sh++; signed char sc = -128; sc--;
  printf("%d %d %d %d %d %d %d\\n", s, a, n, uc, sh, sc, g);
  return s & 127;
}
`);
    },
    60_000,
  );
});

describe('line information (-g)', () => {
  const SRC =
    'int twice(int x) {\n  int y = x * 2;\n  return y;\n}\nint main(void) {\n  return twice(21) - 42;\n}\n';
  it('emits .file/.loc per statement only when asked', () => {
    const g = futccAsm(SRC, 0, true);
    expect(g).toMatch(/\.file 1 "main\.c"/);
    expect(g).toMatch(/\.loc 1 2 \d+/);
    expect(g).toMatch(/\.loc 1 6 \d+/);
    expect(futccAsm(SRC, 0, false)).not.toContain('.loc');
  });
  it('maps addresses of a linked program back to source lines through the linker', () => {
    const files: Record<string, string> = {
      'crt.S': '.globl _start\n_start:\n  call main\n  li a7, 93\n  ecall\n',
      'main.c': SRC,
    };
    for (const optLevel of [0, 2] as const) {
      const r = buildProgram({
        sources: ['crt.S', 'main.c'],
        provider: { read: (p) => files[p] },
        optLevel,
        debug: true,
      });
      expect(r.ok).toBe(true);
      const elf = readElf(r.elf as Uint8Array);
      const sec = elf.sections.find((s) => s.name === '.futura.lines');
      expect(sec).toBeDefined();
      const rows = decodeLineTable(elf.data.subarray(sec!.offset, sec!.offset + sec!.size));
      const twice = findSymbol(elf, 'twice')!.value;
      const main = findSymbol(elf, 'main')!.value;
      const linesIn = (lo: number, hi: number): number[] =>
        [
          ...new Set(
            rows.filter((x) => x.file.endsWith('main.c') && x.addr >= lo && x.addr < hi).map((x) => x.line),
          ),
        ].sort();
      expect(linesIn(twice, main)).toEqual(expect.arrayContaining([2, 3]));
      expect(linesIn(main, main + 200)).toContain(6);
    }
  });
});
