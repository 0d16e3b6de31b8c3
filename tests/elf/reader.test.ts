import { describe, expect, it } from 'vitest';
import { ElfError, findSymbol, loadImage, readElf } from '../../core/elf';
import { ET_REL, PF_R, PF_W, PF_X, STB_GLOBAL, STT_FUNC, STT_OBJECT } from '../../core/elf/constants';
import { buildTinyElf, TINY } from './tiny-elf';

function expectElfError(bytes: Uint8Array, pattern: RegExp): void {
  let caught: unknown;
  try {
    readElf(bytes);
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(ElfError);
  expect((caught as ElfError).message).toMatch(pattern);
}

/** A copy of the tiny ELF with `patch` applied to a DataView over it. */
function mutated(patch: (v: DataView, t: ReturnType<typeof buildTinyElf>) => void): Uint8Array {
  const t = buildTinyElf();
  patch(new DataView(t.bytes.buffer), t);
  return t.bytes;
}

describe('readElf on a hand-built executable', () => {
  it('reads header, program headers, named sections and symbols', () => {
    const { bytes } = buildTinyElf();
    const elf = readElf(bytes);
    expect(elf.header.entry).toBe(TINY.textAddr);
    expect(elf.header.flags).toBe(5);
    expect(elf.header.phnum).toBe(2);
    expect(elf.programHeaders.map((p) => [p.vaddr, p.filesz, p.memsz, p.flags])).toEqual([
      [TINY.textAddr, TINY.textSize, TINY.textSize, PF_R | PF_X],
      [TINY.dataAddr, TINY.dataFileSize, TINY.dataMemSize, PF_R | PF_W],
    ]);
    expect(elf.sections.map((s) => s.name)).toEqual([
      '',
      '.text',
      '.data',
      '.shstrtab',
      '.symtab',
      '.strtab',
    ]);
    const start = elf.symbols.find((s) => s.name === '_start');
    expect(start).toMatchObject({ value: TINY.textAddr, size: 16, type: STT_FUNC, bind: STB_GLOBAL });
    expect(start?.section).toBe('.text');
    expect(findSymbol(elf, 'tohost')).toMatchObject({ value: TINY.dataAddr, type: STT_OBJECT });
    expect(elf.symbols[0]!.section).toBe('*UND*');
  });

  it('gives a load image with file bytes, bss size and the HTIF symbols', () => {
    const { bytes } = buildTinyElf();
    const img = loadImage(readElf(bytes));
    expect(img.entry).toBe(TINY.textAddr);
    expect(img.tohost).toBe(TINY.dataAddr);
    expect(img.fromhost).toBe(TINY.dataAddr + 8);
    expect(img.segments).toHaveLength(2);
    expect(img.segments[1]!.data.length).toBe(TINY.dataFileSize);
    expect(img.segments[1]!.memsz).toBe(TINY.dataMemSize);
    expect(Array.from(img.segments[0]!.data.subarray(0, 4))).toEqual([0x13, 0, 0, 0]);
  });

  it('rejects every truncation of the file with an ElfError', () => {
    const { bytes } = buildTinyElf();
    for (let n = 0; n < bytes.length; n++) {
      expect(() => readElf(bytes.subarray(0, n)), `prefix ${n}`).toThrow(ElfError);
    }
  });
});

describe('readElf rejects hostile headers with a clear message', () => {
  const cases: Array<[string, (v: DataView, t: ReturnType<typeof buildTinyElf>) => void, RegExp]> = [
    ['bad magic', (v) => v.setUint8(1, 0x46), /bad magic/],
    ['ELF64 class', (v) => v.setUint8(4, 2), /not an ELF32/],
    ['big-endian', (v) => v.setUint8(5, 2), /not little-endian/],
    ['ident version', (v) => v.setUint8(6, 0), /identification version/],
    ['shared object type', (v) => v.setUint16(16, 3, true), /unsupported ELF type 3/],
    ['x86 machine', (v) => v.setUint16(18, 62, true), /not a RISC-V file: e_machine is 62/],
    ['e_version', (v) => v.setUint32(20, 7, true), /unknown ELF version 7/],
    ['e_ehsize', (v) => v.setUint16(40, 64, true), /e_ehsize 64/],
    ['e_phentsize', (v) => v.setUint16(42, 56, true), /e_phentsize 56/],
    ['e_shentsize', (v) => v.setUint16(46, 64, true), /e_shentsize 64/],
    ['phdrs past the end', (v) => v.setUint32(28, 0xffff_fff0, true), /program header table .* past the end/],
    ['too many phdrs', (v) => v.setUint16(44, 0xffff, true), /program header table .* past the end/],
    ['shdrs past the end', (v, t) => v.setUint32(32, t.bytes.length - 8, true), /section header table/],
    ['shstrndx out of range', (v) => v.setUint16(50, 9, true), /e_shstrndx 9 is not a section/],
    ['shstrndx not a strtab', (v) => v.setUint16(50, 1, true), /not SHT_STRTAB/],
    ['no program headers', (v) => v.setUint16(44, 0, true), /no program headers/],
    ['segment past the end', (v) => v.setUint32(52 + 4, 0x7fff_0000, true), /segment 0 .* past the end/],
    ['filesz > memsz', (v) => v.setUint32(52 + 32 + 20, 4, true), /p_filesz 0x10 is larger than p_memsz 0x4/],
    ['segment wraps', (v) => v.setUint32(52 + 32 + 8, 0xffff_fff8, true), /wraps past 4 GiB/],
    ['bad p_align', (v) => v.setUint32(52 + 28, 6, true), /p_align 6 is not a power of two/],
    [
      'overlapping loads',
      (v) => {
        v.setUint32(52 + 32 + 8, TINY.textAddr + 8, true);
        v.setUint32(52 + 32 + 12, TINY.textAddr + 8, true);
      },
      /overlaps segment 0/,
    ],
    ['entry outside segments', (v) => v.setUint32(24, 0x1234, true), /entry point 0x1234 is not inside/],
    ['entry in data', (v) => v.setUint32(24, TINY.dataAddr, true), /not executable/],
    ['odd entry', (v) => v.setUint32(24, TINY.textAddr + 1, true), /entry point 0x\w+ is odd/],
    ['entry in bss', (v) => v.setUint32(24, TINY.dataAddr + 20, true), /not inside the file bytes/],
    ['no PT_LOAD', (v) => [0, 1].forEach((i) => v.setUint32(52 + i * 32, 4, true)), /no PT_LOAD/],
    [
      'section past the end',
      (v, t) => v.setUint32(t.shoff + 40 + 20, 0x10000, true),
      /section 1 .* past the end/,
    ],
    ['section name offset', (v, t) => v.setUint32(t.shoff + 40, 0x999, true), /name of section 1/],
    [
      'unterminated shstrtab',
      (v, t) => v.setUint32(t.shoff + 3 * 40 + 20, 3, true),
      /name of section \d: string .* (not NUL-terminated|outside)/,
    ],
    ['symtab entsize', (v, t) => v.setUint32(t.shoff + 4 * 40 + 36, 12, true), /sh_entsize 12/],
    ['symtab size', (v, t) => v.setUint32(t.shoff + 4 * 40 + 20, 50, true), /not a multiple of 16/],
    ['symtab link', (v, t) => v.setUint32(t.shoff + 4 * 40 + 24, 1, true), /not a string table/],
    ['symbol name', (v, t) => v.setUint32(t.symtabOff + 16, 0x4444, true), /name of symbol 1/],
    [
      'symbol section',
      (v, t) => v.setUint16(t.symtabOff + 16 + 14, 40, true),
      /section 40, which does not exist/,
    ],
    ['symbol reserved index', (v, t) => v.setUint16(t.symtabOff + 16 + 14, 0xff05, true), /reserved section/],
    ['symbol wraps', (v, t) => v.setUint32(t.symtabOff + 16 + 8, 0xffff_0000, true), /wraps past 4 GiB/],
    ['symbol outside section', (v, t) => v.setUint32(t.symtabOff + 16 + 8, 64, true), /outside its section/],
  ];
  for (const [name, patch, pattern] of cases) {
    it(name, () => expectElfError(mutated(patch), pattern));
  }

  it('rejects input shorter than the identification', () => {
    expectElfError(new Uint8Array([0x7f, 0x45]), /too short/);
  });

  it('reads a relocatable file but refuses to load it', () => {
    const bytes = mutated((v) => {
      v.setUint16(16, ET_REL, true);
      v.setUint32(32 + 4 * 40, 0, true);
    });
    // Symbol values in a .o are section offsets: the tiny file's absolute addresses no longer fit.
    expectElfError(bytes, /outside its section/);
    const rel = mutated((v, t) => {
      v.setUint16(16, ET_REL, true);
      v.setUint16(44, 0, true);
      for (let i = 1; i < 4; i++) v.setUint32(t.symtabOff + i * 16 + 4, i === 3 ? 8 : 0, true);
    });
    const elf = readElf(rel);
    expect(elf.header.type).toBe(ET_REL);
    expect(() => loadImage(elf)).toThrow(/not an executable/);
  });
});
