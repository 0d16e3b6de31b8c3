// The futcc driver (core/toolchain/driver): units in, objects out; programs linked with the
// runtime archive; diagnostics with the original file and line, never an exception.
import { describe, expect, it } from 'vitest';
import { runUser } from '../../core/cli/usermode';
import { splitLineMarkers } from '../../core/toolchain/driver/asm-source';
import {
  buildProgram,
  compileUnit,
  linkProgram,
  preprocessUnit,
  runtimeArchive,
  sourceKind,
  toolchainIncludeDir,
} from '../../core/toolchain/driver/index';
import { readObject } from '../../core/toolchain/obj/reader';

function mem(files: Record<string, string>): { read(p: string): string | undefined } {
  return { read: (p) => files[p] };
}

const CRT0 = '  .globl _start\n_start:\n  call main\n  li a7, 93\n  ecall\n';

describe('futcc driver', () => {
  it('compiles C to an object, with the assembly and the files read', () => {
    const provider = mem({
      'a.c': '#include "a.h"\nint f(int x) { return x * K; }\n',
      'a.h': '#define K 3\n',
    });
    const r = compileUnit({ path: 'a.c', provider, optLevel: 2 });
    expect(r.ok).toBe(true);
    expect(r.diagnostics).toEqual([]);
    expect(r.includes).toEqual(['a.c', 'a.h']);
    expect(r.asm).toMatch(/^f:/m);
    expect(readObject(r.object as Uint8Array).symbols.find((s) => s.name === 'f')).toBeDefined();
  });

  it('forwards -O and -g to the code generator', () => {
    const provider = mem({ 'o.c': 'int f(int a, int b) {\n  int s = a + b;\n  return s * 2;\n}\n' });
    const o0 = compileUnit({ path: 'o.c', provider, optLevel: 0 });
    const o2 = compileUnit({ path: 'o.c', provider, optLevel: 2 });
    expect(o0.ok && o2.ok).toBe(true);
    expect((o2.asm ?? '').split('\n').length).toBeLessThan((o0.asm ?? '').split('\n').length);
    expect(o0.asm).not.toMatch(/\.loc\b/);
    expect(compileUnit({ path: 'o.c', provider, debug: true }).asm).toMatch(/^\s*\.loc\s+\d+\s+3\b/m);
  });

  it('reports C errors with file, line and column and no object', () => {
    const r = compileUnit({ path: 'b.c', provider: mem({ 'b.c': 'int f(void) {\n  return nope;\n}\n' }) });
    expect(r.ok).toBe(false);
    expect(r.object).toBeNull();
    expect(r.diagnostics[0]).toMatchObject({ file: 'b.c', line: 2, col: 10, severity: 'error' });
  });

  it('-w drops warnings, -Werror makes them errors', () => {
    const provider = mem({ 'w.c': 'int f(void) { return g(); }\n' });
    expect(compileUnit({ path: 'w.c', provider }).diagnostics.map((d) => d.severity)).toEqual(['warning']);
    expect(compileUnit({ path: 'w.c', provider, noWarnings: true }).diagnostics).toEqual([]);
    const e = compileUnit({ path: 'w.c', provider, werror: true });
    expect(e.ok).toBe(false);
    expect(e.diagnostics.map((d) => d.severity)).toEqual(['error']);
  });

  it('preprocesses .S files (macros, includes) and maps assembler errors back to the source line', () => {
    const provider = mem({
      'm.S': '#include "regs.h"\n# a comment line\n  .text\n  li a0, VALUE\n  bogus a0\n',
      'regs.h': '#define VALUE 42\n\n\n',
    });
    const r = compileUnit({ path: 'm.S', provider });
    expect(r.ok).toBe(false);
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]).toMatchObject({ file: 'm.S', line: 5, severity: 'error' });
    expect(r.includes).toEqual(['m.S', 'regs.h']);
    const good = compileUnit({
      path: 'm.S',
      provider: mem({ 'm.S': '#define V 7\n  .globl g\ng:\n  li a0, V\n  ret\n' }),
    });
    expect(good.ok).toBe(true);
  });

  it('defines __ASSEMBLER__ for .S files only, as GCC does', () => {
    const header = '#ifdef __ASSEMBLER__\n#define KIND 1\n#else\n#define KIND 2\n#endif\n';
    const asm = preprocessUnit({
      path: 'k.S',
      provider: mem({ 'k.S': '#include "k.h"\nli a0, KIND\n', 'k.h': header }),
    });
    expect(asm.text).toMatch(/li a0, 1/);
    const c = preprocessUnit({
      path: 'k.c',
      provider: mem({ 'k.c': '#include "k.h"\nint k = KIND;\n', 'k.h': header }),
    });
    expect(c.text.replace(/\s+/g, '')).toContain('intk=2;');
  });

  it('assembles .s files without the preprocessor', () => {
    const r = compileUnit({ path: 'x.s', provider: mem({ 'x.s': '#define X 1\n  .globl h\nh:\n  ret\n' }) });
    expect(r.ok).toBe(true);
    expect(readObject(r.object as Uint8Array).symbols.some((s) => s.name === 'h')).toBe(true);
  });

  it('preprocessUnit gives -E text; sourceKind follows gcc extensions', () => {
    const r = preprocessUnit({ path: 'p.c', provider: mem({ 'p.c': '#define A(x) x+x\nint v = A(2);\n' }) });
    expect(r.ok).toBe(true);
    expect(r.text.replace(/\s+/g, '')).toContain('intv=2+2;');
    expect(['a.c', 'a.S', 'a.s', 'a.o', 'lib.a', 'a.txt'].map(sourceKind)).toEqual([
      'c',
      'asm-cpp',
      'asm',
      'object',
      'archive',
      'unknown',
    ]);
    expect(compileUnit({ path: 'a.txt', provider: mem({ 'a.txt': '' }) }).ok).toBe(false);
    expect(compileUnit({ path: 'missing.S', provider: mem({}) }).ok).toBe(false);
  });

  it('finds the freestanding headers in the toolchain include directory', () => {
    expect(toolchainIncludeDir()).toMatch(/^\//);
    const r = compileUnit({
      path: 'h.c',
      provider: mem({ 'h.c': '#include <stdint.h>\n#include <stdarg.h>\nint64_t big = INT64_MAX;\n' }),
    });
    expect(r.ok).toBe(true);
    expect(r.includes.some((p) => p.startsWith(toolchainIncludeDir()))).toBe(true);
  });

  it('links a program with the runtime archive last, and runs it', () => {
    const provider = mem({
      'crt0.S': CRT0,
      'main.c': 'long long n = 123456789012LL;\nint main(void) { return (int)(n / 1000 % 200); }\n',
    });
    const r = buildProgram({ sources: ['crt0.S', 'main.c'], provider, map: true });
    expect(r.diagnostics).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.map).toContain('__divdi3');
    const run = runUser(r.elf as Uint8Array);
    expect(run.outcome).toEqual({ kind: 'exit', status: Number((123456789012n / 1000n) % 200n) });
    const bare = buildProgram({ sources: ['crt0.S', 'main.c'], provider, noRuntime: true });
    expect(bare.ok).toBe(false);
    expect(bare.diagnostics.some((d) => d.message.includes('__divdi3'))).toBe(true);
  });

  it('linkProgram reports undefined symbols as diagnostics', () => {
    const main = compileUnit({
      path: 'u.c',
      provider: mem({ 'u.c': 'int g(void);\nint main(void) { return g(); }\n' }),
    });
    const crt = compileUnit({ path: 'crt0.S', provider: mem({ 'crt0.S': CRT0 }) });
    const r = linkProgram({
      objects: [
        { name: 'crt0.o', bytes: crt.object as Uint8Array },
        { name: 'u.o', bytes: main.object as Uint8Array },
      ],
    });
    expect(r.ok).toBe(false);
    expect(r.elf).toBeNull();
    expect(r.diagnostics.map((d) => d.message).join('\n')).toMatch(/\bg\b/);
    expect(runtimeArchive()).toBe(runtimeArchive());
  });

  it('splits preprocessor line markers into a line map', () => {
    const s = splitLineMarkers('# 1 "a.S"\nx\n# 10 "b.h"\ny\nz\n', 'a.S');
    expect(s.text.split('\n')).toEqual(['', 'x', '', 'y', 'z', '']);
    expect(s.origin.slice(1, 5)).toEqual([
      ['a.S', 1],
      ['b.h', 10],
      ['b.h', 10],
      ['b.h', 11],
    ]);
  });

  it('never throws on garbage input (random bytes as .c, .S and .s)', () => {
    let seed = 7;
    const rnd = (): number => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 16;
    const count = process.env.FUTURA_FULL === '1' ? 3000 : 300;
    for (let i = 0; i < count; i++) {
      const len = rnd() % 200;
      const text = Array.from({ length: len }, () =>
        String.fromCharCode(rnd() % 2 ? 32 + (rnd() % 95) : rnd() % 128),
      ).join('');
      const path = ['g.c', 'g.S', 'g.s'][i % 3] as string;
      const r = compileUnit({ path, provider: mem({ [path]: text }) });
      expect(typeof r.ok).toBe('boolean');
      if (!r.ok) expect(r.diagnostics.some((d) => d.severity === 'error')).toBe(true);
    }
  });
});
