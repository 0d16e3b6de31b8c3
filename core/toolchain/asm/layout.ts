// Layout (choosing branch sizes and alignment padding until addresses are stable) and encoding
// (filling immediates, emitting relocations) into an ELF object model, the way GNU as does without
// linker relaxation: branches and pc-relative references always keep their relocations.
import {
  EF_RISCV_FLOAT_ABI_DOUBLE,
  EF_RISCV_RVC,
  R_RISCV,
  SHN_ABS,
  SHN_COMMON,
  SHN_UNDEF,
  SHT_NOBITS,
  STB_GLOBAL,
  STB_LOCAL,
  STB_WEAK,
  STT_FILE,
  STT_SECTION,
} from '../../elf/constants';
import { ByteWriter } from '../obj/bytes';
import { fitsSigned, hi20, immB, immI, immJ, immS, immU, lo12 } from '../obj/fields';
import { nullSymbol, type ObjectModel, type ObjReloc, type ObjSection, type ObjSymbol } from '../obj/types';
import { utf8Encode } from '../../util/utf8';
import { cBranch, cJump } from './compress';
import { emitDebugLine } from './dwarf-line';
import { AsmError } from './diag';
import { evalExpr, type Val } from './expr';
import type { AsmState, Fixup, Item, Section, Sym } from './state';

/** Names of the sections carrying `.loc` line records in objects (format: see lineRecords). */
export const LOC_SECTION = '.futura.loc';
export const LOC_FILES_SECTION = '.futura.files';

const BRANCH_REACH = 1 << 13;
const RVC_BRANCH_REACH = 1 << 9;
const RVC_JUMP_REACH = 1 << 12;

function branchTarget(st: AsmState, it: Item & { k: 'br' }): Val {
  return evalExpr(it.target, (n, l, c) => st.value(n, l, c), it.line, it.col);
}

/** The length GNU as picks for a branch or jump (its relaxed_branch_length). */
function branchLength(st: AsmState, sec: Section, it: Item & { k: 'br' }): number {
  if (it.forced) return 2;
  const jump = it.f3 < 0;
  const v = branchTarget(st, it);
  let length = jump ? 4 : 8;
  if (v.sym && !v.sub && v.sym.section === sec.name && !v.sym.weak) {
    const dist = v.sym.offset + v.n - it.addr;
    const rvcReach = jump ? RVC_JUMP_REACH : RVC_BRANCH_REACH;
    if (it.rvc && dist >= -rvcReach / 2 && dist < rvcReach / 2) length = 2;
    else if (dist >= -BRANCH_REACH / 2 && dist < BRANCH_REACH / 2) length = 4;
    else if (!jump && it.rvc) length = 6;
  }
  return length;
}

function alignPad(it: Item & { k: 'align' }, addr: number): number {
  const pad = (it.bytes - (addr % it.bytes)) % it.bytes;
  return it.max > 0 && pad > it.max ? 0 : pad;
}

export function itemSize(it: Item): number {
  return it.k === 'data' ? it.bytes.length : it.size;
}

/** Assigns addresses; branch sizes only grow, so the iteration terminates. */
export function layout(st: AsmState): void {
  // GNU as pads code sections to their alignment with nops.
  for (const sec of st.sections.values()) {
    if ((sec.flags & 4) !== 0 && sec.align > 1) {
      sec.items.push({
        k: 'align',
        bytes: sec.align,
        fill: null,
        max: 0,
        code: true,
        rvc: st.rvc,
        size: 0,
        addr: 0,
      });
    }
  }
  // Like GNU as, start every branch at its worst-case form and let sizes move (shrink or grow)
  // until stable; the fixed point reached from above is the one GNU as picks. If that ever
  // oscillates, later passes only grow, which always terminates.
  for (const sec of st.sections.values()) {
    let addr = 0;
    for (const it of sec.items) {
      it.addr = addr;
      if (it.k === 'br') it.size = it.forced ? 2 : it.f3 < 0 ? 4 : 8;
      else if (it.k === 'align') it.size = alignPad(it, addr);
      addr += itemSize(it);
    }
    sec.size = addr;
  }
  for (let pass = 0; pass < 200; pass++) {
    let changed = false;
    for (const sec of st.sections.values()) {
      let addr = 0;
      for (const it of sec.items) {
        it.addr = addr;
        if (it.k === 'br') {
          const len = branchLength(st, sec, it);
          if (len > it.size || (pass < 50 && len < it.size)) {
            it.size = len;
            changed = true;
          }
        } else if (it.k === 'align') {
          const pad = alignPad(it, addr);
          if (pad !== it.size) {
            it.size = pad;
            changed = true;
          }
        }
        addr += itemSize(it);
      }
      sec.size = addr;
    }
    if (!changed) return;
  }
}

interface PendingReloc {
  offset: number;
  type: number;
  sym: Sym | null;
  secSym: Section | null;
  addend: number;
}

const put32 = (b: Uint8Array, o: number, v: number): void => {
  b[o] = v & 0xff;
  b[o + 1] = (v >>> 8) & 0xff;
  b[o + 2] = (v >>> 16) & 0xff;
  b[o + 3] = (v >>> 24) & 0xff;
};
const get32 = (b: Uint8Array, o: number): number =>
  ((b[o] ?? 0) | ((b[o + 1] ?? 0) << 8) | ((b[o + 2] ?? 0) << 16) | ((b[o + 3] ?? 0) << 24)) >>> 0;

/** Encodes all sections and builds the object model. */
export function encode(st: AsmState): ObjectModel {
  const relocs = new Map<Section, PendingReloc[]>();
  const contents = new Map<Section, Uint8Array>();
  const lookup = (n: string, l: number, c: number): Val => st.value(n, l, c);
  const symOf = (key: string): Sym => st.sym(key);
  for (const sec of st.sections.values()) {
    const rel: PendingReloc[] = [];
    relocs.set(sec, rel);
    if (sec.type === SHT_NOBITS) {
      // No contents to build: only check that nothing but zeros was put there.
      for (const it of sec.items) {
        const nonZero = it.k === 'data' && (it.fixups.length > 0 || it.bytes.some((b) => b !== 0));
        if (
          nonZero ||
          it.k === 'br' ||
          (it.k === 'align' && it.fill !== null && it.fill !== 0 && it.size > 0)
        ) {
          const where = it.k === 'align' ? { line: 0, col: 0 } : it;
          throw new AsmError(
            `section '${sec.name}' (nobits) cannot hold non-zero data`,
            where.line,
            where.col,
          );
        }
      }
      contents.set(sec, new Uint8Array(0));
      continue;
    }
    const out = new Uint8Array(sec.size);
    contents.set(sec, out);
    for (const it of sec.items) {
      if (it.k === 'data') {
        out.set(it.bytes, it.addr);
        for (const f of it.fixups) applyFixup(st, sec, out, it.addr + f.off, f, rel, lookup, symOf);
      } else if (it.k === 'align') {
        fillAlign(out, it);
      } else {
        encodeBranch(st, sec, out, it, rel);
      }
    }
  }
  return buildModel(st, contents, relocs);
}

function fillAlign(out: Uint8Array, it: Item & { k: 'align' }): void {
  let a = it.addr;
  const end = it.addr + it.size;
  if (!it.code || it.fill !== null) {
    out.fill(it.fill ?? 0, a, end);
    return;
  }
  // Code padding: zero bytes up to 2-byte alignment, one c.nop if needed, then 4-byte nops.
  while ((end - a) % 2 !== 0) out[a++] = 0;
  if ((end - a) % 4 === 2) {
    if (it.rvc) {
      out[a++] = 0x01;
      out[a++] = 0x00;
    } else {
      out[a++] = 0;
      out[a++] = 0;
    }
  }
  for (; a < end; a += 4) put32(out, a, 0x00000013);
}

function encodeBranch(
  st: AsmState,
  sec: Section,
  out: Uint8Array,
  it: Item & { k: 'br' },
  rel: PendingReloc[],
): void {
  const v = branchTarget(st, it);
  if (v.sub || !v.sym) throw new AsmError('branch target must be a symbol', it.line, it.col);
  const target = st.sym(v.sym.name);
  const local = v.sym.section === sec.name && !v.sym.weak;
  const fieldAt = (pc: number): number => (local ? v.sym!.offset : 0) + v.n - pc;
  const check = (off: number, bits: number): void => {
    if (local && !fitsSigned(off, bits))
      throw new AsmError(`branch target out of range (${off} bytes)`, it.line, it.col);
  };
  const reloc = (offset: number, type: number): void =>
    void rel.push({ offset, type, sym: target, secSym: null, addend: v.n });
  const jump = it.f3 < 0;
  const a = it.addr;
  if (it.size === 2) {
    const off = fieldAt(a);
    check(off, jump ? 12 : 9);
    const half = jump ? cJump(it.rs1 === 1, off) : cBranch(it.f3 === 1, it.rs1, off);
    out[a] = half & 0xff;
    out[a + 1] = (half >>> 8) & 0xff;
    reloc(a, jump ? R_RISCV.RVC_JUMP : R_RISCV.RVC_BRANCH);
  } else if (it.size === 4) {
    const off = fieldAt(a);
    check(off, jump ? 21 : 13);
    if (jump) put32(out, a, (0x6f | (it.rs1 << 7) | immJ(off)) >>> 0);
    else put32(out, a, (0x63 | (it.f3 << 12) | (it.rs1 << 15) | (it.rs2 << 20) | immB(off)) >>> 0);
    reloc(a, jump ? R_RISCV.JAL : R_RISCV.BRANCH);
  } else {
    // Out of range: the inverted branch skips a jal to the target.
    const jalAt = a + it.size - 4;
    if (it.size === 6) {
      const half = cBranch(it.f3 !== 1, it.rs1, 6);
      out[a] = half & 0xff;
      out[a + 1] = (half >>> 8) & 0xff;
    } else {
      put32(out, a, (0x63 | ((it.f3 ^ 1) << 12) | (it.rs1 << 15) | (it.rs2 << 20) | immB(8)) >>> 0);
    }
    const off = fieldAt(jalAt);
    check(off, 21);
    put32(out, jalAt, (0x6f | immJ(off)) >>> 0);
    reloc(jalAt, R_RISCV.JAL);
  }
}

function applyFixup(
  st: AsmState,
  sec: Section,
  out: Uint8Array,
  at: number,
  f: Fixup,
  rel: PendingReloc[],
  lookup: (n: string, l: number, c: number) => Val,
  symOf: (key: string) => Sym,
): void {
  // Differences of code labels stay relocations in data (code may change size at link time).
  const v = evalExpr(f.expr, lookup, f.t.line, f.t.col, f.kind.startsWith('d'));
  const err = (m: string): never => {
    throw new AsmError(m, f.t.line, f.t.col);
  };
  const isConst = v.sym === null && v.sub === null;
  const w = get32(out, at);
  const needConst = (lo: number, hi: number): number => {
    if (!isConst) err('expression must be a constant');
    if (v.n < lo || v.n > hi) err(`immediate out of range: ${v.n} (allowed ${lo}..${hi})`);
    return v.n;
  };
  const plain = (type: number): void => {
    if (v.sub) err('a symbol difference is not allowed here');
    if (!v.sym) err('internal: no symbol');
    rel.push({ offset: at, type, sym: symOf(v.sym!.name), secSym: null, addend: v.n });
  };
  void sec;
  void st;
  switch (f.kind) {
    case 'i12':
      put32(out, at, (w | immI(needConst(-2048, 2047))) >>> 0);
      return;
    case 's12':
      put32(out, at, (w | immS(needConst(-2048, 2047))) >>> 0);
      return;
    case 'u20':
      put32(out, at, (w | immU(needConst(0, 0xfffff))) >>> 0);
      return;
    case 'sh5':
      put32(out, at, (w | (needConst(0, 31) << 20)) >>> 0);
      return;
    case 'hi20':
      // GNU as also leaves the addend's %hi/%lo in the field of relocated instructions.
      put32(out, at, (w | immU(hi20(v.n))) >>> 0);
      if (!isConst) plain(R_RISCV.HI20);
      return;
    case 'lo12i':
      put32(out, at, (w | immI(lo12(v.n))) >>> 0);
      if (!isConst) plain(R_RISCV.LO12_I);
      return;
    case 'lo12s':
      put32(out, at, (w | immS(lo12(v.n))) >>> 0);
      if (!isConst) plain(R_RISCV.LO12_S);
      return;
    case 'pcrel_hi20':
      if (isConst) err('%pcrel_hi needs a symbol');
      plain(R_RISCV.PCREL_HI20);
      return;
    case 'pcrel_lo12i':
    case 'pcrel_lo12s':
      if (isConst) err('%pcrel_lo needs the label of its %pcrel_hi instruction');
      plain(f.kind === 'pcrel_lo12i' ? R_RISCV.PCREL_LO12_I : R_RISCV.PCREL_LO12_S);
      return;
    case 'call':
      if (isConst) err('call target must be a symbol');
      plain(R_RISCV.CALL_PLT);
      return;
    case 'd8':
    case 'd16':
    case 'd32':
    case 'd64': {
      const size = { d8: 1, d16: 2, d32: 4, d64: 8 }[f.kind];
      if (isConst) {
        let x = BigInt.asUintN(64, BigInt(Math.trunc(v.n)));
        for (let i = 0; i < size; i++) {
          out[at + i] = Number(x & 0xffn);
          x >>= 8n;
        }
        return;
      }
      if (v.sym && v.sub) {
        const add = { 1: R_RISCV.ADD8, 2: R_RISCV.ADD16, 4: R_RISCV.ADD32, 8: R_RISCV.ADD64 }[size] ?? 0;
        const sub = { 1: R_RISCV.SUB8, 2: R_RISCV.SUB16, 4: R_RISCV.SUB32, 8: R_RISCV.SUB64 }[size] ?? 0;
        rel.push({ offset: at, type: add, sym: symOf(v.sym.name), secSym: null, addend: v.n });
        rel.push({ offset: at, type: sub, sym: symOf(v.sub.name), secSym: null, addend: 0 });
        return;
      }
      if (!v.sym) err('a negated symbol is not allowed here');
      if (size === 4) plain(R_RISCV.R32);
      else if (size === 8) plain(R_RISCV.R64);
      else err(`no ${size * 8}-bit absolute relocation on RISC-V`);
      return;
    }
  }
}

/** Builds sections, symbols and relocations of the object. */
function buildModel(
  st: AsmState,
  contents: Map<Section, Uint8Array>,
  relocs: Map<Section, PendingReloc[]>,
): ObjectModel {
  // Every section ever named is kept, even empty (labels may point into it, like GCC's
  // `.Ldebug_line0` in a .debug_line it expects the assembler to fill).
  const secs = [...st.sections.values()];
  const secIndex = new Map<Section, number>();
  const sections: ObjSection[] = secs.map((s, i) => {
    secIndex.set(s, i + 1);
    return {
      name: s.name,
      type: s.type,
      flags: s.flags,
      addralign: s.align,
      entsize: s.entsize,
      data: s.type === SHT_NOBITS ? new Uint8Array(0) : (contents.get(s) ?? new Uint8Array(0)),
      size: s.size,
      relocs: [],
    };
  });
  const symbols: ObjSymbol[] = [nullSymbol()];
  const symIndex = new Map<Sym, number>();
  const sectionSym = new Map<Section, number>();
  for (const s of secs) {
    sectionSym.set(s, symbols.length);
    symbols.push({
      name: s.name,
      value: 0,
      size: 0,
      bind: STB_LOCAL,
      type: STT_SECTION,
      shndx: secIndex.get(s) ?? 0,
      other: 0,
    });
  }
  if (st.sourceFile !== null)
    symbols.push({
      name: st.sourceFile,
      value: 0,
      size: 0,
      bind: STB_LOCAL,
      type: STT_FILE,
      shndx: SHN_ABS,
      other: 0,
    });
  const referenced = new Set<Sym>();
  for (const list of relocs.values()) for (const r of list) if (r.sym) referenced.add(r.sym);
  const lookup = (n: string, l: number, c: number): Val => st.value(n, l, c);
  const ordered = [...st.symbols.values()].sort(
    (a, b) => (a.bind === 'local' ? 0 : 1) - (b.bind === 'local' ? 0 : 1),
  );
  for (const s of ordered) {
    const temp = s.name.startsWith('.L');
    if (s.bind === 'local' && temp && !referenced.has(s)) continue;
    if (!s.defined && !s.common && !referenced.has(s) && s.bind === 'local') continue;
    const o: ObjSymbol = {
      name: s.name,
      value: 0,
      size: 0,
      bind: STB_LOCAL,
      type: s.type,
      shndx: SHN_UNDEF,
      other: 0,
    };
    o.bind =
      s.bind === 'weak'
        ? STB_WEAK
        : s.bind === 'global' || (!s.defined && !s.common)
          ? STB_GLOBAL
          : STB_LOCAL;
    if (s.common) {
      o.shndx = SHN_COMMON;
      o.value = s.common.align;
      o.size = s.common.size;
    } else if (s.equ) {
      const v = evalExpr(s.equ, lookup, s.line, s.col);
      if (v.sub || (v.sym && !v.sym.section)) {
        if (!referenced.has(s) && s.bind === 'local') continue;
        throw new AsmError(
          `symbol '${s.name}' cannot be represented (not a constant or label offset)`,
          s.line,
          s.col,
        );
      }
      if (v.sym) {
        const target = st.sym(v.sym.name);
        o.shndx = target.section ? (secIndex.get(target.section) ?? SHN_ABS) : SHN_ABS;
        o.value = (v.sym.offset + v.n) >>> 0;
      } else {
        o.shndx = SHN_ABS;
        o.value = v.n >>> 0;
      }
    } else if (s.defined && s.section) {
      o.shndx = secIndex.get(s.section) ?? SHN_UNDEF;
      o.value = st.offsetOf(s);
    }
    if (s.sizeExpr) {
      const v = evalExpr(s.sizeExpr, lookup, s.line, s.col);
      if (v.sym || v.sub) throw new AsmError(`.size of '${s.name}' must be a constant`, s.line, s.col);
      o.size = v.n >>> 0;
    }
    symIndex.set(s, symbols.length);
    symbols.push(o);
  }
  secs.forEach((s, i) => {
    const list = relocs.get(s) ?? [];
    (sections[i] as ObjSection).relocs = list.map((r): ObjReloc => ({
      offset: r.offset,
      type: r.type,
      sym: r.sym ? (symIndex.get(r.sym) ?? 0) : r.secSym ? (sectionSym.get(r.secSym) ?? 0) : 0,
      addend: r.addend,
    }));
  });
  lineRecords(st, sections, symbols, secIndex, sectionSym);
  emitDebugLine(st, sections, secIndex, sectionSym, (l) => {
    const it = l.section.items[l.idx];
    return it ? it.addr : l.section.size;
  });
  return { sections, symbols, flags: EF_RISCV_RVC | EF_RISCV_FLOAT_ABI_DOUBLE };
}

/**
 * Line records from `.loc`: section `.futura.loc` holds 12-byte little-endian records
 *   u32 address (an R_RISCV_32 relocation against the code section's symbol), u32 line,
 *   u16 column, u16 file index,
 * and `.futura.files` holds the file names, NUL-terminated, in index order (index = the
 * `.file N` number; missing numbers are empty strings). The linker merges them into one table.
 */
function lineRecords(
  st: AsmState,
  sections: ObjSection[],
  symbols: ObjSymbol[],
  secIndex: Map<Section, number>,
  sectionSym: Map<Section, number>,
): void {
  if (st.locs.length === 0) return;
  const w = new ByteWriter();
  const relocs: ObjReloc[] = [];
  for (const l of st.locs) {
    const it = l.section.items[l.idx];
    const addr = it ? it.addr : l.section.size;
    if (!secIndex.has(l.section)) continue;
    relocs.push({ offset: w.length, type: R_RISCV.R32, sym: sectionSym.get(l.section) ?? 0, addend: addr });
    w.u32(0);
    w.u32(l.line);
    w.u16(l.col);
    w.u16(l.file);
  }
  const files = new ByteWriter();
  const max = Math.max(0, ...st.lineFiles.keys());
  for (let i = 0; i <= max; i++) {
    files.bytes(utf8Encode(st.lineFiles.get(i) ?? ''));
    files.u8(0);
  }
  const data = w.finish();
  sections.push({
    name: LOC_SECTION,
    type: 1,
    flags: 0,
    addralign: 4,
    entsize: 12,
    data,
    size: data.length,
    relocs,
  });
  const fdata = files.finish();
  sections.push({
    name: LOC_FILES_SECTION,
    type: 1,
    flags: 0,
    addralign: 1,
    entsize: 0,
    data: fdata,
    size: fdata.length,
    relocs: [],
  });
  void symbols;
}
