// Linker semantics and errors on our own objects: symbol resolution (weak, common, locals,
// archives), linker-defined symbols, error messages, and fuzzed inputs never throwing.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../core/cli/main';
import { formatDiagnostic } from '../../core/toolchain/asm/diag';
import { writeArchive } from '../../core/toolchain/ar/archive';
import { link } from '../../core/toolchain/link/linker';
import { rng } from './asm-gen';
import { mustLink, ourObject } from './link-support';

const START = '.globl _start\n_start:\n  call main\n1: j 1b\n';
const errors = (r: ReturnType<typeof link>): string[] => r.diagnostics.map(formatDiagnostic);

describe('linker symbol resolution', () => {
  it('strong beats weak, weak undefined is zero, commons merge into .bss, locals stay private', () => {
    const a = ourObject(
      'a.S',
      `${START}.globl main\nmain: ret\n.weak f\nf: ret\n.weak missing\n.data\n.word missing\nlocal: .word 1\n.comm shared, 4, 4\n`,
    );
    const b = ourObject('b.S', '.globl f\nf: nop\n  ret\nlocal: .word 2\n.comm shared, 16, 16\n');
    const r = mustLink([a, b]);
    expect(r.symbols.get('f')).toBe(r.symbols.get('_start')! + 14); // b.o's .text follows a.o's (14 bytes)
    expect(r.symbols.get('missing')).toBe(0);
    const shared = r.symbols.get('shared')!;
    expect(shared % 16).toBe(0);
    expect(shared).toBeGreaterThanOrEqual(r.symbols.get('__bss_start')!);
    expect(shared + 16).toBeLessThanOrEqual(r.symbols.get('_end')!);
    expect(r.symbols.has('local')).toBe(false);
  });

  it('places segments on pages from 0x400000 and defines gp, _edata, __bss_start, _end', () => {
    const r = mustLink([
      ourObject(
        'a.S',
        `${START}.globl main\nmain: ret\n.section .rodata\n.word 1\n.section .sdata,"aw"\nsd: .word 2\n.data\n.word 3\n.bss\n.zero 100\n`,
      ),
    ]);
    expect(r.symbols.get('_start')).toBe(0x400000);
    const dv = new DataView(r.elf.buffer, r.elf.byteOffset);
    const phnum = dv.getUint16(44, true);
    expect(phnum).toBe(3);
    const segs = Array.from({ length: phnum }, (_, i) => {
      const o = 52 + 32 * i;
      return {
        off: dv.getUint32(o + 4, true),
        vaddr: dv.getUint32(o + 8, true),
        flags: dv.getUint32(o + 24, true),
      };
    });
    expect(segs.map((s) => s.flags)).toEqual([5, 4, 6]);
    for (const s of segs) expect([s.off % 0x1000, s.vaddr % 0x1000]).toEqual([0, 0]);
    const sdata = r.symbols.get('__SDATA_BEGIN__')!;
    expect(r.symbols.get('__global_pointer$')).toBe(sdata + 0x800);
    expect(r.symbols.get('_edata')).toBe(r.symbols.get('__bss_start'));
    expect(r.symbols.get('_end')! - r.symbols.get('__bss_start')!).toBe(100);
  });

  it('an archive member is not pulled when the program defines the symbol itself', () => {
    const lib = writeArchive([
      ourObject('lib.o', '.globl helper\nhelper: li a0, 1\n ret\n.globl main\nmain: ret\n'),
    ]);
    const prog = ourObject(
      'p.S',
      `${START}.globl main\nmain: call helper\n ret\n.globl helper\nhelper: li a0, 2\n ret\n`,
    );
    const r = mustLink([prog, { name: 'lib.a', data: lib }], { map: true });
    expect(r.map).not.toContain('lib.a(lib.o)');
  });
});

describe('linker errors', () => {
  it('names the referencing object and the undefined symbol', () => {
    const r = link([ourObject('main.o', `${START}.globl main\nmain: call nowhere\n ret\n`)]);
    expect(r.elf).toBeNull();
    expect(errors(r)).toEqual(["main.o: error: undefined reference to 'nowhere'"]);
  });
  it('reports duplicate definitions with both objects', () => {
    const r = link([
      ourObject('a.o', `${START}.globl main\nmain: ret\n`),
      ourObject('b.o', '.globl main\nmain: ret\n'),
    ]);
    expect(errors(r)).toEqual(["b.o: error: multiple definition of 'main'; first defined in a.o"]);
  });
  it('reports relocation overflow', () => {
    const a = ourObject('a.o', `${START}.globl main\nmain: j far\n`);
    const b = ourObject('b.o', '.zero 0x100000\n.globl far\nfar: ret\n');
    const e = errors(link([a, b]));
    expect(e).toHaveLength(1);
    expect(e[0]).toMatch(/^a\.o: error: R_RISCV_JAL against 'far' .*relocation truncated to fit/);
  });
  it('reports a missing entry symbol', () => {
    expect(errors(link([ourObject('a.o', 'nop\n')]))).toEqual([
      "ld: error: entry symbol '_start' is not defined",
    ]);
  });
  it('reports inputs that are not objects', () => {
    const e = errors(link([{ name: 'junk.o', data: new Uint8Array([1, 2, 3]) }]));
    expect(e).toEqual(['junk.o: error: not an ELF file']);
  });
});

describe('linker fuzz', () => {
  const count = process.env.FUTURA_FULL === '1' ? 3000 : 300;
  it(`${count} corrupted objects and archives give diagnostics or an executable, never an exception`, () => {
    const r = rng(777);
    const good = [
      ourObject(
        'a.o',
        `${START}.globl main\nmain: la a0, msg\n lw a1, msg\n call helper\n ret\n.data\nmsg: .string "x"\n.word main, msg\n`,
      ),
      ourObject('b.o', '.globl helper\nhelper: beqz a0, 1f\n j helper\n1: ret\n'),
    ];
    const lib = writeArchive([good[1]!]);
    let failed = 0;
    for (let i = 0; i < count; i++) {
      const which = Math.floor(r() * 3);
      const base = which === 2 ? lib : good[which]!.data;
      const bad = base.slice();
      const flips = 1 + Math.floor(r() * 8);
      for (let k = 0; k < flips; k++) bad[Math.floor(r() * bad.length)] = Math.floor(r() * 256);
      const inputs = good.map((g, j) => (j === which ? { name: g.name, data: bad } : g));
      if (which === 2) inputs[1] = { name: 'lib.a', data: bad };
      const res = link(inputs);
      if (!res.elf) {
        failed++;
        expect(res.diagnostics.length).toBeGreaterThan(0);
      }
    }
    expect(failed).toBeGreaterThan(0);
  });
});

describe('futura as / ld', () => {
  it('assemble, link with a map, and report errors with exit codes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'futura-ld-'));
    const s = join(dir, 'p.S');
    writeFileSync(s, `${START}.globl main\nmain: ret\n`);
    expect(await main(['as', '-o', join(dir, 'p.o'), s])).toBe(0);
    expect(await main(['ld', '-o', join(dir, 'p'), '-Map', join(dir, 'p.map'), join(dir, 'p.o')])).toBe(0);
    expect(readFileSync(join(dir, 'p.map'), 'utf8')).toMatch(/0x00400000 _start/);
    expect(readFileSync(join(dir, 'p')).subarray(0, 4)).toEqual(Buffer.from([0x7f, 0x45, 0x4c, 0x46]));
    writeFileSync(s, 'bogus a0\n');
    expect(await main(['as', '-o', join(dir, 'q.o'), s])).toBe(1);
    expect(await main(['ld', '-o', join(dir, 'q'), '-Frob'])).toBe(2);
  });
});
