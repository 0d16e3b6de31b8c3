// Call stacks without unwind tables: each function's prologue is decoded (GCC's and futcc's both
// start `addi sp,sp,-N; sw ra,..(sp); sw s0,..(sp); addi s0,sp,N`, in either encoding) to find where
// the return address and the caller's s0 are saved and how to get the frame's CFA, then the walk
// goes caller by caller. Works with and without a frame pointer, in leaf functions, and in the
// middle of a prologue.

import { expandCached } from '../../machine/rvc';
import type { FunctionSymbol, ProgramInfo } from './program-info';

export interface Prologue {
  /** Address after `addi sp, sp, -size` (0 size: none). */
  spAdjustAt: number;
  size: number;
  /** Address after `sw ra, raOffset(sp)`, or -1 when ra is not saved (a leaf). */
  raSavedAt: number;
  raOffset: number;
  s0SavedAt: number;
  s0Offset: number;
  /** Address after `addi s0, sp, size` (s0 = CFA from there on), or -1. */
  fpSetAt: number;
}

export interface Frame {
  pc: number;
  /** The canonical frame address: sp on entry to the function. */
  cfa: number;
  function?: string;
}

export interface UnwindMemory {
  readU32(addr: number): number | null;
  readU16(addr: number): number | null;
}

const signExtend12 = (v: number): number => (v << 20) >> 20;

/** Decodes the first instructions of `fn` (at most 24) for the prologue's effects. */
export function analyzePrologue(fn: FunctionSymbol, mem: UnwindMemory): Prologue {
  const p: Prologue = {
    spAdjustAt: -1,
    size: 0,
    raSavedAt: -1,
    raOffset: 0,
    s0SavedAt: -1,
    s0Offset: 0,
    fpSetAt: -1,
  };
  let pc = fn.start;
  for (let i = 0; i < 24 && pc < fn.end; i++) {
    const lo = mem.readU16(pc);
    if (lo === null) break;
    let insn: number;
    let len: number;
    if ((lo & 3) !== 3) {
      insn = expandCached(lo);
      len = 2;
    } else {
      const w = mem.readU32(pc);
      if (w === null) break;
      insn = w;
      len = 4;
    }
    const next = pc + len;
    const opcode = insn & 0x7f;
    const rd = (insn >>> 7) & 31;
    const f3 = (insn >>> 12) & 7;
    const rs1 = (insn >>> 15) & 31;
    const rs2 = (insn >>> 20) & 31;
    if (opcode === 0x13 && f3 === 0 && rd === 2 && rs1 === 2 && p.spAdjustAt < 0) {
      const imm = signExtend12(insn >>> 20);
      if (imm >= 0) break;
      p.size = -imm;
      p.spAdjustAt = next;
    } else if (opcode === 0x23 && f3 === 2 && rs1 === 2 && (rs2 === 1 || rs2 === 8)) {
      const imm = signExtend12(((insn >>> 25) << 5) | ((insn >>> 7) & 31));
      if (rs2 === 1 && p.raSavedAt < 0) {
        p.raSavedAt = next;
        p.raOffset = imm;
      } else if (rs2 === 8 && p.s0SavedAt < 0) {
        p.s0SavedAt = next;
        p.s0Offset = imm;
      }
    } else if (opcode === 0x13 && f3 === 0 && rd === 8 && rs1 === 2) {
      if (signExtend12(insn >>> 20) === p.size && p.spAdjustAt >= 0) p.fpSetAt = next;
      break;
    } else if (opcode === 0x67 || opcode === 0x6f || opcode === 0x63) {
      break; // control flow: the prologue is over
    }
    pc = next;
  }
  return p;
}

export interface UnwindRegs {
  pc: number;
  sp: number;
  ra: number;
  s0: number;
}

/** The call stack, innermost first, at most `max` frames. */
export function unwind(info: ProgramInfo, regs: UnwindRegs, mem: UnwindMemory, max = 64): Frame[] {
  const frames: Frame[] = [];
  let { pc, sp, ra, s0 } = regs;
  const cache = new Map<string, Prologue>();
  for (let depth = 0; depth < max; depth++) {
    const fn = info.functionAt(pc);
    if (!fn) {
      frames.push({ pc, cfa: sp });
      break;
    }
    let p = cache.get(fn.name);
    if (!p) cache.set(fn.name, (p = analyzePrologue(fn, mem)));
    // After the epilogue's restores the prologue's state no longer holds; treat as entry.
    const past = (at: number): boolean => at >= 0 && pc >= at;
    let cfa: number;
    if (past(p.fpSetAt)) cfa = s0 >>> 0;
    else if (past(p.spAdjustAt)) cfa = (sp + p.size) >>> 0;
    else cfa = sp >>> 0;
    frames.push({ pc, cfa, function: fn.name });
    const base = (cfa - p.size) >>> 0; // sp after the prologue's adjustment
    let retAddr = ra;
    if (past(p.raSavedAt)) {
      const v = mem.readU32(base + p.raOffset);
      if (v === null) break;
      retAddr = v;
    }
    let callerS0 = s0;
    if (past(p.s0SavedAt)) {
      const v = mem.readU32(base + p.s0Offset);
      if (v === null) break;
      callerS0 = v;
    }
    if (retAddr === 0 || !info.functionAt(retAddr) || (depth > 0 && cfa <= sp && retAddr === pc)) break;
    // The call instruction is before the return address: report the caller at the call.
    pc = retAddr;
    sp = cfa;
    s0 = callerS0;
    ra = 0; // unknown in outer frames unless saved
    if (frames.length > 1 && cfa <= frames[frames.length - 2]!.cfa) break; // no progress: corrupt stack
  }
  return frames;
}
