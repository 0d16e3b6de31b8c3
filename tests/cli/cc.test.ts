// `futura cc`: gcc-style command line over the futcc driver. Runs in-process (runCc) for speed,
// plus one end-to-end run through bin/futura.mjs; built programs run on our machine (runUser).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runCc } from '../../core/cli/commands/cc';
import { parseCcArgs } from '../../core/cli/commands/cc-args';
import { runUser } from '../../core/cli/usermode';
import { writeArchive } from '../../core/toolchain/ar/archive';
import { readObject } from '../../core/toolchain/obj/reader';

const BIN = fileURLToPath(new URL('../../bin/futura.mjs', import.meta.url));

const CRT0 = `    .globl _start
_start:
    call main
    li a7, 93
    ecall
`;
// write(1, s, n) without any C library.
const IO_H = `#ifndef IO_H
#define IO_H
static inline long sys_write(const char *s, unsigned n) {
  register long a0 __asm__("a0") = 1; register long a1 __asm__("a1") = (long)s;
  register long a2 __asm__("a2") = n; register long a7 __asm__("a7") = 64;
  __asm__ volatile("ecall" : "+r"(a0) : "r"(a1), "r"(a2), "r"(a7) : "memory");
  return a0;
}
#endif
`;

let dir: string;
let stderr: string;
let stdout: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'futura-cc-'));
  stderr = '';
  stdout = '';
  vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => {
    stderr += String(s);
    return true;
  });
});
afterEach(() => vi.restoreAllMocks());

function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

function cc(...args: string[]): number {
  return runCc(args, (s) => (stdout += s));
}

function run(elf: string): { out: string; code: number | null } {
  const r = runUser(new Uint8Array(readFileSync(elf)));
  return { out: r.stdout, code: r.outcome.kind === 'exit' ? r.outcome.status : null };
}

describe('futura cc', () => {
  it('compiles, assembles and links several inputs into a program that runs', () => {
    const crt = file('crt0.S', CRT0);
    file('io.h', IO_H);
    const lib = file(
      'lib.c',
      '#include "io.h"\nint twice(int x) { return 2 * x; }\nvoid say(const char *s, unsigned n) { sys_write(s, n); }\n',
    );
    const main = file(
      'main.c',
      'int twice(int);\nvoid say(const char *, unsigned);\nint main(void) { say("hi\\n", 3); return twice(VALUE); }\n',
    );
    const out = join(dir, 'prog');
    expect(cc('-O2', '-DVALUE=21', `-I${dir}`, '-o', out, crt, lib, main)).toBe(0);
    expect(stderr).toBe('');
    expect(run(out)).toEqual({ out: 'hi\n', code: 42 });
  });

  it('-c writes objects, -S assembly, -E preprocessed text; objects and archives link with -L/-l', () => {
    const lib = file('sq.c', 'int sq(int x) { return x * x; }\n');
    const obj = join(dir, 'sq.o');
    expect(cc('-c', lib, '-o', obj)).toBe(0);
    expect(readObject(new Uint8Array(readFileSync(obj))).symbols.some((s) => s.name === 'sq')).toBe(true);
    writeFileSync(
      join(dir, 'libsq.a'),
      writeArchive([{ name: 'sq.o', data: new Uint8Array(readFileSync(obj)) }]),
    );
    const asmOut = join(dir, 'sq.s');
    expect(cc('-S', lib, '-o', asmOut)).toBe(0);
    expect(readFileSync(asmOut, 'utf8')).toMatch(/^sq:/m);
    expect(cc('-E', '-DTWO=2', file('e.c', '#define SQ(x) ((x)*(x))\nint v = SQ(TWO);\n'))).toBe(0);
    expect(stdout).toContain('int v = ((2)*(2));');
    const crt = file('crt0.S', CRT0);
    const main = file('m.c', 'int sq(int);\nint main(void) { return sq(9); }\n');
    const prog = join(dir, 'p');
    expect(cc('-o', prog, crt, main, `-L${dir}`, '-lsq')).toBe(0);
    expect(run(prog).code).toBe(81);
    expect(cc('-o', prog, crt, main, '-lmissing')).toBe(1);
    expect(stderr).toContain('cannot find -lmissing');
  });

  it('prints errors gcc-style with the source line and a caret, and exits 1', () => {
    const bad = file('bad.c', 'int main(void) {\n  int x = 1;\n  return y + x;\n}\n');
    expect(cc('-c', bad, '-o', join(dir, 'bad.o'))).toBe(1);
    expect(stderr).toContain(
      `${bad}:3:10: error: 'y' undeclared (first use in this function)\n   return y + x;\n          ^`,
    );
    expect(existsSync(join(dir, 'bad.o'))).toBe(false);
  });

  it('-Werror turns warnings into errors, -w silences them', () => {
    const w = file('w.c', 'int main(void) {\n  return foo(2);\n}\nint foo(int x) { return x; }\n');
    expect(cc('-c', w, '-o', join(dir, 'w.o'))).toBe(0);
    expect(stderr).toMatch(/w\.c:2:10: warning: implicit declaration of function 'foo'/);
    stderr = '';
    expect(cc('-c', '-Werror', w, '-o', join(dir, 'w.o'))).toBe(1);
    expect(stderr).toMatch(/w\.c:2:10: error: implicit declaration of function 'foo'/);
    stderr = '';
    expect(cc('-c', '-w', w, '-o', join(dir, 'w.o'))).toBe(0);
    expect(stderr).toBe('');
  });

  it('finds libfutura’s headers after the -I folders, unless -nostdinc', () => {
    const src = file(
      'uses.c',
      '#include <stdio.h>\n#include <string.h>\n#include <fipc.h>\nint f(const char *s) { return printf("%d", (int)strlen(s)); }\n',
    );
    expect(cc('-c', src, '-o', join(dir, 'uses.o'))).toBe(0);
    expect(stderr).toBe('');
    expect(cc('-nostdinc', '-c', src, '-o', join(dir, 'uses.o'))).toBe(1);
    expect(stderr).toMatch(/uses\.c:1:\d+: error: .*stdio\.h/);
    // A -I folder's header wins over libfutura's.
    const inc = join(dir, 'inc');
    mkdirSync(inc);
    writeFileSync(join(inc, 'stdio.h'), '#define MINE 42\n');
    stdout = '';
    expect(cc('-E', '-I', inc, file('mine.c', '#include <stdio.h>\nint v = MINE;\n'))).toBe(0);
    expect(stdout).toMatch(/int v = 42;/);
  });

  it('links libfutcc-rt.a unless -nostdlib, and a program’s own definition wins over it', () => {
    const crt = file('crt0.S', CRT0);
    const div = file(
      'div.c',
      'unsigned long long num = 1000000000000ULL, den = 3;\nint main(void) { return (int)((unsigned)(num / den) % 251u); }\n',
    );
    const prog = join(dir, 'div');
    expect(cc('-o', prog, crt, div)).toBe(0);
    expect(run(prog).code).toBe(Number(BigInt.asUintN(32, 1000000000000n / 3n) % 251n));
    expect(cc('-nostdlib', '-o', prog, crt, div)).toBe(1);
    expect(stderr).toMatch(/__udivdi3/);
    const own = file(
      'own.c',
      'unsigned long long __udivdi3(unsigned long long a, unsigned long long b) { return 77; }\n',
    );
    const map = join(dir, 'div.map');
    expect(cc('-o', prog, crt, div, own, `-Wl,-Map,${map}`)).toBe(0);
    expect(run(prog).code).toBe(77);
    const text = readFileSync(map, 'utf8');
    expect(text).toContain('__udivdi3');
    expect(text).not.toContain('udivmod64');
  });

  it('rejects bad command lines with status 2', () => {
    expect(cc('--frobnicate', 'x.c')).toBe(2);
    expect(stderr).toContain("unrecognized command-line option '--frobnicate'");
    expect(cc()).toBe(2);
    expect(cc('-c', '-o', 'x.o', file('a.c', ''), file('b.c', ''))).toBe(2);
    expect(cc('-march=rv64gc', 'a.c')).toBe(2);
    expect(cc(join(dir, 'missing.c'))).toBe(1);
  });

  it('parses gcc spellings of options', () => {
    const a = parseCcArgs([
      '-Os',
      '-g',
      '-Iinc',
      '-I',
      'inc2',
      '-DA=1',
      '-UB',
      '-Wall',
      '-Wextra',
      '-std=c11',
      '-ffreestanding',
      '-march=rv32imafdc',
      '-mabi=ilp32d',
      '-Wl,-Map=m.txt,--no-relax',
      'x.c',
      'y.o',
      'z.a',
    ]);
    expect(a).toMatchObject({
      mode: 'link',
      optLevel: 2,
      debug: true,
      includeDirs: ['inc', 'inc2'],
      defines: ['A=1'],
      undefines: ['B'],
      wall: true,
      mapFile: 'm.txt',
      inputs: ['x.c', 'y.o', 'z.a'],
    });
    expect(parseCcArgs(['-c', '-S', 'x.c'])).toMatchObject({ mode: 'assemble-only' });
    expect(parseCcArgs(['-O', 'x.c'])).toMatchObject({ optLevel: 1 });
    expect(parseCcArgs(['-o'])).toBe("missing argument to '-o'");
  });

  it('works end to end through bin/futura.mjs', () => {
    const crt = file('crt0.S', CRT0);
    const main = file('main.c', 'int main(void) { return 5; }\n');
    const r = spawnSync(process.execPath, [BIN, 'cc', '-O1', '-o', join(dir, 'five'), crt, main], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(run(join(dir, 'five')).code).toBe(5);
  });
});
