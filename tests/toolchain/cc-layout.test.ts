import { describe, it, expect } from 'vitest';
import { evalConst } from '../../core/toolchain/cc/consteval';
import { oracleIt, RV_GCC } from '../support/oracle';
import { compile, diagsOf, gccSyntax, rng, FULL } from './cc-support';

const SCALARS = [
  'char',
  'signed char',
  'unsigned char',
  'short',
  'unsigned short',
  'int',
  'unsigned',
  'long',
  'long long',
  'unsigned long long',
  'float',
  'double',
  'void *',
  'char *',
  '_Bool',
];
const BF_TYPES: Array<[string, number]> = [
  ['char', 8],
  ['unsigned char', 8],
  ['short', 16],
  ['unsigned short', 16],
  ['int', 32],
  ['unsigned int', 32],
  ['long long', 64],
  ['unsigned long long', 64],
  ['_Bool', 1],
];

interface Gen {
  defs: string[];
  /** [expression text] to evaluate for each record */
  probes: string[];
}

function genRecord(r: () => number, name: string, g: Gen, depth: number): string {
  const kind = r() < 0.2 ? 'union' : 'struct';
  const n = 1 + Math.floor(r() * 7);
  const members: string[] = [];
  const offsetable: string[] = [];
  for (let i = 0; i < n; i++) {
    const m = `m${i}`;
    const p = r();
    if (p < 0.3) {
      const [t, w] = BF_TYPES[Math.floor(r() * BF_TYPES.length)] as [string, number];
      const width = r() < 0.1 ? 0 : 1 + Math.floor(r() * w);
      members.push(width === 0 || r() < 0.15 ? `${t} : ${width};` : `${t} ${m} : ${width};`);
    } else if (p < 0.45 && depth < 2) {
      const sub = `${name}_${i}`;
      const sk = genRecord(r, sub, g, depth + 1);
      members.push(r() < 0.5 ? `${sk} ${sub} ${m};` : `${sk} ${sub} ${m}[${1 + Math.floor(r() * 3)}];`);
      offsetable.push(m);
    } else if (p < 0.55) {
      const t = SCALARS[Math.floor(r() * SCALARS.length)];
      members.push(`${t} ${m}[${1 + Math.floor(r() * 5)}];`);
      offsetable.push(m);
    } else if (p < 0.6) {
      members.push(`_Alignas(${[1, 2, 4, 8, 16][Math.floor(r() * 5)]}) char ${m};`);
      offsetable.push(m);
    } else {
      members.push(`${SCALARS[Math.floor(r() * SCALARS.length)]} ${m};`);
      offsetable.push(m);
    }
  }
  // _Alignas(1) on a char is fine, but it cannot lower alignment; keep declarations valid for GCC.
  g.defs.push(`${kind} ${name} { ${members.join(' ')} };`);
  g.probes.push(`sizeof(${kind} ${name})`, `_Alignof(${kind} ${name})`);
  for (const m of offsetable) g.probes.push(`__builtin_offsetof(${kind} ${name}, ${m})`);
  return kind;
}

const FIXED = `
struct A { char c; int i; };
struct B { char c; double d; char e; };
struct C { short s; char c[3]; };
struct D { int a : 3; int b : 5; char c; };
struct E { char a; int : 0; char b; };
struct F { char a : 4; char b : 5; };
struct G { long long x : 33; int y : 31; };
struct H { char c; struct { char d; double e; } in; };
union U { char c[5]; int i; };
struct I { int n; char tail[]; };
struct J { char c; union { int a; char b; }; struct { short x, y; }; };
struct K { unsigned char a : 1, b : 7, c : 1; };
struct L { char a; long long b : 1; };
struct M { _Bool a : 1; _Bool b; int c : 31; int d : 2; };
struct N { char a; _Alignas(16) int b; };
struct O { float f; double d; long double_; };
struct P { void (*fp)(int); int (*ap)[4]; };
`;
const FIXED_PROBES = 'ABCDEFGHIJKLMNOP'
  .split('')
  .flatMap((c) => [`sizeof(struct ${c})`, `_Alignof(struct ${c})`])
  .concat([
    'sizeof(union U)',
    '_Alignof(union U)',
    '__builtin_offsetof(struct I, tail)',
    '__builtin_offsetof(struct J, b)',
    '__builtin_offsetof(struct J, y)',
    '__builtin_offsetof(struct H, in.e)',
    '__builtin_offsetof(struct N, b)',
  ]);

/** Evaluates each probe with futcc (as a static initializer) and returns the values. */
function futccValues(defs: string, probes: string[]): number[] {
  const src = `${defs}\nunsigned __probe[] = { ${probes.join(', ')} };\n`;
  const r = compile(src);
  expect(diagsOf(r).filter((d) => d.includes('error'))).toEqual([]);
  const g = r.ast?.globals.find((x) => x.name === '__probe');
  const items = g?.init?.items ?? [];
  expect(items.length).toBe(probes.length);
  return items.map((it) => {
    const c = evalConst(it.expr);
    return c?.kind === 'int' ? Number(c.value) : -1;
  });
}

function checkWithGcc(defs: string, probes: string[], values: number[]): void {
  const asserts = probes.map(
    (p, i) => `_Static_assert(${p} == ${values[i]}, "probe ${i}: ${p.replace(/"/g, '')}");`,
  );
  const err = gccSyntax(`${defs}\n${asserts.join('\n')}\n`);
  // On a mismatch, show the definitions involved next to GCC's message.
  const names = new Set([...err.matchAll(/(?:struct|union) (\w+)/g)].map((m) => m[1]));
  const involved = defs.split('\n').filter((l) => names.has(l.split(' ')[1] ?? ''));
  expect(err + involved.join('\n')).toBe('');
}

describe('type layout (psABI ilp32d)', () => {
  it('known layouts', () => {
    const v = futccValues(FIXED, FIXED_PROBES);
    const at = (p: string): number => v[FIXED_PROBES.indexOf(p)] as number;
    expect([at('sizeof(struct A)'), at('_Alignof(struct A)')]).toEqual([8, 4]);
    expect([at('sizeof(struct B)'), at('_Alignof(struct B)')]).toEqual([24, 8]);
    expect(at('sizeof(struct D)')).toBe(4);
    expect(at('sizeof(struct E)')).toBe(5);
    expect(at('sizeof(struct F)')).toBe(2);
    expect(at('sizeof(struct I)')).toBe(4);
    expect(at('__builtin_offsetof(struct N, b)')).toBe(16);
    expect(at('sizeof(struct P)')).toBe(8);
  });
  oracleIt('known layouts match GCC', [RV_GCC], () => {
    checkWithGcc(FIXED, FIXED_PROBES, futccValues(FIXED, FIXED_PROBES));
  });
  oracleIt('random structs, unions and bit-fields match GCC', [RV_GCC], () => {
    const rounds = FULL ? 20 : 2;
    for (let round = 0; round < rounds; round++) {
      const r = rng(1234 + round);
      const g: Gen = { defs: [], probes: [] };
      for (let i = 0; i < 60; i++) genRecord(r, `R${i}`, g, 0);
      const defs = g.defs.join('\n');
      checkWithGcc(defs, g.probes, futccValues(defs, g.probes));
    }
  });
  oracleIt('scalar and derived types match GCC', [RV_GCC], () => {
    const types = [
      ...SCALARS,
      'int[3][5]',
      'char (*)[7]',
      'int (*[3])(void)',
      'wchar_t',
      'size_t',
      'ptrdiff_t',
      'intptr_t',
      'int64_t',
      'uint_least16_t',
      'max_align_t',
      'va_list',
    ];
    const probes = types.flatMap((t) => [`sizeof(${t})`, `_Alignof(${t})`]);
    const defs = '#include <stddef.h>\n#include <stdint.h>\n#include <stdarg.h>\n';
    checkWithGcc(defs, probes, futccValues(defs, probes));
  });
});
