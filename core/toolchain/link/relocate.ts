// Applies R_RISCV_* relocations of placed input sections to the output bytes: every type GCC
// emits for RV32 static code and DWARF (HI20/LO12, PCREL pairs, CALL, branches, RVC, ADD/SUB/SET,
// ULEB128, 32_PCREL). RELAX is ignored (we never relax); ALIGN was handled before layout.
import { R_RISCV } from '../../elf/constants';
import { rd16, rd32, wr16, wr32 } from '../obj/bytes';
import {
  fitsSigned,
  hi20,
  immB,
  immCB,
  immCJ,
  immCLui,
  immI,
  immJ,
  immS,
  immU,
  lo12,
  MASK_B,
  MASK_CB,
  MASK_CJ,
  MASK_CLUI,
  MASK_I,
  MASK_J,
  MASK_S,
  MASK_U,
} from '../obj/fields';
import type { InObject, OutSection } from './types';

export interface RelocContext {
  /** Address of symbol `sym` of `o` (+ remapping of section-relative addends), or an error. */
  symbolValue(o: InObject, sym: number, addend: number): { value: number } | { error: string };
  error(file: string, message: string): void;
}

const NAMES = new Map<number, string>(Object.entries(R_RISCV).map(([k, v]) => [v, `R_RISCV_${k}`]));
export const relocName = (t: number): string => NAMES.get(t) ?? `relocation type ${t}`;

function readUleb(b: Uint8Array, o: number): { value: bigint; len: number } {
  let v = 0n;
  let shift = 0n;
  let len = 0;
  while (o + len < b.length) {
    const byte = b[o + len] ?? 0;
    v |= BigInt(byte & 0x7f) << shift;
    shift += 7n;
    len++;
    if ((byte & 0x80) === 0) break;
  }
  return { value: v, len };
}

function writeUleb(b: Uint8Array, o: number, len: number, v: bigint): void {
  let x = BigInt.asUintN(32, v);
  for (let i = 0; i < len; i++) {
    const byte = Number(x & 0x7fn);
    x >>= 7n;
    b[o + i] = i < len - 1 ? byte | 0x80 : byte;
  }
}

/** Relocates every part of every output section. PCREL_HI20 values are computed first. */
export function relocateAll(outs: OutSection[], cx: RelocContext): void {
  // Pass 1: the pc-relative offsets of every PCREL_HI20, keyed by the auipc's address.
  const hiValues = new Map<number, number>();
  for (const out of outs) {
    for (const part of out.parts) {
      const sec = part.obj.obj.sections[part.sec];
      if (!sec) continue;
      for (const r of sec.relocs) {
        if (r.type !== R_RISCV.PCREL_HI20) continue;
        const s = cx.symbolValue(part.obj, r.sym, r.addend);
        if ('value' in s)
          hiValues.set(
            (out.addr + part.offset + r.offset) >>> 0,
            (s.value + r.addend - (out.addr + part.offset + r.offset)) | 0,
          );
      }
    }
  }
  for (const out of outs) {
    for (const part of out.parts) {
      const sec = part.obj.obj.sections[part.sec];
      if (!sec) continue;
      const sorted = sec.relocs
        .map((r, i) => ({ r, i }))
        .sort((a, b) => a.r.offset - b.r.offset || a.i - b.i);
      for (const { r } of sorted) applyOne(out, part.obj, part.offset, r, hiValues, cx);
    }
  }
}

function applyOne(
  out: OutSection,
  o: InObject,
  base: number,
  r: { offset: number; type: number; sym: number; addend: number },
  hiValues: Map<number, number>,
  cx: RelocContext,
): void {
  const t = r.type;
  if (t === R_RISCV.NONE || t === R_RISCV.RELAX || t === R_RISCV.ALIGN) return;
  const at = base + r.offset;
  const d = out.data;
  const P = (out.addr + at) >>> 0;
  const symName = o.obj.symbols[r.sym]?.name ?? '?';
  const fail = (m: string): void =>
    cx.error(o.name, `${relocName(t)} against '${symName}' at ${out.name}+0x${at.toString(16)}: ${m}`);
  const sv = cx.symbolValue(o, r.sym, r.addend);
  if ('error' in sv) {
    cx.error(o.name, sv.error);
    return;
  }
  const SA = (sv.value + r.addend) | 0;
  const pcrel = (SA - P) | 0;
  const need = (n: number): boolean => {
    if (at + n > d.length) {
      fail('offset outside the section');
      return false;
    }
    return true;
  };
  const w32 = (mask: number, bits: number): void => {
    if (need(4)) wr32(d, at, ((rd32(d, at) & mask) | bits) >>> 0);
  };
  const range = (v: number, bits: number, align = 2): boolean => {
    if (!fitsSigned(v, bits)) {
      fail(`relocation truncated to fit: offset ${v} does not fit in ${bits} bits`);
      return false;
    }
    if (v % align !== 0) {
      fail(`misaligned target (offset ${v})`);
      return false;
    }
    return true;
  };
  switch (t) {
    case R_RISCV.R32:
    case R_RISCV.SET32:
      if (need(4)) wr32(d, at, SA >>> 0);
      return;
    case R_RISCV.R64:
      if (need(8)) {
        wr32(d, at, SA >>> 0);
        wr32(d, at + 4, SA < 0 ? 0xffffffff : 0);
      }
      return;
    case R_RISCV.R32_PCREL:
      if (need(4)) wr32(d, at, pcrel >>> 0);
      return;
    case R_RISCV.BRANCH:
      if (range(pcrel, 13)) w32(MASK_B, immB(pcrel));
      return;
    case R_RISCV.JAL:
      if (range(pcrel, 21)) w32(MASK_J, immJ(pcrel));
      return;
    case R_RISCV.CALL:
    case R_RISCV.CALL_PLT:
      if (need(8)) {
        wr32(d, at, ((rd32(d, at) & MASK_U) | immU(hi20(pcrel))) >>> 0);
        wr32(d, at + 4, ((rd32(d, at + 4) & MASK_I) | immI(lo12(pcrel))) >>> 0);
      }
      return;
    case R_RISCV.PCREL_HI20:
      w32(MASK_U, immU(hi20(pcrel)));
      return;
    case R_RISCV.PCREL_LO12_I:
    case R_RISCV.PCREL_LO12_S: {
      // The symbol is the label of the auipc; its HI20 relocation carries the real offset.
      const hi = hiValues.get(SA >>> 0);
      if (hi === undefined) {
        fail(`no R_RISCV_PCREL_HI20 relocation at the address of '${symName}'`);
        return;
      }
      if (t === R_RISCV.PCREL_LO12_I) w32(MASK_I, immI(lo12(hi)));
      else w32(MASK_S, immS(lo12(hi)));
      return;
    }
    case R_RISCV.HI20:
      w32(MASK_U, immU(hi20(SA)));
      return;
    case R_RISCV.LO12_I:
      w32(MASK_I, immI(lo12(SA)));
      return;
    case R_RISCV.LO12_S:
      w32(MASK_S, immS(lo12(SA)));
      return;
    case R_RISCV.RVC_BRANCH:
      if (range(pcrel, 9) && need(2)) wr16(d, at, (rd16(d, at) & MASK_CB) | immCB(pcrel));
      return;
    case R_RISCV.RVC_JUMP:
      if (range(pcrel, 12) && need(2)) wr16(d, at, (rd16(d, at) & MASK_CJ) | immCJ(pcrel));
      return;
    case 46: {
      // R_RISCV_RVC_LUI
      const v = (hi20(SA) << 12) >> 12;
      if (v === 0 || !fitsSigned(v, 6)) fail('value does not fit c.lui');
      else if (need(2)) wr16(d, at, (rd16(d, at) & MASK_CLUI) | immCLui(v & 0x3f));
      return;
    }
    case R_RISCV.ADD8:
    case R_RISCV.SUB8:
    case R_RISCV.SET8:
      if (need(1)) d[at] = (t === R_RISCV.SET8 ? SA : (d[at] ?? 0) + (t === R_RISCV.ADD8 ? SA : -SA)) & 0xff;
      return;
    case R_RISCV.ADD16:
    case R_RISCV.SUB16:
    case R_RISCV.SET16:
      if (need(2))
        wr16(d, at, (t === R_RISCV.SET16 ? SA : rd16(d, at) + (t === R_RISCV.ADD16 ? SA : -SA)) & 0xffff);
      return;
    case R_RISCV.ADD32:
    case R_RISCV.SUB32:
      if (need(4)) wr32(d, at, (rd32(d, at) + (t === R_RISCV.ADD32 ? SA : -SA)) >>> 0);
      return;
    case R_RISCV.ADD64:
    case R_RISCV.SUB64:
      if (need(8)) {
        const v =
          (BigInt(rd32(d, at)) | (BigInt(rd32(d, at + 4)) << 32n)) + BigInt(t === R_RISCV.ADD64 ? SA : -SA);
        const u = BigInt.asUintN(64, v);
        wr32(d, at, Number(u & 0xffffffffn));
        wr32(d, at + 4, Number(u >> 32n));
      }
      return;
    case R_RISCV.SUB6:
    case R_RISCV.SET6:
      if (need(1)) {
        const old = d[at] ?? 0;
        const v = t === R_RISCV.SET6 ? SA : old - SA;
        d[at] = (old & 0xc0) | (v & 0x3f);
      }
      return;
    case R_RISCV.SET_ULEB128:
    case R_RISCV.SUB_ULEB128: {
      const cur = readUleb(d, at);
      const v = t === R_RISCV.SET_ULEB128 ? BigInt(SA >>> 0) : cur.value - BigInt(SA >>> 0);
      writeUleb(d, at, cur.len, v);
      return;
    }
  }
  fail('unsupported relocation type (static RV32 linking supports the types GCC emits for non-PIC code)');
}
