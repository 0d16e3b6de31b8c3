// The typed AST: conversions explicit, pointer arithmetic scaled, initializers flattened,
// symbols with storage, asm statements; and real C files of the project compile cleanly.
import { describe, it, expect } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Expr, Stmt } from '../../core/toolchain/cc/ast';
import { evalConst } from '../../core/toolchain/cc/consteval';
import { compileToAst } from '../../core/toolchain/cc/index';
import { typeName } from '../../core/toolchain/cc/types';
import { compile, diagsOf } from './cc-support';

/** A compact S-expression of an expression: kinds, operators and types. */
function sx(e: Expr): string {
  const t = typeName(e.type);
  switch (e.k) {
    case 'int':
      return `${e.value}:${t}`;
    case 'float':
      return `${e.value}:${t}`;
    case 'var':
      return e.sym.name;
    case 'cast':
      return `(cast ${t} ${sx(e.expr)})`;
    case 'binary':
      return `(${e.op} ${sx(e.lhs)} ${sx(e.rhs)}):${t}`;
    case 'compare':
      return `(${e.op} ${sx(e.lhs)} ${sx(e.rhs)})`;
    case 'ptrdiff':
      return `(ptrdiff/${e.elemSize} ${sx(e.lhs)} ${sx(e.rhs)})`;
    case 'assign':
      return `(= ${sx(e.lhs)} ${sx(e.rhs)})`;
    case 'opassign':
      return `(${e.op}= ${sx(e.lhs)} ${sx(e.rhs)} in ${typeName(e.opType)})`;
    case 'incdec':
      return `(${e.prefix ? 'pre' : 'post'}${e.delta > 0 ? '+' : ''}${e.delta} ${sx(e.lhs)})`;
    case 'addr':
      return `(& ${sx(e.expr)}):${t}`;
    case 'deref':
      return `(* ${sx(e.expr)})`;
    case 'member':
      return `(. ${sx(e.expr)} ${e.member.name}@${e.member.offset})`;
    case 'call':
      return `(call ${sx(e.callee)} ${e.args.map(sx).join(' ')})`;
    case 'cond':
      return `(? ${sx(e.cond)} ${sx(e.then)} ${sx(e.else)}):${t}`;
    case 'not':
    case 'neg':
    case 'bitnot':
      return `(${e.k} ${sx(e.expr)}):${t}`;
    default:
      return e.k;
  }
}

/** The expressions of the expression statements in function `f`. */
function exprsOf(src: string, fn = 'f'): string[] {
  const r = compile(src);
  expect(diagsOf(r).filter((d) => d.includes('error'))).toEqual([]);
  const f = r.ast?.functions.find((x) => x.sym.name === fn);
  const out: string[] = [];
  const walk = (s: Stmt): void => {
    if (s.k === 'expr') out.push(sx(s.expr));
    if (s.k === 'block') s.items.forEach(walk);
    if (s.k === 'return' && s.expr) out.push(`return ${sx(s.expr)}`);
  };
  if (f) walk(f.body);
  return out;
}

describe('typed AST', () => {
  it('makes promotions and usual arithmetic conversions explicit', () => {
    expect(
      exprsOf(
        'void f(char c, unsigned u, int i, long long ll, double d, short s) { c + c; u + i; i + ll; i * d; s << c; -c; u < i; }',
      ),
    ).toEqual([
      '(+ (cast int c) (cast int c)):int',
      '(+ u (cast unsigned int i)):unsigned int',
      '(+ (cast long long int i) ll):long long int',
      '(* (cast double i) d):double',
      '(<< (cast int s) (cast int c)):int',
      '(neg (cast int c)):int',
      '(< u (cast unsigned int i))',
    ]);
  });
  it('scales pointer arithmetic and decays arrays and functions', () => {
    expect(
      exprsOf('int g(int); void f(int *p, int i, double *q) { int a[4]; p + i; a[i]; q - 1; p - a; g; &a; }'),
    ).toEqual([
      '(+ p (* i 4:int):int):int *',
      '(* (+ (& a):int * (* i 4:int):int):int *)',
      '(- q 8:int):double *',
      '(ptrdiff/4 p (& a):int *)',
      'g',
      '(& a):int (*)[4]',
    ]);
  });
  it('assignments convert to the lvalue type; compound assignments and ++ keep their operation type', () => {
    expect(exprsOf('void f(char c, int *p, float x) { c = 300; c += 1; p += 2; p++; --x; x = 1; }')).toEqual([
      '(= c (cast char 300:int))',
      '(+= c 1:int in int)',
      '(+= p 8:int in int *)',
      '(post+4 p)',
      '(pre-1 x)',
      '(= x (cast float 1:int))',
    ]);
  });
  it('calls convert arguments to parameter types, with default promotions for ...', () => {
    expect(
      exprsOf('int v(const char *, ...); long g(long); void f(char c, float x) { v("s", c, x); g(c); }'),
    ).toEqual([
      '(call (& v):int (*)(const char *, ...) (cast const char * (& str):char *) (cast int c) (cast double x))',
      '(call (& g):long int (*)(long int) (cast long int c))',
    ]);
  });
  it('members through anonymous structs, conditional common types, bit-fields', () => {
    const src =
      'struct S { int a; union { char b; int c; }; unsigned bf : 3; };\nint f(struct S *s, int k) { s->c; s->bf; return k ? s->a : 2.0; }';
    expect(exprsOf(src)).toEqual([
      '(. (. (* s) <anon>@4) c@0)'.replace('<anon>', 'null'),
      '(. (* s) bf@8)',
      'return (cast int (? k (cast double (. (* s) a@0)) 2:double):double)',
    ]);
  });
  it('flattens initializers (nested, designated, strings, zero-fill) with constant values', () => {
    const r = compile(`struct P { int x; char name[4]; short s[2]; };
struct P ps[] = { { 1, "ab", { 3 } }, [2].s[1] = 7, [1] = { .name = "xyz", .x = 5 } };
int *ptr = &ps[1].x + 1;
char fill[5] = { 'a' };
`);
    expect(diagsOf(r)).toEqual([]);
    const g = (n: string) => r.ast?.globals.find((x) => x.name === n);
    expect(g('ps')?.type).toMatchObject({ kind: 'array', len: 3 });
    const items = (g('ps')?.init?.items ?? []).map((it) => {
      const c = evalConst(it.expr);
      return `${it.offset}:${typeName(it.type)}=${c?.kind === 'int' ? c.value : it.expr.k}`;
    });
    expect(items).toEqual([
      '0:int=1',
      '4:char[4]=str',
      '8:short int=3',
      '34:short int=7',
      '16:char[4]=str',
      '12:int=5',
    ]);
    const p = g('ptr')?.init?.items[0];
    expect(p && evalConst(p.expr)).toMatchObject({ kind: 'addr', addend: 16 });
    expect(
      g('ptr')?.init?.items[0] &&
        (evalConst((g('ptr')?.init?.items[0] as { expr: Expr }).expr) as { sym: { name: string } }).sym.name,
    ).toBe('ps');
    expect(g('fill')?.init?.items.length).toBe(1);
  });
  it('GNU range designators fill every element', () => {
    const r = compile('int a[6] = { [1 ... 3] = 7, [5] = 1 };\n');
    expect(diagsOf(r)).toEqual([]);
    const items = r.ast?.globals[0]?.init?.items.map(
      (it) => `${it.offset}=${String((evalConst(it.expr) as { value: bigint }).value)}`,
    );
    expect(items).toEqual(['4=7', '8=7', '12=7', '20=1']);
  });
  it('symbols carry storage, linkage names and definitions', () => {
    const r = compile(
      'static int s1;\nextern int e1;\nint t1;\nint f(void) { static int count; int local = 1; register int r asm("a0") = 2; return count + local + r + e1 + s1 + t1; }\n',
    );
    expect(diagsOf(r)).toEqual([]);
    const gl = r.ast?.globals.map(
      (g) => `${g.name}:${g.storage}:${g.linkName}:${g.defined}:${!!g.tentative}`,
    );
    expect(gl).toEqual([
      's1:static:s1:true:true',
      'e1:extern:e1:false:false',
      't1:extern:t1:true:true',
      'count:static:count.0:true:false',
    ]);
    const f = r.ast?.functions[0];
    expect(f?.locals.map((l) => `${l.name}:${l.storage}:${l.asmReg ?? ''}`)).toEqual([
      'local:auto:',
      'r:register:a0',
    ]);
  });
  it('switch cases, labels and enums', () => {
    const r = compile(
      'enum { A = 5, B };\nint f(unsigned char c) { switch (c) { case A: return 1; case B: case 300: break; default: goto out; } out: return 0; }\n',
    );
    expect(diagsOf(r)).toEqual([]);
    const body = r.ast?.functions[0]?.body;
    const sw = body?.k === 'block' ? body.items[0] : undefined;
    expect(sw?.k === 'switch' && sw.cases.map((c) => c.value)).toEqual([5n, 6n, 300n, null]);
  });
  it('GNU asm statements with operands, and top-level asm', () => {
    const r = compile(
      'asm(".globl x");\nint f(int a) { int r; asm volatile("add %0, %1, %[b]" : "=r"(r) : "r"(a), [b] "r"(a) : "memory"); asm("nop"); return r; }\n',
    );
    expect(diagsOf(r)).toEqual([]);
    expect(r.ast?.toplevelAsm).toEqual(['.globl x']);
    const body = r.ast?.functions[0]?.body;
    const items = body?.k === 'block' ? body.items : [];
    const a = items.find((s) => s.k === 'asm');
    expect(a).toMatchObject({
      template: 'add %0, %1, %[b]',
      volatile: true,
      clobbers: ['memory'],
      basic: false,
    });
    expect(a?.k === 'asm' && [a.outputs.map((o) => o.constraint), a.inputs.map((o) => o.name)]).toEqual([
      ['=r'],
      [null, 'b'],
    ]);
    expect(diagsOf(compile('void f(int a) { asm("" : "r"(a)); asm("" : "=r"(3)); }\n'))).toEqual([
      "main.c:1:26: error: output operand constraint lacks '='",
      'main.c:1:49: error: lvalue required as left operand of assignment',
    ]);
  });
});

// Real C from this repository (other areas' fixtures): futcc must accept what GCC accepts.
const CORPUS = [
  'tests/fixtures/rt/rt.c',
  'tests/fixtures/disasm/realistic.c',
  'tests/fixtures/disasm/globals.c',
  'tests/fixtures/fpu/fpu-oracle.c',
  ...[
    'args_exit',
    'bits',
    'checksums',
    'div_edge',
    'doubles',
    'float_math',
    'floats',
    'func_ptrs',
    'int64',
    'int_math',
    'matrix',
    'packed',
    'pool_list',
    'recursion',
    'sieve',
    'sorting',
    'strings',
    'structs',
    'switch_table',
    'varargs',
  ].map((n) => `tests/fixtures/diff/${n}.c`),
  'tests/fixtures/cc/valid1.c',
].filter((f) => existsSync(f));

describe('real programs compile without diagnostics', () => {
  for (const f of CORPUS) {
    it(f, () => {
      const r = compileToAst({
        path: f,
        provider: { read: (p) => (existsSync(p) ? readFileSync(p, 'utf8') : undefined) },
        includeDirs: [dirname(f), 'tests/fixtures/rt'],
      });
      expect(r.diagnostics.map((d) => `${d.file}:${d.line}:${d.col}: ${d.message}`)).toEqual([]);
      expect(r.ast?.functions.length).toBeGreaterThan(0);
    });
  }
});

describe('brace elision', () => {
  it('parses each element once: no duplicate diagnostics or string literals', () => {
    const r = compile(
      'struct P { const char *s; int n; };\nstruct Q { struct P p; int k; };\nstruct Q q = { "ab", 1, 2 };\nstruct P ps[2] = { "x", 1, "y", nope };\n',
    );
    expect(diagsOf(r)).toEqual(["main.c:4:33: error: 'nope' undeclared here (not in a function)"]);
    expect(r.ast?.strings.length).toBe(3);
    const q = r.ast?.globals
      .find((g) => g.name === 'q')
      ?.init?.items.map((it) => `${it.offset}:${it.expr.k}`);
    expect(q).toEqual(['0:cast', '4:int', '8:int']);
  });
});
