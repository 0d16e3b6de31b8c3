// Call stacks. Where .debug_frame describes the pc (GCC -g, futcc -g) its rules are followed exactly;
// elsewhere each function's prologue is decoded (GCC's and futcc's both
// start `addi sp,sp,-N; sw ra,..(sp); sw s0,..(sp); addi s0,sp,N`, in either encoding) to find where
// the return address and the caller's s0 are saved and how to get the frame's CFA, then the walk
// goes caller by caller. Works with and without a frame pointer, in leaf functions, and in the
// middle of a prologue. Callee-saved registers (s1-s11, fs0-fs11) the prologue stores are read
// back for the caller's frame, so register-resident locals of outer frames show their own values.

import { expandCached } from '../../machine/rvc';
import type { FrameRow } from '../../elf/dwarf/frame';
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
  /**
   * Callee-saved registers the prologue stores (s1-s11 as 9/18-27, fs0-fs11 as 32 + f-number), at
   * `off` from the CFA, from address `at` on. GCC saves them sp-relative before setting s0, futcc
   * s0-relative after it.
   */
  saves: { reg: number; off: number; at: number }[];
}

const CALLEE_SAVED_X = new Set([9, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27]);
const CALLEE_SAVED_F = new Set([8, 9, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27]);

export interface Frame {
  pc: number;
  /** The canonical frame address: sp on entry to the function. */
  cfa: number;
  function?: string;
  /** Registers of this frame: sp, s0 and the callee-saved ones recovered from inner frames. */
  regs?: FrameRegs;
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
    saves: [],
  };
  let pc = fn.start;
  const saved = new Set<number>();
  let t6: number | null = null;
  let t6FromS0: number | null = null;
  for (let i = 0; i < 48 && pc < fn.end; i++) {
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
    const storeImm = signExtend12(((insn >>> 25) << 5) | ((insn >>> 7) & 31));
    // A store relative to sp (before s0 is set) or s0 (after): its offset from the CFA.
    // futcc reaches saves beyond 12-bit offsets through t6 (`li t6, K; add t6, t6, s0; sw r, 0(t6)`).
    const viaT6 = rs1 === 31 && t6FromS0 !== null && p.fpSetAt >= 0 ? t6FromS0 + storeImm : null;
    const cfaOff = rs1 === 2 ? storeImm - p.size : rs1 === 8 && p.fpSetAt >= 0 ? storeImm : viaT6;
    if (opcode === 0x37 && rd === 31) {
      t6 = insn & 0xfffff000; // lui t6
      t6FromS0 = null;
    } else if (opcode === 0x13 && f3 === 0 && rd === 31 && (rs1 === 31 || rs1 === 0)) {
      t6 = ((rs1 === 0 ? 0 : (t6 ?? 0)) + signExtend12(insn >>> 20)) | 0; // addi t6, t6|zero, imm
      t6FromS0 = null;
    } else if (insn === 0x008f8fb3) t6FromS0 = t6; // add t6, t6, s0

    if (opcode === 0x13 && f3 === 0 && rd === 2 && rs1 === 2) {
      const imm = signExtend12(insn >>> 20);
      if (imm >= 0) break;
      if (p.spAdjustAt < 0) {
        p.size = -imm;
        p.spAdjustAt = next;
      } else if (p.fpSetAt < 0) break; // a second adjustment before s0 is set: not a form we know
    } else if (opcode === 0x23 && f3 === 2 && rs1 === 2 && (rs2 === 1 || rs2 === 8)) {
      if (rs2 === 1 && p.raSavedAt < 0) {
        p.raSavedAt = next;
        p.raOffset = storeImm;
      } else if (rs2 === 8 && p.s0SavedAt < 0) {
        p.s0SavedAt = next;
        p.s0Offset = storeImm;
      }
    } else if (opcode === 0x13 && f3 === 0 && rd === 8 && rs1 === 2 && p.fpSetAt < 0) {
      if (signExtend12(insn >>> 20) !== p.size || p.spAdjustAt < 0) break;
      p.fpSetAt = next;
    } else if (
      opcode === 0x23 &&
      f3 === 2 &&
      cfaOff !== null &&
      (CALLEE_SAVED_X.has(rs2) || (rs2 >= 10 && rs2 <= 17))
    ) {
      // s1-s11 saved (or a variadic function's a0-a7 stored to its save area)
      if (CALLEE_SAVED_X.has(rs2) && !saved.has(rs2)) p.saves.push({ reg: rs2, off: cfaOff, at: next });
      saved.add(rs2);
    } else if (opcode === 0x27 && f3 === 3 && cfaOff !== null && CALLEE_SAVED_F.has(rs2)) {
      if (!saved.has(32 + rs2)) p.saves.push({ reg: 32 + rs2, off: cfaOff, at: next });
      saved.add(32 + rs2);
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
  /** The full integer and FP (two u32 words per register) files, when known. */
  x?: ArrayLike<number>;
  f?: ArrayLike<number>;
}

/** A frame's registers as far as they can be recovered (callee-saved ones exactly). */
export interface FrameRegs {
  x: number[];
  f: number[];
}

/** The call stack, innermost first, at most `max` frames. */
export function unwind(info: ProgramInfo, regs: UnwindRegs, mem: UnwindMemory, max = 64): Frame[] {
  const frames: Frame[] = [];
  let { pc, sp, ra, s0 } = regs;
  const x = Array.from({ length: 32 }, (_, i) => (regs.x?.[i] ?? 0) >>> 0);
  const f = Array.from({ length: 64 }, (_, i) => (regs.f?.[i] ?? 0) >>> 0);
  const cache = new Map<string, Prologue>();
  for (let depth = 0; depth < max; depth++) {
    x[1] = ra;
    x[2] = sp;
    x[8] = s0;
    const fn = info.functionAt(pc);
    if (!fn) {
      frames.push({ pc, cfa: sp, regs: { x: x.slice(), f: f.slice() } });
      break;
    }
    const cfi = info.frameRowAt(pc);
    const step = cfi ? stepByFrameRow(cfi.row, cfi.raReg, x, mem) : null;
    let cfa: number;
    let retAddr: number;
    let callerS0: number;
    if (step) {
      ({ cfa, retAddr, callerS0 } = step);
      frames.push({ pc, cfa, function: fn.name, regs: { x: x.slice(), f: f.slice() } });
      for (const [reg, v] of step.x) x[reg] = v;
      for (const [reg, v] of step.f) f[reg] = v;
    } else {
      let p = cache.get(fn.name);
      if (!p) cache.set(fn.name, (p = analyzePrologue(fn, mem)));
      const r = stepByPrologue(p, pc, sp, ra, s0, x, f, mem);
      frames.push({ pc, cfa: r.cfa, function: fn.name, regs: r.frameRegs });
      if (!r.caller) break;
      cfa = r.cfa;
      ({ retAddr, callerS0 } = r.caller);
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

interface Step {
  cfa: number;
  retAddr: number;
  callerS0: number;
}

/**
 * One frame by the prologue's effects. Returns this frame's CFA and registers and updates `x`/`f`
 * to the caller's; `caller` is null when a saved slot cannot be read.
 */
function stepByPrologue(
  p: Prologue,
  pc: number,
  sp: number,
  ra: number,
  s0: number,
  x: number[],
  f: number[],
  mem: UnwindMemory,
): { cfa: number; frameRegs: FrameRegs; caller: { retAddr: number; callerS0: number } | null } {
  // After the epilogue's restores the prologue's state no longer holds; treat as entry.
  const past = (at: number): boolean => at >= 0 && pc >= at;
  let cfa: number;
  if (past(p.fpSetAt)) cfa = s0 >>> 0;
  else if (past(p.spAdjustAt)) cfa = (sp + p.size) >>> 0;
  else cfa = sp >>> 0;
  const frameRegs = { x: x.slice(), f: f.slice() };
  const base = (cfa - p.size) >>> 0; // sp after the prologue's adjustment
  let retAddr = ra;
  if (past(p.raSavedAt)) {
    const v = mem.readU32(base + p.raOffset);
    if (v === null) return { cfa, frameRegs, caller: null };
    retAddr = v;
  }
  let callerS0 = s0;
  if (past(p.s0SavedAt)) {
    const v = mem.readU32(base + p.s0Offset);
    if (v === null) return { cfa, frameRegs, caller: null };
    callerS0 = v;
  }
  // Callee-saved registers this frame stored hold the caller's values; the others are unchanged.
  for (const sv of p.saves) {
    if (!past(sv.at)) continue;
    const lo = mem.readU32((cfa + sv.off) >>> 0);
    if (lo === null) continue;
    if (sv.reg < 32) x[sv.reg] = lo;
    else {
      const hi = mem.readU32((cfa + sv.off + 4) >>> 0);
      f[2 * (sv.reg - 32)] = lo;
      f[2 * (sv.reg - 32) + 1] = hi ?? 0;
    }
  }
  return { cfa, frameRegs, caller: { retAddr, callerS0 } };
}

/**
 * One frame by its .debug_frame row: the CFA from its register and offset, then each rule the row
 * names (DWARF numbers x0-x31 as 0-31, f0-f31 as 32-63). Returns the caller's changed registers
 * (`f` as u32 word indexes), or null when the row needs a register or memory we cannot read, so the
 * prologue reader gets its turn.
 */
export function stepByFrameRow(
  row: FrameRow,
  raReg: number,
  x: readonly number[],
  mem: UnwindMemory,
): (Step & { x: Map<number, number>; f: Map<number, number> }) | null {
  if (row.cfaReg >= 32) return null;
  const cfa = (x[row.cfaReg]! + row.cfaOffset) >>> 0;
  const outX = new Map<number, number>();
  const outF = new Map<number, number>();
  let retAddr = raReg < 32 ? x[raReg]! : 0;
  for (const [reg, rule] of row.regs) {
    let lo: number | null = null;
    let hi: number | null = 0;
    switch (rule.kind) {
      case 'same':
        continue;
      case 'undefined':
        if (reg === raReg) return { cfa, retAddr: 0, callerS0: x[8]!, x: outX, f: outF }; // outermost frame
        continue;
      case 'offset':
        lo = mem.readU32((cfa + rule.off) >>> 0);
        if (reg >= 32) hi = mem.readU32((cfa + rule.off + 4) >>> 0);
        break;
      case 'val-offset':
        lo = (cfa + rule.off) >>> 0;
        break;
      case 'register':
        if (rule.reg >= 32 || reg >= 32) return null;
        lo = x[rule.reg]!;
        break;
    }
    if (lo === null || hi === null) return null;
    if (reg === raReg) retAddr = lo;
    if (reg < 32) outX.set(reg, lo);
    else if (reg < 64) {
      outF.set(2 * (reg - 32), lo);
      outF.set(2 * (reg - 32) + 1, hi);
    }
  }
  return { cfa, retAddr, callerS0: outX.get(8) ?? x[8]!, x: outX, f: outF };
}
