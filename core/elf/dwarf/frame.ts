// DWARF call frame information (.debug_frame, DWARF 2-5 CIE versions 1, 3 and 4): the table that
// says, for every code address, how to compute the canonical frame address (CFA) and where each
// register of the caller was saved. GCC writes it for every -g object and futcc -g for its own
// frames; with it a debugger unwinds exactly — in epilogues, shrink-wrapped and frame-pointer-less
// code — instead of guessing from the prologue.

import { Cursor, DwarfError } from './cursor';

/** How to recover one register of the caller. */
export type RegisterRule =
  | { kind: 'undefined' }
  | { kind: 'same' }
  /** Saved in memory at CFA + off. */
  | { kind: 'offset'; off: number }
  /** Its value is CFA + off. */
  | { kind: 'val-offset'; off: number }
  /** Held in another register. */
  | { kind: 'register'; reg: number };

/** One row of the table: the CFA rule and the rules of the registers it names. */
export interface FrameRow {
  cfaReg: number;
  cfaOffset: number;
  /** Registers absent here keep their value ("same value"). */
  regs: ReadonlyMap<number, RegisterRule>;
}

interface Cie {
  codeAlign: number;
  dataAlign: number;
  raReg: number;
  initial: Uint8Array;
  addressSize: number;
}

/** One function's (or range's) description. */
export interface FrameDescriptionEntry {
  start: number;
  end: number;
  raReg: number;
  row(pc: number): FrameRow | undefined;
}

const CIE_ID_32 = 0xffffffff;

/** Decodes every FDE of a .debug_frame section (32-bit DWARF; 64-bit units are skipped). */
export function decodeDebugFrame(data: Uint8Array): FrameDescriptionEntry[] {
  const cies = new Map<number, Cie>();
  const fdes: FrameDescriptionEntry[] = [];
  const c = new Cursor(data);
  while (c.pos + 4 <= data.length) {
    const at = c.pos;
    const length = c.u32();
    if (length === 0) continue; // padding
    if (length === 0xffffffff) throw new DwarfError('64-bit DWARF call frame information is not supported');
    const end = c.pos + length;
    if (end > data.length) throw new DwarfError(`call frame entry at ${at} runs past the section`);
    const id = c.u32();
    const unit = new Cursor(data, c.pos, end);
    if (id === CIE_ID_32) cies.set(at, readCie(unit));
    else {
      const cie = cies.get(id) ?? readCieAt(data, id, cies);
      const start = readAddress(unit, cie.addressSize);
      const range = readAddress(unit, cie.addressSize);
      const instructions = unit.bytes(unit.end - unit.pos);
      fdes.push(makeFde(cie, start >>> 0, (start + range) >>> 0, instructions));
    }
    c.pos = end;
  }
  return fdes.sort((a, b) => a.start - b.start);
}

function readCieAt(data: Uint8Array, off: number, cies: Map<number, Cie>): Cie {
  const c = new Cursor(data, off);
  const length = c.u32();
  if (c.u32() !== CIE_ID_32) throw new DwarfError(`FDE points at ${off}, which is not a CIE`);
  const cie = readCie(new Cursor(data, c.pos, Math.min(data.length, off + 4 + length)));
  cies.set(off, cie);
  return cie;
}

function readCie(c: Cursor): Cie {
  const version = c.u8();
  if (version !== 1 && version !== 3 && version !== 4)
    throw new DwarfError(`unsupported call frame information version ${version}`);
  const augmentation = c.cstr();
  if (augmentation !== '') throw new DwarfError(`unsupported CIE augmentation "${augmentation}"`);
  let addressSize = 4;
  if (version === 4) {
    addressSize = c.u8();
    c.u8(); // segment selector size
  }
  const codeAlign = c.uleb();
  const dataAlign = c.sleb();
  const raReg = version === 1 ? c.u8() : c.uleb();
  return { codeAlign, dataAlign, raReg, addressSize, initial: c.bytes(c.end - c.pos) };
}

function readAddress(c: Cursor, size: number): number {
  if (size === 4) return c.u32();
  if (size === 8) return c.u64();
  throw new DwarfError(`unsupported address size ${size} in call frame information`);
}

interface State {
  cfaReg: number;
  cfaOffset: number;
  regs: Map<number, RegisterRule>;
}

const copy = (s: State): State => ({ cfaReg: s.cfaReg, cfaOffset: s.cfaOffset, regs: new Map(s.regs) });

function makeFde(cie: Cie, start: number, end: number, instructions: Uint8Array): FrameDescriptionEntry {
  let rows: Array<{ at: number; row: FrameRow }> | null = null;
  return {
    start,
    end,
    raReg: cie.raReg,
    row(pc: number): FrameRow | undefined {
      if (pc < start || pc >= end) return undefined;
      if (!rows) {
        try {
          rows = runProgram(cie, start, instructions);
        } catch (e) {
          if (!(e instanceof DwarfError)) throw e;
          rows = []; // a program we cannot follow describes nothing, rather than something wrong
        }
      }
      let best: FrameRow | undefined;
      for (const r of rows) {
        if (r.at > pc) break;
        best = r.row;
      }
      return best;
    },
  };
}

/** Runs the CIE's initial instructions then the FDE's, recording a row at each location change. */
function runProgram(cie: Cie, start: number, instructions: Uint8Array): Array<{ at: number; row: FrameRow }> {
  const init: State = { cfaReg: 2, cfaOffset: 0, regs: new Map() };
  execute(cie, new Cursor(cie.initial), init, null, () => undefined);
  const initialRules = new Map(init.regs);
  const state = copy(init);
  const rows: Array<{ at: number; row: FrameRow }> = [];
  let loc = start;
  const emit = (next: number): void => {
    rows.push({
      at: loc,
      row: { cfaReg: state.cfaReg, cfaOffset: state.cfaOffset, regs: new Map(state.regs) },
    });
    loc = next;
  };
  execute(
    cie,
    new Cursor(instructions),
    state,
    initialRules,
    (next) => emit(next),
    () => loc,
  );
  rows.push({
    at: loc,
    row: { cfaReg: state.cfaReg, cfaOffset: state.cfaOffset, regs: new Map(state.regs) },
  });
  return rows;
}

function execute(
  cie: Cie,
  c: Cursor,
  s: State,
  initialRules: Map<number, RegisterRule> | null,
  advance: (next: number) => void,
  here: () => number = () => 0,
): void {
  const stack: State[] = [];
  const restore = (reg: number): void => {
    const r = initialRules?.get(reg);
    if (r) s.regs.set(reg, r);
    else s.regs.delete(reg);
  };
  const offset = (reg: number, factored: number): void => {
    s.regs.set(reg, { kind: 'offset', off: factored * cie.dataAlign });
  };
  while (!c.done) {
    const op = c.u8();
    const high = op & 0xc0;
    const low = op & 0x3f;
    if (high === 0x40) advance(here() + low * cie.codeAlign);
    else if (high === 0x80) offset(low, c.uleb());
    else if (high === 0xc0) restore(low);
    else
      switch (op) {
        case 0x00: // nop
          break;
        case 0x01: // set_loc
          advance(readAddress(c, cie.addressSize));
          break;
        case 0x02:
          advance(here() + c.u8() * cie.codeAlign);
          break;
        case 0x03:
          advance(here() + c.u16() * cie.codeAlign);
          break;
        case 0x04:
          advance(here() + c.u32() * cie.codeAlign);
          break;
        case 0x05: // offset_extended
          offset(c.uleb(), c.uleb());
          break;
        case 0x06: // restore_extended
          restore(c.uleb());
          break;
        case 0x07:
          s.regs.set(c.uleb(), { kind: 'undefined' });
          break;
        case 0x08:
          s.regs.set(c.uleb(), { kind: 'same' });
          break;
        case 0x09: {
          const reg = c.uleb();
          s.regs.set(reg, { kind: 'register', reg: c.uleb() });
          break;
        }
        case 0x0a: // remember_state (the CFA rule too, as GCC and GDB do)
          stack.push(copy(s));
          break;
        case 0x0b: {
          const top = stack.pop();
          if (!top) throw new DwarfError('DW_CFA_restore_state without a remembered state');
          s.cfaReg = top.cfaReg;
          s.cfaOffset = top.cfaOffset;
          s.regs = top.regs;
          break;
        }
        case 0x0c: // def_cfa
          s.cfaReg = c.uleb();
          s.cfaOffset = c.uleb();
          break;
        case 0x0d:
          s.cfaReg = c.uleb();
          break;
        case 0x0e:
          s.cfaOffset = c.uleb();
          break;
        case 0x11: // offset_extended_sf
          offset(c.uleb(), c.sleb());
          break;
        case 0x12: // def_cfa_sf
          s.cfaReg = c.uleb();
          s.cfaOffset = c.sleb() * cie.dataAlign;
          break;
        case 0x13: // def_cfa_offset_sf
          s.cfaOffset = c.sleb() * cie.dataAlign;
          break;
        case 0x14: {
          const reg = c.uleb();
          s.regs.set(reg, { kind: 'val-offset', off: c.uleb() * cie.dataAlign });
          break;
        }
        case 0x15: {
          const reg = c.uleb();
          s.regs.set(reg, { kind: 'val-offset', off: c.sleb() * cie.dataAlign });
          break;
        }
        default:
          // DW_CFA_def_cfa_expression, expression, val_expression and vendor ops: not described
          // here, so the caller falls back to its own analysis rather than trust a partial row.
          throw new DwarfError(`unsupported call frame instruction 0x${op.toString(16)}`);
      }
  }
}
