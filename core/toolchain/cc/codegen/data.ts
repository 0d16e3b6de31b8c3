// Static data for the RV32 code generator: globals (.data/.bss) built from flattened initializers,
// and string literals (.rodata).

import type { InitItem, StringLit, Sym } from '../ast';
import { evalConst } from '../consteval';
import { alignOf, sizeOf } from '../types';

export const strLabel = (s: StringLit): string => `.LC${s.id}`;

/** Emits one object with static storage duration. `fail` reports what cannot be emitted. */
export function emitGlobal(out: string[], g: Sym, fail: (msg: string) => void): void {
  const size = Math.max(1, sizeOf(g.type));
  const align = Math.max(g.align ?? 1, alignOf(g.type));
  const isStatic = g.storage === 'static';
  if (!isStatic) out.push(`  .globl ${g.linkName}`);
  const items = g.init?.items ?? [];
  if (items.length === 0) {
    out.push(`  .bss`, `  .p2align ${Math.log2(align)}`, `${g.linkName}:`, `  .zero ${size}`);
    return;
  }
  out.push(`  .data`, `  .p2align ${Math.log2(align)}`, `${g.linkName}:`);
  const bytes = new Uint8Array(size);
  const relocs = new Map<number, string>();
  for (const it of items) writeItem(bytes, relocs, it, fail);
  let i = 0;
  while (i < size) {
    const r = relocs.get(i);
    if (r) {
      out.push(`  .word ${r}`);
      i += 4;
      continue;
    }
    let j = i;
    while (j < size && j - i < 16 && !relocs.has(j)) j++;
    out.push(`  .byte ${Array.from(bytes.subarray(i, j)).join(', ')}`);
    i = j;
  }
}

function writeItem(
  bytes: Uint8Array,
  relocs: Map<number, string>,
  it: InitItem,
  fail: (msg: string) => void,
): void {
  if (it.expr.k === 'str' && it.type.kind === 'array') {
    const esz = sizeOf(it.type.base);
    const n = it.type.len ?? it.expr.str.units.length;
    it.expr.str.units.slice(0, n).forEach((u, k) => writeInt(bytes, it.offset + k * esz, esz, BigInt(u)));
    return;
  }
  const c = evalConst(it.expr);
  if (!c) return fail('initializer element is not constant');
  const size = sizeOf(it.type);
  if (c.kind === 'int') {
    if (it.bitField) {
      const { width, bitOffset } = it.bitField;
      let unit = 0n;
      for (let k = size - 1; k >= 0; k--) unit = (unit << 8n) | BigInt(bytes[it.offset + k] ?? 0);
      const mask = ((1n << BigInt(width)) - 1n) << BigInt(bitOffset);
      unit = (unit & ~mask) | ((c.value << BigInt(bitOffset)) & mask);
      writeInt(bytes, it.offset, size, unit);
    } else writeInt(bytes, it.offset, size, c.value);
    return;
  }
  if (c.kind === 'float') {
    const dv = new DataView(bytes.buffer);
    if (size === 4) dv.setFloat32(it.offset, c.value, true);
    else dv.setFloat64(it.offset, c.value, true);
    return;
  }
  const base = c.sym ? c.sym.linkName : c.str ? strLabel(c.str) : '0';
  relocs.set(it.offset, c.addend ? `${base}${c.addend > 0 ? '+' : ''}${c.addend}` : base);
}

function writeInt(bytes: Uint8Array, off: number, size: number, v: bigint): void {
  let x = BigInt.asUintN(size * 8, v);
  for (let k = 0; k < size; k++) {
    bytes[off + k] = Number(x & 0xffn);
    x >>= 8n;
  }
}

export function emitString(out: string[], s: StringLit): void {
  const esz = sizeOf(s.elem);
  out.push(`  .section .rodata`, `  .p2align ${Math.log2(esz)}`, `${strLabel(s)}:`);
  const dir = esz === 1 ? '.byte' : esz === 2 ? '.half' : '.word';
  for (let i = 0; i < s.units.length; i += 16) out.push(`  ${dir} ${s.units.slice(i, i + 16).join(', ')}`);
}
