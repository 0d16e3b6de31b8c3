// Interoperability: a futcc-built object and a GCC-built object in one program, calling each
// other (both directions, through function pointers, with 64-bit, floating-point and struct
// arguments and shared data). Linked by our linker and run on our machine, and linked by GNU ld
// and run under qemu-riscv32; both must print what the all-GCC build prints.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { runUser } from '../../core/cli/usermode';
import { compileUnit, linkProgram } from '../../core/toolchain/driver/index';
import { oracleIt, QEMU_USER, RV_GCC } from '../support/oracle';
import { CORPUS_DIR, GCC_FLAGS } from './corpus-support';

const SHARED_H = `#include "_rt.h"
struct pt { int x, y; };
struct dd { double a, b; };
extern int shared_counter;
extern const char shared_name[];
int f_callback(int);
long long f_scale(long long v, double k);
struct pt f_swap(struct pt p);
int g_apply(int (*fn)(int), int n);
long long g_mix(int a, long long b, double c, struct pt p, struct dd d, float f);
struct pt g_make(int x);
struct dd g_rot(struct dd d);
double g_many(int a, int b, int c, int d, int e, int f, int g, int h, int i, double x, double y, long long z);
long long g_calls_back(void);
`;

// Built by GCC.
const GCC_PART = `#include "shared.h"
int shared_counter = 100;
int g_apply(int (*fn)(int), int n) { int s = 0; for (int i = 0; i < n; i++) s += fn(i); shared_counter++; return s + f_callback(n); }
long long g_mix(int a, long long b, double c, struct pt p, struct dd d, float f) {
  return a + b + (long long)(c * 10) + p.x * p.y + (long long)(d.a - d.b) + (long long)f;
}
struct pt g_make(int x) { struct pt p = { x, -3 * x }; return p; }
struct dd g_rot(struct dd d) { struct dd r = { -d.b, d.a * 2 }; return r; }
double g_many(int a, int b, int c, int d, int e, int f, int g, int h, int i, double x, double y, long long z) {
  return a + 2 * b + 3 * c + 4 * d + 5 * e + 6 * f + 7 * g + 8 * h + 9 * i + x * y + (double)z;
}
long long g_calls_back(void) {
  struct pt p = f_swap(g_make(7));
  return f_scale(1LL << 40, 0.5) + p.x * 1000 + p.y + shared_name[1];
}
`;

// Built by futcc (and by GCC for the reference).
const FUTCC_PART = `#include "shared.h"
const char shared_name[] = "futcc";
static int square(int x) { return x * x; }
int f_callback(int n) { return n * 1000 + shared_counter; }
long long f_scale(long long v, double k) { return (long long)((double)v * k); }
struct pt f_swap(struct pt p) { struct pt r = { p.y, p.x }; return r; }
int main(void) {
  rt_puti(g_apply(square, 10)); rt_putc(' '); rt_puti(shared_counter); NL();
  rt_putll(g_mix(-5, 1LL << 35, 2.75, (struct pt){ 6, 7 }, (struct dd){ 10.5, 0.25 }, 9.5f)); NL();
  struct pt p = g_make(11);
  struct dd d = g_rot((struct dd){ 1.5, -4.0 });
  rt_puti(p.x); rt_putc(' '); rt_puti(p.y); rt_putc(' '); rt_putd(d.a); rt_putc(' '); rt_putd(d.b); NL();
  rt_putd(g_many(1, 2, 3, 4, 5, 6, 7, 8, 9, 0.5, -8.0, 123456789012LL)); NL();
  rt_putll(g_calls_back()); NL();
  return shared_counter - 90;
}
`;

function qemu(elf: string): { out: string; code: number | null } {
  const r = spawnSync(QEMU_USER, [elf], { encoding: 'utf8', timeout: 60_000 });
  return { out: r.stdout, code: r.status };
}

describe('futcc and GCC objects in one program', () => {
  oracleIt(
    'call each other (both ways, structs, doubles, long long, callbacks, shared data)',
    [RV_GCC, QEMU_USER],
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'futura-interop-'));
      const files: Record<string, string> = {
        'shared.h': SHARED_H,
        'gcc_part.c': GCC_PART,
        'futcc_part.c': FUTCC_PART,
      };
      for (const [n, t] of Object.entries(files)) writeFileSync(join(dir, n), t);
      const inc = [`-I${dir}`, `-I${CORPUS_DIR}`];
      const rtS = join(CORPUS_DIR, '_rt.S');
      const gcc = (args: string[]): void =>
        void execFileSync(RV_GCC, [...GCC_FLAGS, ...inc, ...args], { stdio: 'pipe' });

      const refElf = join(dir, 'ref.elf');
      gcc(['-o', refElf, rtS, join(dir, 'gcc_part.c'), join(dir, 'futcc_part.c'), '-lgcc']);
      const ref = qemu(refElf);
      expect(ref.code).toBe(11);

      const gccObj = join(dir, 'gcc_part.o');
      gcc(['-c', '-o', gccObj, join(dir, 'gcc_part.c')]);
      const provider = {
        read: (p: string): string | undefined => {
          try {
            return readFileSync(p, 'utf8');
          } catch {
            return undefined;
          }
        },
      };
      for (const optLevel of [0, 2] as const) {
        const ours = compileUnit({
          path: join(dir, 'futcc_part.c'),
          provider,
          includeDirs: [CORPUS_DIR],
          optLevel,
        });
        expect(ours.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        const rt = compileUnit({ path: rtS, provider });
        const linked = linkProgram({
          objects: [
            { name: '_rt.o', bytes: rt.object as Uint8Array },
            { name: 'futcc_part.o', bytes: ours.object as Uint8Array },
            { name: 'gcc_part.o', bytes: new Uint8Array(readFileSync(gccObj)) },
          ],
        });
        expect(linked.diagnostics).toEqual([]);
        const mine = runUser(linked.elf as Uint8Array);
        expect({ out: mine.stdout, code: mine.outcome.kind === 'exit' ? mine.outcome.status : null }).toEqual(
          ref,
        );

        // GNU ld takes futcc's object too.
        const futObj = join(dir, `futcc_part_O${optLevel}.o`);
        writeFileSync(futObj, ours.object as Uint8Array);
        const mixedElf = join(dir, `mixed_O${optLevel}.elf`);
        gcc(['-o', mixedElf, rtS, futObj, gccObj, '-lgcc']);
        expect(qemu(mixedElf)).toEqual(ref);
      }
    },
    120_000,
  );
});
