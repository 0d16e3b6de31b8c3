// A DWARF (version 3) .debug_line program built from `.loc`/`.file N` directives, as GNU as
// does, so debuggers see line info for futcc-assembled code (and for `gcc -S -g` output, whose
// .debug_info points at a .debug_line it leaves to the assembler). One sequence per code
// section; each starts with DW_LNE_set_address relocated against the section symbol.
import { R_RISCV } from '../../elf/constants';
import { ByteWriter } from '../obj/bytes';
import type { ObjReloc, ObjSection } from '../obj/types';
import { utf8Encode } from '../../util/utf8';
import type { AsmState, LocRecord, Section } from './state';

const uleb = (w: ByteWriter, v: number): void => {
  let x = v >>> 0;
  do {
    const b = x & 0x7f;
    x >>>= 7;
    w.u8(x !== 0 ? b | 0x80 : b);
  } while (x !== 0);
};
const sleb = (w: ByteWriter, v: number): void => {
  let x = v | 0;
  while (true) {
    const b = x & 0x7f;
    x >>= 7;
    const done = (x === 0 && (b & 0x40) === 0) || (x === -1 && (b & 0x40) !== 0);
    w.u8(done ? b : b | 0x80);
    if (done) return;
  }
};

const DW_LNS_copy = 1;
const DW_LNS_advance_pc = 2;
const DW_LNS_advance_line = 3;
const DW_LNS_set_file = 4;
const DW_LNS_set_column = 5;
const DW_LNS_negate_stmt = 6;

/** Fills (or creates) `.debug_line`; does nothing without `.loc` or when it already has data. */
export function emitDebugLine(
  st: AsmState,
  sections: ObjSection[],
  secIndex: Map<Section, number>,
  sectionSym: Map<Section, number>,
  addrOf: (l: LocRecord) => number,
): void {
  if (st.locs.length === 0) return;
  let target = sections.find((s) => s.name === '.debug_line');
  if (target && target.data.length > 0) return;
  if (!target) {
    target = {
      name: '.debug_line',
      type: 1,
      flags: 0,
      addralign: 1,
      entsize: 0,
      data: new Uint8Array(0),
      size: 0,
      relocs: [],
    };
    sections.push(target);
  }
  const w = new ByteWriter();
  const relocs: ObjReloc[] = [];
  w.u32(0); // unit_length, patched below
  w.u16(3);
  const headerLengthAt = w.length;
  w.u32(0);
  const headerStart = w.length;
  w.bytes([1, 1, 0xfb /* line_base -5 */, 14, 13]);
  w.bytes([0, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0, 1]);
  w.u8(0); // no include directories
  const maxFile = Math.max(1, ...st.lineFiles.keys());
  for (let i = 1; i <= maxFile; i++) {
    w.bytes(utf8Encode(st.lineFiles.get(i) ?? st.sourceFile ?? '<unknown>'));
    w.u8(0);
    w.bytes([0, 0, 0]);
  }
  w.u8(0);
  w.patch32(headerLengthAt, w.length - headerStart);
  const bySection = new Map<Section, LocRecord[]>();
  for (const l of st.locs) {
    const list = bySection.get(l.section) ?? [];
    list.push(l);
    bySection.set(l.section, list);
  }
  for (const [sec, locs] of bySection) {
    if (!secIndex.has(sec)) continue;
    let addr = addrOf(locs[0] as LocRecord);
    w.bytes([0, 5, 2]);
    relocs.push({ offset: w.length, type: R_RISCV.R32, sym: sectionSym.get(sec) ?? 0, addend: addr });
    w.u32(0);
    let file = 1;
    let line = 1;
    let col = 0;
    let stmt = true;
    for (const l of locs) {
      const a = addrOf(l);
      if (l.file !== file) {
        w.u8(DW_LNS_set_file);
        uleb(w, l.file);
        file = l.file;
      }
      if (l.col !== col) {
        w.u8(DW_LNS_set_column);
        uleb(w, l.col);
        col = l.col;
      }
      if (l.isStmt !== stmt) {
        w.u8(DW_LNS_negate_stmt);
        stmt = l.isStmt;
      }
      if (l.line !== line) {
        w.u8(DW_LNS_advance_line);
        sleb(w, l.line - line);
        line = l.line;
      }
      if (a !== addr) {
        w.u8(DW_LNS_advance_pc);
        uleb(w, a - addr);
        addr = a;
      }
      w.u8(DW_LNS_copy);
    }
    if (sec.size > addr) {
      w.u8(DW_LNS_advance_pc);
      uleb(w, sec.size - addr);
    }
    w.bytes([0, 1, 1]); // DW_LNE_end_sequence
  }
  const data = w.finish();
  const view = new ByteWriter();
  view.u32(data.length - 4);
  data.set(view.finish(), 0);
  target.data = data;
  target.size = data.length;
  target.relocs = relocs;
}
