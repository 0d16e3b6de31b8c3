// The code generator (work in progress): futcc-compiled integer programs, assembled and linked by
// GCC with the test runtime, must behave exactly like the GCC-compiled program under qemu-riscv32.
import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { compileToAssembly, generateAssembly } from '../../core/toolchain/cc/codegen/index';
import { buildWithGcc, RT_DIR } from '../support/gcc';
import { oracleIt, QEMU_USER, RV_GCC } from '../support/oracle';
import { compile, diagsOf } from './cc-support';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const RT_H = readFileSync(join(RT_DIR, 'rt.h'), 'utf8');

function futccAsm(src: string): string {
  const r = compile(src, { 'rt.h': RT_H });
  expect(diagsOf(r).filter((d) => d.includes('error'))).toEqual([]);
  const g = generateAssembly(r.ast!, 'main.c');
  expect(g.diagnostics.map((d) => d.message)).toEqual([]);
  return g.asm;
}

function run(elf: string): { out: string; code: number | null } {
  const r = spawnSync(QEMU_USER, [elf], { encoding: 'utf8', timeout: 20000 });
  return { out: r.stdout, code: r.status };
}

const PROGRAMS: Record<string, string> = {
  arithmetic: `#include "rt.h"
static int gcd(int a, int b) { while (b) { int t = a % b; a = b; b = t; } return a; }
unsigned hash(const char *s) { unsigned h = 5381; while (*s) h = h * 33u ^ (unsigned char)*s++; return h; }
int fact(int n) { return n <= 1 ? 1 : n * fact(n - 1); }
int main(void) {
  int x = -17, y = 5;
  unsigned u = 0xfffffff0u;
  printf("%d %d %d %d\\n", x / y, x % y, x >> 2, x << 3);
  printf("%u %u %d\\n", u / 7u, u >> 4, (int)(u > 5u));
  printf("%d %u %d\\n", gcd(1071, 462), hash("futura"), fact(10));
  signed char sc = (signed char)200; unsigned char uc = 250; short sh = -3;
  uc += 10; sh *= 1000;
  printf("%d %d %d %d\\n", sc, uc, sh, (short)70000);
  return x < y && u > 1u ? 3 : 4;
}
`,
  'arrays, pointers, structs, globals': `#include "rt.h"
struct point { int x, y; };
struct node { int v; struct node *next; unsigned flags : 3, kind : 5; };
int table[10] = { 1, 1, [5] = 8 };
const char *names[] = { "zero", "one", "two" };
struct point origin = { 3, 4 };
static int counter;
int sum(const int *a, int n) { int s = 0; for (int i = 0; i < n; i++) s += a[i]; return s; }
void bump(int *p) { (*p)++; counter += 2; }
int main(void) {
  int a[8];
  for (int i = 0; i < 8; i++) a[i] = i * i;
  struct node n3 = { 3, 0, 5, 17 }, n2 = { 2, &n3 }, n1 = { .v = 1, .next = &n2 };
  int total = 0;
  for (struct node *p = &n1; p; p = p->next) total += p->v;
  n3.flags = 9; n3.kind += 20;
  struct point q = origin; q.y += 10;
  int *pp = &a[2]; pp += 3;
  bump(&total); bump(&total);
  char buf[6] = "hey";
  printf("%d %d %d %d %s\\n", sum(a, 8), total, (int)(pp - a), *pp, names[2]);
  printf("%d %d %d %d %d %s %d\\n", n3.flags, n3.kind, q.x, q.y, table[5] + table[1], buf, counter);
  return 0;
}
`,
  'control flow': `#include "rt.h"
int classify(int c) {
  switch (c) {
  case 'a': case 'e': case 'i': case 'o': case 'u': return 1;
  case ' ': return 2;
  default: if (c >= '0' && c <= '9') return 3; return 0;
  }
}
int main(void) {
  const char *s = "quick brown fox 42";
  int counts[4] = { 0 };
  for (const char *p = s; *p; p++) counts[classify(*p)]++;
  int i = 0, odd = 0;
  do { if (i % 2 == 0) continue; odd += i; } while (++i < 10);
  int j = 0;
  while (1) { if (j * j > 50) break; j++; }
  int k = 0;
again:
  if (k < 5) { k += 2; goto again; }
  printf("%d %d %d %d | %d %d %d\\n", counts[0], counts[1], counts[2], counts[3], odd, j, k);
  return (counts[1] == 4) || !k;
}
`,
  'variadic functions and extended asm': `#include "rt.h"
static long sys3(long n, long a, long b, long c) {
  register long a0 asm("a0") = a;
  register long a1 asm("a1") = b;
  register long a2 asm("a2") = c;
  register long a7 asm("a7") = n;
  asm volatile("ecall" : "+r"(a0) : "r"(a1), "r"(a2), "r"(a7) : "memory");
  return a0;
}
int vsum(int n, ...) {
  va_list ap, copy;
  va_start(ap, n);
  va_copy(copy, ap);
  int s = 0;
  while (n--) s += va_arg(ap, int) * 3 - va_arg(copy, int);
  va_end(ap);
  return s;
}
const char *pick(int k, ...) { va_list ap; va_start(ap, k); const char *r = 0; while (k-- >= 0) r = va_arg(ap, const char *); va_end(ap); return r; }
int add(int a, int b) { int r; asm("add %0, %1, %[b]" : "=r"(r) : "r"(a), [b] "r"(b)); return r; }
int main(void) {
  long w = sys3(64, 1, (long)"direct\\n", 7);
  printf("%ld %d %d %s %d\\n", w, vsum(3, 1, 2, 3), vsum(7, 1, 2, 3, 4, 5, 6, 7), pick(2, "a", "b", "c"), add(40, 2));
  return 0;
}
`,
  'function pointers, compound literals, struct copies, static locals': `#include "rt.h"
struct pair { int a, b; };
typedef int (*op_t)(int, int);
static int add(int a, int b) { return a + b; }
static int sub(int a, int b) { return a - b; }
static int mul(int a, int b) { return a * b; }
static op_t ops[] = { add, sub, mul };
int next_id(void) { static int id = 100; return id++; }
int apply(op_t f, struct pair *p) { return f(p->a, p->b); }
int main(void) {
  struct pair p = { 7, 3 }, q;
  q = p;
  q.b = 5;
  int *tmp = (int[]){ 10, 20, 30 };
  struct pair *cl = &(struct pair){ .b = 9 };
  int acc = 0;
  for (int i = 0; i < 3; i++) acc = acc * 10 + apply(ops[i], i == 1 ? &q : &p);
  printf("%d %d %d %d %d %d\\n", acc, tmp[1] + cl->b + cl->a, next_id(), next_id(), q.a, sizeof(ops) / sizeof(ops[0]) == 3);
  return 0;
}
`,
};

describe('code generator (integer subset)', () => {
  it('reports unsupported features as diagnostics instead of throwing', () => {
    const r = compile(
      'struct s { unsigned long long x : 40; };\nint f(double d) { asm volatile("" : : "f"(d)); return 0; }\nint g(int n, ...) { return n; }\nint ok(struct s *p) { return (int)p->x + 1; }\n',
    );
    const g = generateAssembly(r.ast!, 'main.c');
    expect(g.diagnostics.map((d) => `${d.line}: ${d.message}`)).toEqual([
      "2: in function 'f': asm constraint 'f' is not supported by the futcc code generator yet",
    ]);
    expect(g.asm).toContain('ok:');
  });
  it('compileToAssembly runs both stages and stops after front-end errors', () => {
    const good = compileToAssembly({
      path: 'a.c',
      provider: { read: () => 'int f(int x) { return x * 3; }\n' },
    });
    expect(good.ok).toBe(true);
    expect(good.asm).toMatch(/\bf:\n[\s\S]*mul a0, a0, t1[\s\S]*ret/);
    const bad = compileToAssembly({ path: 'a.c', provider: { read: () => 'int f(void) { return y; }\n' } });
    expect(bad.ok).toBe(false);
    expect(bad.asm).toBe('');
    expect(bad.diagnostics[0]?.message).toBe("'y' undeclared (first use in this function)");
  });
  for (const [name, src] of Object.entries(PROGRAMS)) {
    oracleIt(`${name}: same output and exit code as GCC`, [RV_GCC, QEMU_USER], () => {
      const ours = run(buildWithGcc([{ name: 'prog.s', text: futccAsm(src) }], { flags: ['-O0'] }));
      const ref = run(buildWithGcc([{ name: 'prog.c', text: src }], { flags: ['-O1'] }));
      expect(ref.out.length).toBeGreaterThan(0);
      expect(ours).toEqual(ref);
    });
  }
});
