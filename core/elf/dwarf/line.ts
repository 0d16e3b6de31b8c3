// DWARF .debug_line (versions 2–5): runs each unit's line-number program and returns its rows
// (address → file, line, column), as GCC writes them for -g. Malformed input ends the unit's
// decode with what was read so far; nothing throws out of decodeDebugLine.

import { Cursor, DwarfError, stringAt } from './cursor';

export interface DwarfLineRow {
  addr: number;
  file: string;
  line: number;
  col: number;
  isStmt: boolean;
  /** The first address after a sequence (no code of its own). */
  endSequence: boolean;
}

export interface DwarfStrings {
  debugStr?: Uint8Array;
  debugLineStr?: Uint8Array;
}

const DW_FORM_block = 0x09;
const DW_FORM_data1 = 0x0b;
const DW_FORM_data2 = 0x05;
const DW_FORM_data4 = 0x06;
const DW_FORM_data8 = 0x07;
const DW_FORM_data16 = 0x1e;
const DW_FORM_string = 0x08;
const DW_FORM_strp = 0x0e;
const DW_FORM_line_strp = 0x1f;
const DW_FORM_udata = 0x0f;
const DW_LNCT_path = 1;
const DW_LNCT_directory_index = 2;

interface Header {
  version: number;
  offset64: boolean;
  minInst: number;
  defaultIsStmt: boolean;
  lineBase: number;
  lineRange: number;
  opcodeBase: number;
  stdLengths: number[];
  files: string[];
  programStart: number;
}

function joinPath(dir: string, name: string): string {
  if (!dir || name.startsWith('/')) return name;
  return `${dir.replace(/\/+$/, '')}/${name}`;
}

/** Reads one v5 entry-format-described value. */
function formValue(c: Cursor, form: number, h: Header, strs: DwarfStrings): string | number {
  switch (form) {
    case DW_FORM_string:
      return c.cstr();
    case DW_FORM_line_strp:
      return stringAt(strs.debugLineStr, h.offset64 ? c.u64() : c.u32());
    case DW_FORM_strp:
      return stringAt(strs.debugStr, h.offset64 ? c.u64() : c.u32());
    case DW_FORM_udata:
      return c.uleb();
    case DW_FORM_data1:
      return c.u8();
    case DW_FORM_data2:
      return c.u16();
    case DW_FORM_data4:
      return c.u32();
    case DW_FORM_data8:
      return c.u64();
    case DW_FORM_data16:
      c.skip(16);
      return 0;
    case DW_FORM_block:
      c.skip(c.uleb());
      return 0;
    default:
      throw new DwarfError(`unsupported form 0x${form.toString(16)} in a .debug_line header`);
  }
}

function entryTable(c: Cursor, h: Header, strs: DwarfStrings): { path: string; dir: number }[] {
  const formats: [number, number][] = [];
  const nFormats = c.u8();
  for (let i = 0; i < nFormats; i++) formats.push([c.uleb(), c.uleb()]);
  const count = c.uleb();
  const out: { path: string; dir: number }[] = [];
  for (let i = 0; i < count; i++) {
    let path = '';
    let dir = 0;
    for (const [type, form] of formats) {
      const v = formValue(c, form, h, strs);
      if (type === DW_LNCT_path) path = String(v);
      else if (type === DW_LNCT_directory_index) dir = Number(v);
    }
    out.push({ path, dir });
  }
  return out;
}

function readHeader(c: Cursor, offset64: boolean, strs: DwarfStrings): Header {
  const version = c.u16();
  if (version < 2 || version > 5) throw new DwarfError(`unsupported .debug_line version ${version}`);
  if (version >= 5) c.skip(2); // address_size, segment_selector_size
  const headerLength = offset64 ? c.u64() : c.u32();
  const programStart = c.pos + headerLength;
  const minInst = c.u8();
  if (version >= 4) c.u8(); // maximum_operations_per_instruction (VLIW only)
  const h: Header = {
    version,
    offset64,
    minInst,
    defaultIsStmt: c.u8() !== 0,
    lineBase: c.i8(),
    lineRange: c.u8(),
    opcodeBase: c.u8(),
    stdLengths: [],
    files: [],
    programStart,
  };
  if (h.lineRange === 0) throw new DwarfError('line_range of 0 in a .debug_line header');
  for (let i = 1; i < h.opcodeBase; i++) h.stdLengths.push(c.u8());
  if (version >= 5) {
    const dirs = entryTable(c, h, strs).map((d) => d.path);
    h.files = entryTable(c, h, strs).map((f) => joinPath(dirs[f.dir] ?? '', f.path));
  } else {
    const dirs = [''];
    for (let s = c.cstr(); s !== ''; s = c.cstr()) dirs.push(s);
    h.files.push(''); // file numbers start at 1 before DWARF 5
    for (let s = c.cstr(); s !== ''; s = c.cstr()) {
      const dir = c.uleb();
      c.uleb(); // mtime
      c.uleb(); // length
      h.files.push(joinPath(dirs[dir] ?? '', s));
    }
  }
  return h;
}

function runProgram(c: Cursor, h: Header, rows: DwarfLineRow[]): void {
  let addr = 0;
  let file = 1;
  let line = 1;
  let col = 0;
  let isStmt = h.defaultIsStmt;
  const reset = (): void => {
    addr = 0;
    file = 1;
    line = 1;
    col = 0;
    isStmt = h.defaultIsStmt;
  };
  const emit = (endSequence: boolean): void => {
    rows.push({ addr: addr >>> 0, file: h.files[file] ?? `<file ${file}>`, line, col, isStmt, endSequence });
  };
  while (!c.done) {
    const op = c.u8();
    if (op >= h.opcodeBase) {
      const adj = op - h.opcodeBase;
      addr += Math.floor(adj / h.lineRange) * h.minInst;
      line += h.lineBase + (adj % h.lineRange);
      emit(false);
      continue;
    }
    switch (op) {
      case 0: {
        const len = c.uleb();
        const end = c.pos + len;
        const sub = len > 0 ? c.u8() : 0;
        if (sub === 1) {
          emit(true);
          reset();
        } else if (sub === 2) addr = len - 1 === 8 ? c.u64() : c.u32();
        c.pos = end;
        break;
      }
      case 1:
        emit(false);
        break;
      case 2:
        addr += c.uleb() * h.minInst;
        break;
      case 3:
        line += c.sleb();
        break;
      case 4:
        file = c.uleb();
        break;
      case 5:
        col = c.uleb();
        break;
      case 6:
        isStmt = !isStmt;
        break;
      case 8:
        addr += Math.floor((255 - h.opcodeBase) / h.lineRange) * h.minInst;
        break;
      case 9:
        addr += c.u16();
        break;
      case 7:
      case 10:
      case 11:
        break;
      default:
        // Unknown standard opcode: skip its ULEB operands as the header says.
        for (let i = 0; i < (h.stdLengths[op - 1] ?? 0); i++) c.uleb();
    }
  }
}

/** Every row of every unit in `.debug_line`, in section order. */
export function decodeDebugLine(section: Uint8Array, strs: DwarfStrings = {}): DwarfLineRow[] {
  const rows: DwarfLineRow[] = [];
  const c = new Cursor(section);
  while (c.pos + 4 <= section.length) {
    let unitEnd: number;
    let offset64 = false;
    try {
      let len = c.u32();
      if (len === 0xffffffff) {
        offset64 = true;
        len = c.u64();
      }
      unitEnd = c.pos + len;
      if (unitEnd > section.length) return rows;
    } catch {
      return rows;
    }
    try {
      const h = readHeader(new Cursor(section, c.pos, unitEnd), offset64, strs);
      runProgram(new Cursor(section, h.programStart, unitEnd), h, rows);
    } catch (e) {
      if (!(e instanceof DwarfError)) throw e;
    }
    c.pos = unitEnd;
  }
  return rows;
}
