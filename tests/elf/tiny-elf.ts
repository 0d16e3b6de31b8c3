// A hand-built, minimal but complete ELF32 RISC-V executable (two PT_LOAD segments, five
// sections, a symbol table with tohost/fromhost), so the reader's tests do not need GCC and can
// patch any field at a known offset.

export const TINY = {
  textAddr: 0x8000_0000,
  dataAddr: 0x8000_1000,
  textOff: 0x80,
  textSize: 16,
  dataFileSize: 16,
  dataMemSize: 24,
} as const;

function strtab(names: string[]): { bytes: Uint8Array; offsets: number[] } {
  const offsets: number[] = [];
  const parts: number[] = [0];
  for (const n of names) {
    offsets.push(parts.length);
    for (const ch of n) parts.push(ch.charCodeAt(0));
    parts.push(0);
  }
  return { bytes: Uint8Array.from(parts), offsets };
}

export interface TinyLayout {
  bytes: Uint8Array;
  phoff: number;
  shoff: number;
  symtabOff: number;
  strtabOff: number;
  shstrtabOff: number;
}

/** Builds the file; every offset of interest is returned for targeted mutations. */
export function buildTinyElf(): TinyLayout {
  const shstr = strtab(['.text', '.data', '.shstrtab', '.symtab', '.strtab']);
  const str = strtab(['_start', 'tohost', 'fromhost']);
  const textOff = TINY.textOff;
  const dataOff = textOff + TINY.textSize;
  const shstrtabOff = dataOff + TINY.dataFileSize;
  const strtabOff = shstrtabOff + shstr.bytes.length;
  const symtabOff = (strtabOff + str.bytes.length + 3) & ~3;
  const nsyms = 4;
  const shoff = symtabOff + nsyms * 16;
  const total = shoff + 6 * 40;
  const bytes = new Uint8Array(total);
  const v = new DataView(bytes.buffer);
  bytes.set([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1, 0]);
  v.setUint16(16, 2, true); // ET_EXEC
  v.setUint16(18, 243, true);
  v.setUint32(20, 1, true);
  v.setUint32(24, TINY.textAddr, true);
  v.setUint32(28, 52, true);
  v.setUint32(32, shoff, true);
  v.setUint32(36, 5, true); // RVC | double-float ABI
  v.setUint16(40, 52, true);
  v.setUint16(42, 32, true);
  v.setUint16(44, 2, true);
  v.setUint16(46, 40, true);
  v.setUint16(48, 6, true);
  v.setUint16(50, 3, true);
  const ph = (i: number, off: number, addr: number, filesz: number, memsz: number, flags: number): void => {
    const o = 52 + i * 32;
    v.setUint32(o, 1, true);
    v.setUint32(o + 4, off, true);
    v.setUint32(o + 8, addr, true);
    v.setUint32(o + 12, addr, true);
    v.setUint32(o + 16, filesz, true);
    v.setUint32(o + 20, memsz, true);
    v.setUint32(o + 24, flags, true);
    v.setUint32(o + 28, 4, true);
  };
  ph(0, textOff, TINY.textAddr, TINY.textSize, TINY.textSize, 5);
  ph(1, dataOff, TINY.dataAddr, TINY.dataFileSize, TINY.dataMemSize, 6);
  for (let i = 0; i < TINY.textSize; i += 4) v.setUint32(textOff + i, 0x13, true); // nop
  bytes.set(shstr.bytes, shstrtabOff);
  bytes.set(str.bytes, strtabOff);
  const sym = (i: number, name: number, value: number, size: number, info: number, shndx: number): void => {
    const o = symtabOff + i * 16;
    v.setUint32(o, name, true);
    v.setUint32(o + 4, value, true);
    v.setUint32(o + 8, size, true);
    bytes[o + 12] = info;
    v.setUint16(o + 14, shndx, true);
  };
  sym(1, str.offsets[0]!, TINY.textAddr, TINY.textSize, 0x12, 1); // GLOBAL FUNC
  sym(2, str.offsets[1]!, TINY.dataAddr, 8, 0x11, 2); // GLOBAL OBJECT
  sym(3, str.offsets[2]!, TINY.dataAddr + 8, 8, 0x11, 2);
  const sh = (i: number, f: number[]): void => {
    f.forEach((x, k) => v.setUint32(shoff + i * 40 + k * 4, x, true));
  };
  // name, type, flags, addr, offset, size, link, info, addralign, entsize
  sh(1, [shstr.offsets[0]!, 1, 6, TINY.textAddr, textOff, TINY.textSize, 0, 0, 4, 0]);
  sh(2, [shstr.offsets[1]!, 1, 3, TINY.dataAddr, dataOff, TINY.dataFileSize, 0, 0, 8, 0]);
  sh(3, [shstr.offsets[2]!, 3, 0, 0, shstrtabOff, shstr.bytes.length, 0, 0, 1, 0]);
  sh(4, [shstr.offsets[3]!, 2, 0, 0, symtabOff, nsyms * 16, 5, 1, 4, 16]);
  sh(5, [shstr.offsets[4]!, 3, 0, 0, strtabOff, str.bytes.length, 0, 0, 1, 0]);
  return { bytes, phoff: 52, shoff, symtabOff, strtabOff, shstrtabOff };
}
