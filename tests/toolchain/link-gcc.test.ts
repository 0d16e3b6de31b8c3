// The linker on GCC-built objects (with relaxation relocations and R_RISCV_ALIGN), mixed with
// our assembler's objects and archives, checked by running under qemu-riscv32 against the
// GCC-linked program, and by GNU ld consuming our objects and archives.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { R_RISCV } from '../../core/elf/constants';
import { writeArchive } from '../../core/toolchain/ar/archive';
import { decodeLineTable } from '../../core/toolchain/link/lines';
import { readObject } from '../../core/toolchain/obj/reader';
import { buildWithGcc, RT_DIR, RV32_FLAGS } from '../support/gcc';
import { oracleIt, QEMU_USER, RV_GCC } from '../support/oracle';
import { GNU_AR, GNU_READELF, tmp } from './asm-support';
import { gccObject, libgcc, mustLink, ourObject, qemu, runtimeObjects, writeTmp } from './link-support';

const PROGRAM = `#include "rt.h"
static int counter = 5;
int table[4] = {1, 2, 3, 4};
double scale = 2.5;
const char *names[] = {"zero", "one", "two"};
int bss_thing[100];
long long big = 0x123456789abcLL;
static int square(int x) { return x * x; }
int (*fp)(int) = square;
int main(int argc, char **argv) {
  counter += argc;
  for (int i = 0; i < 4; i++) bss_thing[i] = table[i] * counter;
  printf("hello %d %d %s %s\\n", counter, bss_thing[3], argv[argc - 1], names[argc % 3]);
  printf("dbl %d ll %d %d\\n", (int)(scale * 4.0), (int)(big / 1000), (int)(big % 977));
  printf("fp %d\\n", fp(argc + 3));
  return 7 + bss_thing[99];
}
`;

const tools = [RV_GCC, QEMU_USER];

describe('linking GCC objects', () => {
  oracleIt('runs like the GCC-linked program (-O2, relaxation relocations present)', tools, () => {
    const objs = [...runtimeObjects(), gccObject('prog.c', PROGRAM)];
    const relocTypes = new Set(
      objs.flatMap((o) => readObject(o.data).sections.flatMap((s) => s.relocs.map((r) => r.type))),
    );
    expect(relocTypes.has(R_RISCV.RELAX)).toBe(true);
    const mine = qemu(mustLink([...objs, libgcc()]).elf, ['a', 'bc']);
    const ref = qemu(buildWithGcc([{ name: 'prog.c', text: PROGRAM }]), ['a', 'bc']);
    expect(mine.stdout).toContain('hello 8');
    expect(mine).toEqual(ref);
  });

  oracleIt(
    'deletes the surplus nops of R_RISCV_ALIGN and keeps the code correct (-O0 -g, aligned functions)',
    tools,
    () => {
      const flags = ['-O0', '-g', '-falign-functions=32', '-falign-loops=16'];
      const extra = `#include "rt.h"
__attribute__((aligned(64))) int aligned_fn(int x) { int s = 0; for (int i = 0; i < x; i++) s += i * 3; return s; }
`;
      const objs = [
        ...runtimeObjects(flags),
        gccObject(
          'prog.c',
          PROGRAM.replace('return 7', 'printf("af %d\\n", aligned_fn(argc + 10));\n  return 7'),
          flags,
        ),
        gccObject('extra.c', extra, flags),
      ];
      const aligns = objs.flatMap((o) =>
        readObject(o.data).sections.flatMap((s) => s.relocs.filter((r) => r.type === R_RISCV.ALIGN)),
      );
      expect(aligns.length).toBeGreaterThan(0);
      const r = mustLink([...objs, libgcc()]);
      expect((r.symbols.get('aligned_fn') ?? 1).toString(16)).toMatch(/[048c]0$/);
      const mine = qemu(r.elf, ['x']);
      const ref = qemu(
        buildWithGcc(
          [
            {
              name: 'prog.c',
              text: PROGRAM.replace('return 7', 'printf("af %d\\n", aligned_fn(argc + 10));\n  return 7'),
            },
            { name: 'extra.c', text: extra },
          ],
          { flags },
        ),
        ['x'],
      );
      expect(mine.stdout).toContain('af ');
      expect(mine).toEqual(ref);
      // DWARF line info survives relocation: the same number of rows for prog.c as GNU ld's.
      const rows = (p: string): number =>
        execFileSync(GNU_READELF, ['--debug-dump=decodedline', p], { encoding: 'utf8' })
          .split('\n')
          .filter((l) => (l.split(/\s+/)[0] ?? '').endsWith('prog.c')).length;
      const refPath = buildWithGcc([{ name: 'prog.c', text: PROGRAM }], { flags });
      const minePath = writeTmp(
        'prog',
        mustLink([...runtimeObjects(flags), gccObject('prog.c', PROGRAM, flags), libgcc()]).elf,
      );
      expect(rows(minePath)).toBeGreaterThan(5);
      expect(rows(minePath)).toBe(rows(refPath));
    },
  );
});

describe('linking GCC objects with per-function sections and unwind tables', () => {
  oracleIt('keeps .eh_frame with FDEs that point at the functions', tools, () => {
    const flags = ['-Os', '-ffunction-sections', '-fdata-sections', '-fasynchronous-unwind-tables'];
    const r = mustLink([...runtimeObjects(flags), gccObject('prog.c', PROGRAM, flags), libgcc()]);
    const ref = qemu(buildWithGcc([{ name: 'prog.c', text: PROGRAM }], { flags }), ['q']);
    expect(qemu(r.elf, ['q'])).toEqual(ref);
    const frames = execFileSync(GNU_READELF, ['--debug-dump=frames', writeTmp('p', r.elf)], {
      encoding: 'utf8',
    });
    const starts = [...frames.matchAll(/FDE cie=\S+ pc=([0-9a-f]+)\.\./g)].map((m) =>
      parseInt(m[1] ?? '', 16),
    );
    for (const fn of ['rt_write', 'printf', 'main']) expect(starts).toContain(r.symbols.get(fn));
  });
});

const ASM_PART = `
    .text
    .globl asm_scale
    .type asm_scale, @function
asm_scale:              # a0 * 3 + c_bias(a0), calling back into C
    addi sp, sp, -16
    sw ra, 12(sp)
    sw s0, 8(sp)
    slli s0, a0, 1
    add s0, s0, a0
    call c_bias
    add a0, a0, s0
    lw t0, asm_counter
    addi t0, t0, 1
    sw t0, asm_counter, t1
    lw ra, 12(sp)
    lw s0, 8(sp)
    addi sp, sp, 16
    ret
    .size asm_scale, .-asm_scale
    .globl asm_greet
asm_greet:
    la a0, fmt
    lui a1, %hi(asm_counter)
    lw a1, %lo(asm_counter)(a1)
    tail printf
    .section .rodata
fmt: .string "asm says %d\\n"
    .data
    .globl asm_counter
    .p2align 2
asm_counter: .word 40
`;
const C_PART = `#include "rt.h"
int asm_scale(int);
void asm_greet(void);
extern int asm_counter;
int c_bias(int x) { return x + 100; }
int main(int argc, char **argv) {
  (void)argv;
  printf("scale %d\\n", asm_scale(argc + 4));
  asm_greet();
  return asm_counter;
}
`;

describe('mixed objects and archives', () => {
  oracleIt('our assembler object calling GCC code and back, linked by us and by GNU ld', tools, () => {
    const asmObj = ourObject('part.S', ASM_PART);
    const mine = qemu(mustLink([...runtimeObjects(), gccObject('main.c', C_PART), asmObj, libgcc()]).elf);
    expect(mine.stdout).toBe('scale 120\nasm says 41\n');
    expect(mine.status).toBe(41);
    // GNU ld (through gcc) links our object too.
    const out = join(tmp(), 'gnu');
    execFileSync(RV_GCC, [
      ...RV32_FLAGS,
      '-nostdlib',
      '-static',
      '-Wl,-Ttext-segment=0x400000',
      `-I${RT_DIR}`,
      '-o',
      out,
      join(RT_DIR, 'crt0.S'),
      join(RT_DIR, 'rt.c'),
      writeTmp('main.c', new TextEncoder().encode(C_PART)),
      writeTmp('part.o', asmObj.data),
      '-lgcc',
    ]);
    expect(qemu(out)).toEqual(mine);
  });

  oracleIt(
    'archives: ours used by GNU ld, GNU ar archives used by us; members pulled to a fixed point',
    [...tools, GNU_AR],
    () => {
      // b.o needs c.o; only an archive member that resolves something is pulled.
      const a = gccObject(
        'a.c',
        '#include "rt.h"\nint from_b(void);\nint main(void) { printf("v=%d\\n", from_b()); return 3; }\n',
      );
      const b = gccObject('b.c', 'int from_c(void);\nint from_b(void) { return from_c() * 2; }\n');
      const c = gccObject('c.c', 'int from_c(void) { return 21; }\n');
      const unused = gccObject(
        'unused_with_a_long_member_name.c',
        'int main(void) { return 99; }\nint dup_me = 1;\n',
      );
      const ours = writeArchive([b, c, unused]);
      const expected = { stdout: 'v=42\n', status: 3 };
      const rt = runtimeObjects();
      expect(qemu(mustLink([...rt, a, { name: 'libx.a', data: ours }, libgcc()]).elf)).toEqual(expected);
      // GNU ld with our archive.
      const out = join(tmp(), 'gnu');
      const arPath = writeTmp('libx.a', ours);
      execFileSync(RV_GCC, [
        ...RV32_FLAGS,
        '-nostdlib',
        '-static',
        '-Wl,-Ttext-segment=0x400000',
        '-o',
        out,
        writeTmp('crt0.o', rt[0]!.data),
        writeTmp('rt.o', rt[1]!.data),
        writeTmp('a.o', a.data),
        arPath,
        '-lgcc',
      ]);
      expect(qemu(out)).toEqual(expected);
      // GNU ar's archive with us.
      const dir = tmp();
      const files = [b, c, unused].map((m) => writeTmp(m.name, m.data));
      execFileSync(GNU_AR, ['rcs', join(dir, 'libg.a'), ...files]);
      const gnuAr = new Uint8Array(execFileSync('cat', [join(dir, 'libg.a')]));
      const r = mustLink([...rt, a, { name: 'libg.a', data: gnuAr }, libgcc()], { map: true });
      expect(qemu(r.elf)).toEqual(expected);
      expect(r.map).toContain('libg.a(b.o)');
      expect(r.map).not.toContain('unused_with_a_long_member_name');
    },
  );
});

describe('line tables from .loc', () => {
  oracleIt('.loc directives become .futura.lines rows at the instruction addresses', [], () => {
    const src = `
    .file 1 "src/prog.c"
    .file 2 "inc/util.h"
    .text
    .globl _start
_start:
    .loc 1 10 3
    li a0, 1
    .loc 1 11 5
    addi a0, a0, 2
    .loc 2 7 1
second:
    ret
`;
    const r = mustLink([ourObject('p.S', src)]);
    const obj = r.elf;
    // Find .futura.lines through our own reading of the section headers.
    const shoff = new DataView(obj.buffer, obj.byteOffset).getUint32(32, true);
    const dv = new DataView(obj.buffer, obj.byteOffset);
    const shnum = dv.getUint16(48, true);
    const shstr = dv.getUint32(shoff + 40 * dv.getUint16(50, true) + 16, true);
    let lines: Uint8Array | null = null;
    for (let i = 0; i < shnum; i++) {
      const o = shoff + 40 * i;
      const nameOff = shstr + dv.getUint32(o, true);
      const name = new TextDecoder().decode(obj.subarray(nameOff, obj.indexOf(0, nameOff)));
      if (name === '.futura.lines')
        lines = obj.subarray(
          dv.getUint32(o + 16, true),
          dv.getUint32(o + 16, true) + dv.getUint32(o + 20, true),
        );
    }
    expect(lines).not.toBeNull();
    const rows = decodeLineTable(lines as Uint8Array);
    const start = r.symbols.get('_start')!;
    expect(rows).toEqual([
      { addr: start, line: 10, col: 3, file: 'src/prog.c' },
      { addr: start + 2, line: 11, col: 5, file: 'src/prog.c' },
      { addr: start + 4, line: 7, col: 1, file: 'inc/util.h' },
    ]);
  });
});
