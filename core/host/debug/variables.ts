// Local variables of a stopped frame, read through DWARF: each variable's location expression is
// evaluated against the frame (CFA, registers) and its bytes formatted by its type — integers,
// characters, booleans, floats, enums, pointers (strings previewed), arrays and structs as
// children. What the debug information cannot place shows as <optimized out>.

import { Cursor, DwarfError } from '../../elf/dwarf/cursor';
import type { DwarfFunction, DwarfType } from '../../elf/dwarf/info';

import type { Variable } from '../../protocol/debug';

export type { Variable };

export interface FrameContext {
  pc: number;
  cfa: number;
  /** x0–x31 of the frame (exact for the innermost frame; sp and s0 recovered for outer ones). */
  x: ArrayLike<number>;
  /** f0–f31 as two little-endian u32 words each (DWARF registers 32–63), when known. */
  f?: ArrayLike<number>;
  /** DWARF registers whose values hold in this frame (all when absent: the innermost frame). */
  known?: ReadonlySet<number>;
  read(addr: number, len: number): Uint8Array | null;
}

/** A memory address, or a DWARF register (0–31 integer, 32–63 floating point). */
type Loc = { mem: number } | { reg: number } | null;

/** The simple location expressions compilers emit at -O0 (and for statics at any level). */
function locate(expr: Uint8Array | null, fn: DwarfFunction, f: FrameContext): Loc {
  if (!expr || expr.length === 0) return null;
  const c = new Cursor(expr, 1);
  const op = expr[0]!;
  try {
    if (op === 0x03) return { mem: c.u32() };
    if (op === 0x91) {
      const off = c.sleb();
      const base = frameBase(fn, f);
      return base === null ? null : { mem: (base + off) >>> 0 };
    }
    if (op >= 0x50 && op <= 0x6f) return { reg: op - 0x50 };
    if (op === 0x90) return { reg: c.uleb() }; // DW_OP_regx (futcc: fs0-fs11 as 40, 41, 50-59)
    if (op >= 0x70 && op <= 0x8f) return { mem: (f.x[op - 0x70]! + c.sleb()) >>> 0 };
    if (op === 0x92) {
      const reg = c.uleb();
      return reg < 32 ? { mem: (f.x[reg]! + c.sleb()) >>> 0 } : null;
    }
  } catch (e) {
    if (!(e instanceof DwarfError)) throw e; // a truncated expression places nothing
  }
  return null;
}

function frameBase(fn: DwarfFunction, f: FrameContext): number | null {
  const fb = fn.frameBase;
  if (!fb || fb.length === 0) return null;
  const op = fb[0]!;
  if (op === 0x9c) return f.cfa; // DW_OP_call_frame_cfa
  if (op >= 0x50 && op <= 0x6f) return f.x[op - 0x50]! >>> 0;
  if (op < 0x70 || op > 0x8f) return null;
  try {
    return (f.x[op - 0x70]! + new Cursor(fb, 1).sleb()) >>> 0;
  } catch (e) {
    if (!(e instanceof DwarfError)) throw e;
    return null;
  }
}

function strip(t: DwarfType | null): DwarfType | null {
  let cur = t;
  for (let i = 0; cur && cur.kind === 'typedef' && i < 16; i++) cur = cur.target;
  return cur;
}

export function typeName(t: DwarfType | null): string {
  if (!t) return 'void';
  switch (t.kind) {
    case 'base':
    case 'typedef':
      return t.name;
    case 'pointer':
      return `${typeName(t.target)} *`;
    case 'array':
      return `${typeName(t.element)}[${t.count ?? ''}]`;
    case 'struct':
      return `${t.union ? 'union' : 'struct'} ${t.name || '<anonymous>'}`;
    case 'enum':
      return `enum ${t.name || '<anonymous>'}`;
    default:
      return t.name || '?';
  }
}

export function sizeOfType(t: DwarfType | null): number {
  const s = strip(t);
  if (!s) return 0;
  switch (s.kind) {
    case 'array':
      return (s.count ?? 0) * sizeOfType(s.element);
    case 'pointer':
      return s.size;
    case 'typedef':
      return 0;
    default:
      return s.size;
  }
}

function intFrom(b: Uint8Array, signed: boolean): number {
  let v = 0;
  for (let i = b.length - 1; i >= 0; i--) v = v * 256 + b[i]!;
  if (signed && b.length > 0 && b[b.length - 1]! & 0x80) v -= 2 ** (8 * b.length);
  return v;
}

const MAX_CHILDREN = 64;

function cString(f: FrameContext, addr: number): string | null {
  const b = f.read(addr, 64);
  if (!b) return null;
  let s = '';
  for (const c of b) {
    if (c === 0) return JSON.stringify(s);
    s += String.fromCharCode(c);
  }
  return `${JSON.stringify(s)}...`;
}

function format(
  name: string,
  t: DwarfType | null,
  bytes: Uint8Array | null,
  addr: number | undefined,
  f: FrameContext,
  depth: number,
): Variable {
  const tn = typeName(t);
  const s = strip(t);
  if (!bytes) return { name, type: tn, value: '<unreadable>', address: addr };
  if (!s) return { name, type: tn, value: '?', address: addr };
  switch (s.kind) {
    case 'base': {
      const e = s.encoding;
      if (e === 4) {
        const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
        const v =
          bytes.length === 8 ? dv.getFloat64(0, true) : bytes.length === 4 ? dv.getFloat32(0, true) : NaN;
        return { name, type: tn, value: String(v), address: addr };
      }
      const signed = e === 5 || e === 6 || e === 0x0d;
      const v = intFrom(bytes, signed);
      let value = String(v);
      if (e === 2) value = v ? 'true' : 'false';
      else if ((e === 6 || e === 8) && bytes.length === 1)
        value = `${v} ${JSON.stringify(String.fromCharCode(v & 0xff)).replace(/"/g, "'")}`;
      return { name, type: tn, value, numeric: v, address: addr };
    }
    case 'enum': {
      const v = intFrom(bytes, true);
      return { name, type: tn, value: s.values.get(v) ?? String(v), numeric: v, address: addr };
    }
    case 'pointer': {
      const v = intFrom(bytes.subarray(0, 4), false);
      const target = strip(s.target);
      const isChar =
        target?.kind === 'base' && (target.encoding === 6 || target.encoding === 8) && target.size === 1;
      const preview = isChar && v ? cString(f, v) : null;
      return {
        name,
        type: tn,
        value: `0x${v.toString(16)}${preview ? ` ${preview}` : ''}`,
        numeric: v,
        address: addr,
      };
    }
    case 'array': {
      const es = sizeOfType(s.element);
      const n = Math.min(s.count ?? 0, MAX_CHILDREN);
      const children: Variable[] = [];
      for (let i = 0; i < n && es > 0 && depth < 4; i++) {
        const b = bytes.subarray(i * es, (i + 1) * es);
        children.push(
          format(
            `[${i}]`,
            s.element,
            b.length === es ? b : null,
            addr === undefined ? undefined : addr + i * es,
            f,
            depth + 1,
          ),
        );
      }
      return { name, type: tn, value: `[${s.count ?? '?'}]`, address: addr, children };
    }
    case 'struct': {
      const children =
        depth < 4
          ? s.members.slice(0, MAX_CHILDREN).map((m) => {
              if (m.bits !== undefined && m.bitPos !== undefined)
                return format(
                  m.name,
                  m.type,
                  bitField(bytes, m.bitPos, m.bits, m.type),
                  undefined,
                  f,
                  depth + 1,
                );
              const ms = sizeOfType(m.type);
              const b = bytes.subarray(m.offset, m.offset + ms);
              return format(
                m.name,
                m.type,
                b.length === ms ? b : null,
                addr === undefined ? undefined : addr + m.offset,
                f,
                depth + 1,
              );
            })
          : [];
      return { name, type: tn, value: '{...}', address: addr, children };
    }
    default:
      return { name, type: tn, value: '?', address: addr };
  }
}

/** The variables in scope at the frame's pc (innermost blocks first, parameters before locals). */
export function frameVariables(fn: DwarfFunction, f: FrameContext): Variable[] {
  const visible = fn.variables.filter((v) => !v.range || (f.pc >= v.range.low && f.pc < v.range.high));
  const seen = new Set<string>();
  const out: Variable[] = [];
  // Inner blocks shadow outer names: blocks come later in DWARF order, so walk backwards.
  for (const v of [...visible].reverse()) {
    if (seen.has(v.name)) continue;
    seen.add(v.name);
    const loc = locate(v.location, fn, f);
    const size = sizeOfType(v.type);
    if (!loc) {
      out.push({ name: v.name, type: typeName(v.type), value: '<optimized out>' });
      continue;
    }
    if ('reg' in loc) {
      const b = registerBytes(f, loc.reg);
      if (!b) {
        out.push({ name: v.name, type: typeName(v.type), value: '<not saved in this frame>' });
        continue;
      }
      out.push(format(v.name, v.type, b.subarray(0, Math.min(b.length, size || 4)), undefined, f, 0));
      continue;
    }
    out.push(format(v.name, v.type, f.read(loc.mem, size), loc.mem, f, 0));
  }
  return out.reverse().sort((a, b) => Number(isParam(fn, b.name)) - Number(isParam(fn, a.name)));
}

/** A bit-field's value as the little-endian bytes of its declared type (sign-extended if signed). */
function bitField(bytes: Uint8Array, pos: number, bits: number, t: DwarfType | null): Uint8Array | null {
  if (bits <= 0 || bits > 64 || pos + bits > bytes.length * 8) return null;
  let v = 0n;
  for (let i = Math.floor((pos + bits - 1) / 8); i >= Math.floor(pos / 8); i--)
    v = (v << 8n) | BigInt(bytes[i]!);
  v = (v >> BigInt(pos % 8)) & ((1n << BigInt(bits)) - 1n);
  const s = strip(t);
  const enc = s?.kind === 'base' ? s.encoding : 0;
  if ((enc === 5 || enc === 6 || s?.kind === 'enum') && v & (1n << BigInt(bits - 1))) v -= 1n << BigInt(bits);
  const size = Math.max(1, sizeOfType(t) || 4);
  const out = new Uint8Array(size);
  let u = BigInt.asUintN(size * 8, v);
  for (let i = 0; i < size; i++, u >>= 8n) out[i] = Number(u & 0xffn);
  return out;
}

/** A register's bytes (4 for x registers, 8 for f registers; a float is the low half). */
function registerBytes(f: FrameContext, reg: number): Uint8Array | null {
  if (f.known && !f.known.has(reg)) return null;
  const b = new Uint8Array(reg < 32 ? 4 : 8);
  const dv = new DataView(b.buffer);
  if (reg < 32) {
    if (f.x[reg] === undefined) return null;
    dv.setUint32(0, f.x[reg]! >>> 0, true);
    return b;
  }
  const lo = f.f?.[2 * (reg - 32)];
  const hi = f.f?.[2 * (reg - 32) + 1];
  if (reg >= 64 || lo === undefined || hi === undefined) return null;
  dv.setUint32(0, lo >>> 0, true);
  dv.setUint32(4, hi >>> 0, true);
  return b;
}

function isParam(fn: DwarfFunction, name: string): boolean {
  return fn.variables.some((v) => v.param && v.name === name);
}
