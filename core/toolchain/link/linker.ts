// futcc's static linker: ELF32 RISC-V objects and `ar` archives in, an ET_EXEC out. Text (R-X),
// rodata (R) and data+bss (RW) are page-aligned PT_LOAD segments from 0x0040_0000; DWARF
// sections are kept and relocated; `.loc` records of our own objects become `.futura.lines`.
import {
  SHN_ABS,
  SHN_COMMON,
  SHN_UNDEF,
  SHT_NOBITS,
  STB_LOCAL,
  STT_SECTION,
  USER_LINK_BASE,
} from '../../elf/constants';
import { isArchive, readArchive } from '../ar/archive';
import type { Diagnostic } from '../asm/diag';
import { applyAlignRelocs } from './align';
import { readObject, ObjFormatError } from '../obj/reader';
import { buildLineTable } from './lines';
import { formatMap } from './map';
import { writeExecutable } from './output';
import { relocateAll } from './relocate';
import { alignUp, newOut, OUTPUT_ORDER, outputNameOf, PAGE } from './sections';
import { indexArchive, pullMembers, SymbolTable, type LoadedArchive } from './symbols';
import type { InObject, OutSection } from './types';

export interface LinkInput {
  /** File name for diagnostics and the map. */
  name: string;
  /** An ELF relocatable object or an `ar` archive. */
  data: Uint8Array;
}

export interface LinkOptions {
  entry?: string;
  /** Address of the first segment; default 0x0040_0000. */
  base?: number;
  /** Produce a map (sections, input parts, symbols). */
  map?: boolean;
}

export interface LinkResult {
  elf: Uint8Array | null;
  map: string | null;
  diagnostics: Diagnostic[];
  /** Final addresses of global symbols (also when linking failed late, for tools). */
  symbols: Map<string, number>;
}

/** Largest section or image we accept (the user address space is far smaller anyway). */
const MAX_SIZE = 0x1000_0000;

const LINKER_DEFINED = [
  '__global_pointer$',
  '_end',
  'end',
  '__bss_start',
  '_edata',
  'edata',
  '_etext',
  'etext',
  '__etext',
  '__init_array_start',
  '__init_array_end',
  '__fini_array_start',
  '__fini_array_end',
  '__preinit_array_start',
  '__preinit_array_end',
  '__SDATA_BEGIN__',
  '__BSS_END__',
  '__DATA_BEGIN__',
];

/** Links; never throws for bad input (errors come back as diagnostics). */
export function link(inputs: LinkInput[], opts: LinkOptions = {}): LinkResult {
  const diagnostics: Diagnostic[] = [];
  const err = (file: string, message: string): void =>
    void diagnostics.push({ file, line: 0, col: 0, severity: 'error', message });
  const fail = (): LinkResult => ({ elf: null, map: null, diagnostics, symbols: new Map() });
  const table = new SymbolTable();
  const objects: InObject[] = [];
  const archives: LoadedArchive[] = [];
  const load = (o: InObject): void => {
    // Copy contents: ALIGN handling and relocation modify them.
    o.obj.sections = o.obj.sections.map((s) => ({ ...s, data: s.data.slice(), relocs: s.relocs.slice() }));
    objects.push(o);
    table.add(o);
  };
  try {
    for (const inp of inputs) {
      if (isArchive(inp.data)) archives.push(indexArchive(inp.name, readArchive(inp.data)));
      else load({ name: inp.name, obj: readObject(inp.data), place: [], maps: [] });
    }
    pullMembers(table, archives, load);
  } catch (e) {
    if (!(e instanceof Error) || e instanceof TypeError || e instanceof RangeError) throw e;
    err(inputs.find(() => true)?.name ?? 'ld', e.message);
    return fail();
  }
  for (const e of table.errors) err(e.file, e.message);
  const entryName = opts.entry ?? '_start';
  for (const g of table.globals.values()) {
    if (!g.def && !g.common && !g.weakRef && g.ref && !LINKER_DEFINED.includes(g.name)) {
      err(g.ref.name, `undefined reference to '${g.name}'`);
    }
  }
  if (diagnostics.length > 0) return fail();

  // ALIGN deletions, then gather input sections into output sections.
  const outs = new Map<string, OutSection>();
  for (const d of OUTPUT_ORDER) outs.set(d.name, newOut(d.name, d.type, d.flags));
  const debugOuts: OutSection[] = [];
  try {
    for (const o of objects) {
      o.obj.sections.forEach((s, i) => {
        o.maps[i] = applyAlignRelocs(s);
        o.place[i] = null;
        const name = outputNameOf(s);
        if (name === null) return;
        let out = outs.get(name);
        if (!out) {
          out = newOut(name, s.type, s.flags);
          outs.set(name, out);
          debugOuts.push(out);
        }
        const align = Math.max(1, s.addralign);
        if ((align & (align - 1)) !== 0 || align > 0x10000)
          throw new Error(`${o.name}: section '${s.name}' has a bad alignment ${align}`);
        if (s.size > MAX_SIZE)
          throw new Error(`${o.name}: section '${s.name}' is too large (${s.size} bytes)`);
        out.align = Math.max(out.align, align);
        const offset = alignUp(out.size, align);
        const size = s.type === SHT_NOBITS ? s.size : s.data.length;
        out.parts.push({ obj: o, sec: i, offset, size });
        o.place[i] = { out, offset };
        out.size = offset + size;
      });
    }
  } catch (e) {
    if (!(e instanceof Error) || e instanceof TypeError || e instanceof RangeError) throw e;
    err('ld', e.message);
    return fail();
  }
  // COMMON symbols go at the end of .bss.
  const bss = outs.get('.bss') as OutSection;
  const commons: Array<{ name: string; addrOffset: number }> = [];
  for (const g of table.globals.values()) {
    if (g.def || !g.common) continue;
    if (
      g.common.size > MAX_SIZE ||
      g.common.align > 0x10000 ||
      (g.common.align & (g.common.align - 1)) !== 0
    ) {
      err(
        g.common.obj.name,
        `bad common symbol '${g.name}' (size ${g.common.size}, alignment ${g.common.align})`,
      );
      return fail();
    }
    const off = alignUp(bss.size, g.common.align);
    bss.align = Math.max(bss.align, g.common.align);
    bss.size = off + g.common.size;
    commons.push({ name: g.name, addrOffset: off });
  }

  // Addresses: one page-aligned segment per kind; file offsets congruent to addresses.
  const base = opts.base ?? USER_LINK_BASE;
  let addr = base;
  let fileOff = PAGE;
  const segs: Array<{ flags: number; vaddr: number; offset: number; filesz: number; memsz: number }> = [];
  for (const seg of [0, 1, 2]) {
    const list = OUTPUT_ORDER.filter((d) => d.seg === seg)
      .map((d) => outs.get(d.name) as OutSection)
      .filter((o) => o.size > 0);
    if (list.length === 0) continue;
    addr = alignUp(addr, PAGE);
    fileOff = alignUp(fileOff, PAGE);
    const start = addr;
    const startOff = fileOff;
    let filesz = 0;
    for (const o of list) {
      addr = alignUp(addr, o.align);
      o.addr = addr;
      o.fileOffset = startOff + (addr - start);
      addr += o.size;
      if (o.type !== SHT_NOBITS) filesz = addr - start;
    }
    fileOff = startOff + filesz;
    segs.push({
      flags: seg === 0 ? 5 : seg === 1 ? 4 : 6,
      vaddr: start,
      offset: startOff,
      filesz,
      memsz: addr - start,
    });
  }
  if (addr - base > MAX_SIZE) {
    err('ld', `the program is too large (${addr - base} bytes)`);
    return fail();
  }
  const out = (n: string): OutSection => outs.get(n) as OutSection;
  const dataStart = [
    out('.preinit_array'),
    out('.init_array'),
    out('.fini_array'),
    out('.data'),
    out('.sdata'),
  ].find((o) => o.size > 0);
  const endOfData = addr;
  const bssStart =
    out('.sbss').size > 0 ? out('.sbss').addr : out('.bss').size > 0 ? out('.bss').addr : endOfData;
  const sdataStart =
    out('.sdata').size > 0
      ? out('.sdata').addr
      : dataStart
        ? dataStart.addr + (dataStart === out('.sdata') ? 0 : 0)
        : bssStart;
  const edata = out('.sbss').size > 0 || out('.bss').size > 0 ? bssStart : endOfData;
  const arr = (n: string, end: boolean): number =>
    (end ? out(n).addr + out(n).size : out(n).addr) || bssStart;
  const defined = new Map<string, number>([
    ['__global_pointer$', (out('.sdata').size > 0 ? out('.sdata').addr : sdataStart) + 0x800],
    ['__SDATA_BEGIN__', sdataStart],
    ['__DATA_BEGIN__', dataStart ? dataStart.addr : bssStart],
    ['_end', endOfData],
    ['end', endOfData],
    ['__BSS_END__', endOfData],
    ['__bss_start', bssStart],
    ['_edata', edata],
    ['edata', edata],
    ['_etext', out('.text').addr + out('.text').size],
    ['etext', out('.text').addr + out('.text').size],
    ['__etext', out('.text').addr + out('.text').size],
    ['__init_array_start', arr('.init_array', false)],
    ['__init_array_end', arr('.init_array', true)],
    ['__fini_array_start', arr('.fini_array', false)],
    ['__fini_array_end', arr('.fini_array', true)],
    ['__preinit_array_start', arr('.preinit_array', false)],
    ['__preinit_array_end', arr('.preinit_array', true)],
  ]);
  for (const c of commons) defined.set(c.name, bss.addr + c.addrOffset);

  // Symbol values.
  const localValue = (o: InObject, idx: number): number | null => {
    const s = o.obj.symbols[idx];
    if (!s) return null;
    if (s.shndx === SHN_ABS) return s.value;
    if (s.shndx === SHN_UNDEF || s.shndx === SHN_COMMON || s.shndx >= 0xff00) return null;
    const p = o.place[s.shndx - 1];
    const map = o.maps[s.shndx - 1];
    if (!p) return 0;
    return (p.out.addr + p.offset + (map ? map(s.value) : s.value)) >>> 0;
  };
  const globalValue = (name: string): number | null => {
    const g = table.globals.get(name);
    if (g?.def) return localValue(g.def.obj, g.def.sym);
    const v = defined.get(name);
    if (v !== undefined) return v >>> 0;
    return g && g.weakRef ? 0 : null;
  };
  const symbols = new Map<string, number>();
  for (const name of table.globals.keys()) {
    const v = globalValue(name);
    if (v !== null) symbols.set(name, v);
  }
  for (const [n, v] of defined) if (!symbols.has(n)) symbols.set(n, v >>> 0);
  const entry = symbols.get(entryName);
  if (entry === undefined) {
    err('ld', `entry symbol '${entryName}' is not defined`);
    return fail();
  }

  // Contents and relocations.
  for (const o of [...outs.values()]) {
    if (o.type === SHT_NOBITS) continue;
    o.data = new Uint8Array(o.size);
    for (const p of o.parts) {
      const s = p.obj.obj.sections[p.sec];
      if (s) o.data.set(s.data, p.offset);
    }
  }
  relocateAll([...outs.values()], {
    symbolValue: (o, idx, addend) => {
      const s = o.obj.symbols[idx];
      if (!s) return { error: `bad symbol index ${idx}` };
      if (idx === 0) return { value: 0 };
      if (s.bind !== STB_LOCAL && s.shndx === SHN_UNDEF) {
        const v = globalValue(s.name);
        return v === null ? { error: `undefined reference to '${s.name}'` } : { value: v };
      }
      if (s.bind !== STB_LOCAL) {
        const v = globalValue(s.name);
        if (v !== null) return { value: v };
      }
      if (s.type === STT_SECTION) {
        // Section-relative addends point into the section: remap them past ALIGN deletions.
        const map = o.maps[s.shndx - 1];
        const p = o.place[s.shndx - 1];
        if (!p) return { value: 0 };
        const target = map ? map(addend) : addend;
        return { value: (p.out.addr + p.offset + target - addend) >>> 0 };
      }
      const v = localValue(o, idx);
      return v === null ? { error: `symbol '${s.name}' has no address` } : { value: v };
    },
    error: err,
  });
  if (diagnostics.length > 0) return fail();

  const lines = buildLineTable(objects, (o, idx) => localValue(o, idx) ?? 0);
  const ordered = [
    ...OUTPUT_ORDER.map((d) => out(d.name)).filter((o) => o.size > 0),
    ...debugOuts.filter((o) => o.size > 0),
  ];
  const elf = writeExecutable({
    sections: ordered,
    segments: segs,
    entry,
    objects,
    table,
    defined,
    localValue,
    lines,
  });
  return { elf, map: opts.map ? formatMap(ordered, objects, symbols) : null, diagnostics, symbols };
}

export { ObjFormatError };
