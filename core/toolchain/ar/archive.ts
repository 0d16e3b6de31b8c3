// The common `ar` archive format as GNU ar writes it: `!<arch>\n`, 60-byte member headers, the
// GNU symbol table member `/` (big-endian count, member offsets, NUL-terminated names) and the
// long-name table `//` (names ending in "/\n", referenced as `/offset`). Output is deterministic
// (zero dates and ids, mode 644), like `ar D`.
import { STB_GLOBAL, STB_WEAK, SHN_UNDEF } from '../../elf/constants';
import { ByteWriter } from '../obj/bytes';
import { readObject } from '../obj/reader';
import { utf8Decode, utf8Encode } from '../../util/utf8';

export const AR_MAGIC = '!<arch>\n';

export interface ArMember {
  name: string;
  data: Uint8Array;
}

export interface Archive {
  members: ArMember[];
  /** Symbol -> index into members (from the archive's symbol table, when present). */
  symbols: Map<string, number>;
}

export class ArFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ArFormatError';
  }
}

export function isArchive(b: Uint8Array): boolean {
  return b.length >= 8 && utf8Decode(b, 0, 8) === AR_MAGIC;
}

const rdBE32 = (b: Uint8Array, o: number): number =>
  (((b[o] ?? 0) << 24) | ((b[o + 1] ?? 0) << 16) | ((b[o + 2] ?? 0) << 8) | (b[o + 3] ?? 0)) >>> 0;

/** Parses an archive; member names are resolved through the long-name table. */
export function readArchive(b: Uint8Array): Archive {
  if (!isArchive(b)) throw new ArFormatError('not an ar archive');
  const members: ArMember[] = [];
  const offsets: number[] = [];
  let symtab: Uint8Array | null = null;
  let longNames: Uint8Array | null = null;
  let o = 8;
  while (o + 60 <= b.length) {
    const rawName = utf8Decode(b, o, o + 16).trimEnd();
    const sizeText = utf8Decode(b, o + 48, o + 58).trim();
    if (b[o + 58] !== 0x60 || b[o + 59] !== 0x0a) throw new ArFormatError(`bad member header at offset ${o}`);
    const size = Number(sizeText);
    if (!/^[0-9]+$/.test(sizeText) || o + 60 + size > b.length)
      throw new ArFormatError(`bad member size at offset ${o}`);
    const data = b.subarray(o + 60, o + 60 + size);
    if (rawName === '/' || rawName === '/SYM64/') symtab = data;
    else if (rawName === '//') longNames = data;
    else {
      let name = rawName;
      if (/^\/[0-9]+$/.test(rawName)) {
        const at = Number(rawName.slice(1));
        if (!longNames || at >= longNames.length)
          throw new ArFormatError(`bad long name reference ${rawName}`);
        let e = at;
        while (e < longNames.length && longNames[e] !== 0x0a) e++;
        name = utf8Decode(longNames, at, e).replace(/\/$/, '');
      } else if (name.endsWith('/')) name = name.slice(0, -1);
      offsets.push(o);
      members.push({ name, data });
    }
    o += 60 + size + (size % 2);
  }
  const symbols = new Map<string, number>();
  if (symtab && symtab.length >= 4) {
    const n = rdBE32(symtab, 0);
    let p = 4 + 4 * n;
    for (let i = 0; i < n && p < symtab.length; i++) {
      let e = p;
      while (e < symtab.length && symtab[e] !== 0) e++;
      const idx = offsets.indexOf(rdBE32(symtab, 4 + 4 * i));
      const name = utf8Decode(symtab, p, e);
      if (idx >= 0 && !symbols.has(name)) symbols.set(name, idx);
      p = e + 1;
    }
  }
  return { members, symbols };
}

/** Global symbols an object member defines (for the archive symbol table). */
export function definedGlobals(data: Uint8Array): string[] {
  try {
    const obj = readObject(data);
    return obj.symbols
      .filter((s) => (s.bind === STB_GLOBAL || s.bind === STB_WEAK) && s.shndx !== SHN_UNDEF && s.name !== '')
      .map((s) => s.name);
  } catch {
    return [];
  }
}

function header(w: ByteWriter, name: string, size: number): void {
  const field = (s: string, n: number): void => {
    const b = utf8Encode(s);
    w.bytes(b.subarray(0, n));
    for (let i = b.length; i < n; i++) w.u8(0x20);
  };
  field(name, 16);
  field('0', 12);
  field('0', 6);
  field('0', 6);
  field('644', 8);
  field(String(size), 10);
  w.u8(0x60);
  w.u8(0x0a);
}

/** Writes an archive, with a GNU symbol table when `index` is true (as `ar rcs` does). */
export function writeArchive(members: ArMember[], index = true): Uint8Array {
  // Long names: anything that does not fit in 15 characters plus the terminating '/'.
  const lw = new ByteWriter();
  const nameField = members.map((m) => {
    if (utf8Encode(m.name).length <= 15 && !m.name.includes('/')) return `${m.name}/`;
    const at = lw.length;
    lw.bytes(utf8Encode(`${m.name}/\n`));
    return `/${at}`;
  });
  const longData = lw.finish();
  const syms = index ? members.map((m) => definedGlobals(m.data)) : [];
  const nsyms = syms.reduce((n, s) => n + s.length, 0);
  const names = new ByteWriter();
  for (const list of syms)
    for (const s of list) {
      names.bytes(utf8Encode(s));
      names.u8(0);
    }
  const nameBytes = names.finish();
  const symSize = index ? 4 + 4 * nsyms + nameBytes.length : 0;
  // Offsets of member headers, known once the first two special members are sized.
  let o = 8;
  if (index) o += 60 + symSize + (symSize % 2);
  if (longData.length > 0) o += 60 + longData.length + (longData.length % 2);
  const memberOffsets: number[] = [];
  for (const m of members) {
    memberOffsets.push(o);
    o += 60 + m.data.length + (m.data.length % 2);
  }
  const w = new ByteWriter();
  w.bytes(utf8Encode(AR_MAGIC));
  if (index) {
    header(w, '/', symSize);
    const be = (v: number): void => {
      w.u8(v >>> 24);
      w.u8(v >>> 16);
      w.u8(v >>> 8);
      w.u8(v);
    };
    be(nsyms);
    syms.forEach((list, i) => list.forEach(() => be(memberOffsets[i] ?? 0)));
    w.bytes(nameBytes);
    if (symSize % 2) w.u8(0x0a);
  }
  if (longData.length > 0) {
    header(w, '//', longData.length);
    w.bytes(longData);
    if (longData.length % 2) w.u8(0x0a);
  }
  members.forEach((m, i) => {
    header(w, nameField[i] ?? '', m.data.length);
    w.bytes(m.data);
    if (m.data.length % 2) w.u8(0x0a);
  });
  return w.finish();
}
