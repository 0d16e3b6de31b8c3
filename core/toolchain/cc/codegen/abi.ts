// RISC-V psABI (ilp32d) argument and return-value classification: which bytes of a value go to
// which integer register, floating-point register or stack slot. Shared by calls (caller side),
// function entry (callee side), returns and va_start, so both sides always agree.

import { alignOf, isFloat, isInteger, isRecord, sizeOf, type Type } from '../types';

/** Value class of an expression: where the code generator keeps it while computing. */
export type VClass = 'v' | 'i' | 'l' | 'f' | 'd' | 'm';

/** i: ≤32-bit integer/pointer in a0; l: 64-bit in a0 (low) / a1 (high); f/d: in fa0; m: address in a0. */
export function vclass(t: Type): VClass {
  if (t.kind === 'void') return 'v';
  if (t.kind === 'float') return 'f';
  if (t.kind === 'double') return 'd';
  if (isInteger(t)) return sizeOf(t) > 4 ? 'l' : 'i';
  if (isRecord(t)) return 'm';
  return 'i';
}

export type Dest = { x: number } | { f: number } | { stack: number };

/** One piece of a value: `width` bytes at `off` in its memory image, moved as an int word or FP value. */
export interface Part {
  off: number;
  kind: 'w' | 's' | 'd';
  /** Size of the integer field when a flattened struct passes it in an integer register. */
  bytes: number;
  /** The field's type (flattened structs), for sign or zero extension. */
  ftype?: Type;
  dest: Dest;
}

export interface ArgClass {
  /** Aggregate larger than 2×XLEN with no FP flattening: passed as a pointer to a copy. */
  byRef: boolean;
  parts: Part[];
}

/** Argument-assignment state: next integer register, next FP register, next stack offset. */
export interface ArgState {
  nx: number;
  nf: number;
  stack: number;
}

export const newArgState = (sret = false): ArgState => ({ nx: sret ? 1 : 0, nf: 0, stack: 0 });

interface Field {
  off: number;
  type: Type;
}

/** psABI flattening of a struct into at most two scalar fields; null if not possible. */
function flatten(t: Type, base: number, out: Field[]): boolean {
  if (t.kind === 'struct') {
    for (const m of t.info.members) {
      if (m.bitField && m.bitField.width === 0) continue;
      if (!flatten(m.type, base + m.offset, out)) return false;
    }
    return true;
  }
  if (t.kind === 'array') {
    if (t.len === null) return true;
    for (let i = 0; i < t.len; i++) if (!flatten(t.base, base + i * sizeOf(t.base), out)) return false;
    return true;
  }
  if (t.kind === 'union') return false;
  out.push({ off: base, type: t });
  return out.length <= 2;
}

function fpFields(t: Type): Field[] | null {
  if (t.kind !== 'struct') return null;
  const fs: Field[] = [];
  if (!flatten(t, 0, fs) || fs.length === 0) return null;
  const nFloat = fs.filter((f) => isFloat(f.type)).length;
  if (nFloat === 0) return null;
  for (const f of fs)
    if (!isFloat(f.type) && !(isInteger(f.type) && sizeOf(f.type) <= 4) && f.type.kind !== 'ptr') return null;
  return fs;
}

const fk = (t: Type): 's' | 'd' => (t.kind === 'float' ? 's' : 'd');

/** Integer calling convention for `size` bytes (words at 0 and 4). */
function intWords(st: ArgState, size: number, align8: boolean, variadic: boolean): Part[] {
  const n = size > 4 ? 2 : 1;
  if (variadic && align8 && n === 2 && st.nx % 2 === 1) st.nx++;
  const parts: Part[] = [];
  for (let i = 0; i < n; i++) {
    let dest: Dest;
    if (st.nx < 8) dest = { x: st.nx++ };
    else {
      if (i === 0 && align8 && n === 2) st.stack = Math.ceil(st.stack / 8) * 8;
      dest = { stack: st.stack };
      st.stack += 4;
    }
    parts.push({ off: i * 4, kind: 'w', bytes: 4, dest });
  }
  return parts;
}

/** Classifies one argument (or, with a fresh state, a return value: byRef means sret). */
export function classify(t: Type, st: ArgState, variadic: boolean): ArgClass {
  const size = sizeOf(t);
  if (isFloat(t) && !variadic && st.nf < 8) {
    return { byRef: false, parts: [{ off: 0, kind: fk(t), bytes: size, dest: { f: st.nf++ } }] };
  }
  if (!variadic) {
    const fs = fpFields(t);
    if (fs) {
      const nF = fs.filter((f) => isFloat(f.type)).length;
      const nI = fs.length - nF;
      if (st.nf + nF <= 8 && st.nx + nI <= 8) {
        const parts = fs.map((f): Part => {
          if (isFloat(f.type))
            return { off: f.off, kind: fk(f.type), bytes: sizeOf(f.type), dest: { f: st.nf++ } };
          return { off: f.off, kind: 'w', bytes: sizeOf(f.type), ftype: f.type, dest: { x: st.nx++ } };
        });
        return { byRef: false, parts };
      }
    }
  }
  if (size > 8) return { byRef: true, parts: intWords(st, 4, false, variadic) };
  return { byRef: false, parts: intWords(st, size, alignOf(t) === 8, variadic) };
}

/** Classification of a function's return value: null when it is returned through a hidden pointer. */
export function classifyReturn(t: Type): Part[] | null {
  if (t.kind === 'void') return [];
  const c = classify(t, newArgState(), false);
  return c.byRef ? null : c.parts;
}

export interface CallLayout {
  sret: boolean;
  args: ArgClass[];
  /** Bytes of outgoing stack arguments (16-aligned). */
  stackBytes: number;
  /** Integer registers and stack bytes used by the named arguments (for va_start). */
  namedX: number;
  namedStack: number;
}

/** Lays out all arguments of a call; `nNamed` of them are named (the rest are variadic). */
export function layoutCall(ret: Type, argTypes: Type[], nNamed: number): CallLayout {
  const sret = classifyReturn(ret) === null;
  const st = newArgState(sret);
  let namedX = st.nx;
  let namedStack = 0;
  const args = argTypes.map((t, i) => {
    const c = classify(t, st, i >= nNamed);
    if (i < nNamed) {
      namedX = st.nx;
      namedStack = st.stack;
    }
    return c;
  });
  return { sret, args, stackBytes: Math.ceil(st.stack / 16) * 16, namedX, namedStack };
}
