// DWARF .debug_info (versions 2–5) as the debugger needs it: functions with their pc range and
// frame base, and their parameters and local variables (lexical blocks included) with a location
// and a type; types as a small tree (base, pointer, array, struct/union, enum, typedef and
// qualifiers). Unknown forms or malformed units end that unit's decode; nothing throws out.

import { Cursor, DwarfError } from './cursor';
import { readForm, type FormValue, type UnitHeader } from './forms';

export type DwarfType =
  | { kind: 'base'; name: string; size: number; encoding: number }
  | { kind: 'pointer'; size: number; target: DwarfType | null }
  | { kind: 'array'; element: DwarfType | null; count: number | null }
  | {
      kind: 'struct';
      name: string;
      size: number;
      union: boolean;
      /** Bit-fields: `bits` wide at bit `bitPos` of the struct (little-endian numbering). */
      members: { name: string; offset: number; type: DwarfType | null; bits?: number; bitPos?: number }[];
    }
  | { kind: 'enum'; name: string; size: number; values: Map<number, string> }
  | { kind: 'typedef'; name: string; target: DwarfType | null }
  | { kind: 'unknown'; name: string; size: number };

export interface DwarfVariable {
  name: string;
  param: boolean;
  type: DwarfType | null;
  /** The location expression (null when the variable has no location: optimised out). */
  location: Uint8Array | null;
  /** Visible from this pc range (the lexical block's), or the whole function when absent. */
  range?: { low: number; high: number };
}

export interface DwarfFunction {
  name: string;
  low: number;
  high: number;
  frameBase: Uint8Array | null;
  variables: DwarfVariable[];
}

export interface DwarfSections {
  info: Uint8Array;
  abbrev: Uint8Array;
  str?: Uint8Array;
  lineStr?: Uint8Array;
}

interface Abbrev {
  tag: number;
  children: boolean;
  attrs: { name: number; form: number; implicit?: number }[];
}

interface Die {
  offset: number;
  tag: number;
  attrs: Map<number, FormValue>;
  children: Die[];
}

const TAG = {
  array: 0x01,
  enumType: 0x04,
  param: 0x05,
  block: 0x0b,
  member: 0x0d,
  pointer: 0x0f,
  struct: 0x13,
  typedef: 0x16,
  union: 0x17,
  subroutineType: 0x15,
  subrange: 0x21,
  base: 0x24,
  constType: 0x26,
  enumerator: 0x28,
  subprogram: 0x2e,
  variable: 0x34,
  volatileType: 0x35,
  restrictType: 0x37,
  atomicType: 0x47,
} as const;

const AT = {
  location: 0x02,
  name: 0x03,
  byteSize: 0x0b,
  bitOffset: 0x0c,
  bitSize: 0x0d,
  dataBitOffset: 0x6b,
  lowPc: 0x11,
  highPc: 0x12,
  upperBound: 0x2f,
  constValue: 0x1c,
  count: 0x37,
  dataMemberLocation: 0x38,
  frameBase: 0x40,
  type: 0x49,
  encoding: 0x3e,
} as const;

function readAbbrevs(abbrev: Uint8Array, offset: number): Map<number, Abbrev> {
  const c = new Cursor(abbrev, offset);
  const out = new Map<number, Abbrev>();
  for (;;) {
    const code = c.uleb();
    if (code === 0) return out;
    const tag = c.uleb();
    const children = c.u8() !== 0;
    const attrs: Abbrev['attrs'] = [];
    for (;;) {
      const name = c.uleb();
      const form = c.uleb();
      if (name === 0 && form === 0) break;
      attrs.push(form === 0x21 ? { name, form, implicit: c.sleb() } : { name, form });
    }
    out.set(code, { tag, children, attrs });
  }
}

function readDies(c: Cursor, h: UnitHeader, abbrevs: Map<number, Abbrev>, s: DwarfSections): Die[] {
  const root: Die[] = [];
  const stack: Die[][] = [root];
  while (!c.done) {
    const offset = c.pos;
    const code = c.uleb();
    if (code === 0) {
      if (stack.length > 1) stack.pop();
      continue;
    }
    const ab = abbrevs.get(code);
    if (!ab) throw new DwarfError(`unknown abbreviation ${code}`);
    const attrs = new Map<number, FormValue>();
    for (const a of ab.attrs) {
      const v =
        a.implicit !== undefined ? a.implicit : readForm(c, a.form, h, { str: s.str, lineStr: s.lineStr });
      attrs.set(a.name, v);
    }
    const die: Die = { offset, tag: ab.tag, attrs, children: [] };
    stack[stack.length - 1]!.push(die);
    if (ab.children) stack.push(die.children);
  }
  return root;
}

const num = (v: FormValue | undefined): number | undefined => (typeof v === 'number' ? v : undefined);
const str = (v: FormValue | undefined): string => (typeof v === 'string' ? v : '');
const block = (v: FormValue | undefined): Uint8Array | null => (v instanceof Uint8Array ? v : null);

class TypeBuilder {
  private readonly cache = new Map<number, DwarfType | null>();
  constructor(private readonly byOffset: Map<number, Die>) {}

  get(ref: FormValue | undefined, depth = 0): DwarfType | null {
    if (typeof ref !== 'number' || depth > 32) return null;
    if (this.cache.has(ref)) return this.cache.get(ref)!;
    const die = this.byOffset.get(ref);
    if (!die) return null;
    this.cache.set(ref, null); // cycles (a struct pointing to itself) resolve to null while building
    const t = this.build(die, depth);
    this.cache.set(ref, t);
    return t;
  }

  private member(m: Die, depth: number): Extract<DwarfType, { kind: 'struct' }>['members'][number] {
    const name = str(m.attrs.get(AT.name));
    const type = this.get(m.attrs.get(AT.type), depth + 1);
    const loc = num(m.attrs.get(AT.dataMemberLocation));
    const bits = num(m.attrs.get(AT.bitSize));
    if (bits === undefined) return { name, offset: loc ?? 0, type };
    // DWARF 4 data_bit_offset counts from the struct's start; the older bit_offset counts from the
    // most significant bit of a byte_size storage unit at data_member_location.
    let bitPos = num(m.attrs.get(AT.dataBitOffset));
    if (bitPos === undefined) {
      const unit = num(m.attrs.get(AT.byteSize)) ?? 4;
      bitPos = (loc ?? 0) * 8 + unit * 8 - (num(m.attrs.get(AT.bitOffset)) ?? 0) - bits;
    }
    return { name, offset: Math.floor(bitPos / 8), type, bits, bitPos };
  }

  private build(d: Die, depth: number): DwarfType | null {
    const name = str(d.attrs.get(AT.name));
    const size = num(d.attrs.get(AT.byteSize)) ?? 0;
    const inner = (): DwarfType | null => this.get(d.attrs.get(AT.type), depth + 1);
    switch (d.tag) {
      case TAG.base:
        return { kind: 'base', name, size, encoding: num(d.attrs.get(AT.encoding)) ?? 0 };
      case TAG.pointer:
        return { kind: 'pointer', size: size || 4, target: inner() };
      case TAG.typedef:
        return { kind: 'typedef', name, target: inner() };
      case TAG.constType:
      case TAG.volatileType:
      case TAG.restrictType:
      case TAG.atomicType:
        return inner();
      case TAG.array: {
        const sub = d.children.find((c) => c.tag === TAG.subrange);
        const count = num(sub?.attrs.get(AT.count));
        const ub = num(sub?.attrs.get(AT.upperBound));
        return { kind: 'array', element: inner(), count: count ?? (ub !== undefined ? ub + 1 : null) };
      }
      case TAG.struct:
      case TAG.union:
        return {
          kind: 'struct',
          name,
          size,
          union: d.tag === TAG.union,
          members: d.children.filter((c) => c.tag === TAG.member).map((m) => this.member(m, depth)),
        };
      case TAG.enumType: {
        const values = new Map<number, string>();
        for (const e of d.children)
          if (e.tag === TAG.enumerator)
            values.set(num(e.attrs.get(AT.constValue)) ?? 0, str(e.attrs.get(AT.name)));
        return { kind: 'enum', name, size: size || 4, values };
      }
      case TAG.subroutineType:
        return { kind: 'unknown', name: name || 'function', size: 0 };
      default:
        return { kind: 'unknown', name, size };
    }
  }
}

function collectVariables(
  d: Die,
  types: TypeBuilder,
  out: DwarfVariable[],
  range?: { low: number; high: number },
): void {
  for (const c of d.children) {
    if (c.tag === TAG.variable || c.tag === TAG.param) {
      out.push({
        name: str(c.attrs.get(AT.name)),
        param: c.tag === TAG.param,
        type: types.get(c.attrs.get(AT.type)),
        location: block(c.attrs.get(AT.location)),
        range,
      });
    } else if (c.tag === TAG.block) {
      const low = num(c.attrs.get(AT.lowPc));
      const hv = c.attrs.get(AT.highPc);
      const r = low !== undefined && typeof hv === 'number' ? { low, high: hv > low ? hv : low + hv } : range;
      collectVariables(c, types, out, r);
    }
  }
}

function index(dies: Die[], into: Map<number, Die>): void {
  for (const d of dies) {
    into.set(d.offset, d);
    index(d.children, into);
  }
}

/** Every function with a pc range in .debug_info, with its variables. */
export function decodeDebugInfo(s: DwarfSections): DwarfFunction[] {
  const out: DwarfFunction[] = [];
  const c = new Cursor(s.info);
  while (c.pos + 11 <= s.info.length) {
    const start = c.pos;
    let end: number;
    try {
      let len = c.u32();
      let offset64 = false;
      if (len === 0xffffffff) {
        offset64 = true;
        len = c.u64();
      }
      end = c.pos + len;
      if (end > s.info.length) return out;
      const version = c.u16();
      let abbrevOff: number;
      let addrSize: number;
      if (version >= 5) {
        const unitType = c.u8();
        addrSize = c.u8();
        abbrevOff = offset64 ? c.u64() : c.u32();
        if (unitType !== 1) {
          c.pos = end; // only full compile units hold functions here
          continue;
        }
      } else {
        abbrevOff = offset64 ? c.u64() : c.u32();
        addrSize = c.u8();
      }
      const h: UnitHeader = { version, offset64, addrSize, unitStart: start };
      const dies = readDies(new Cursor(s.info, c.pos, end), h, readAbbrevs(s.abbrev, abbrevOff), s);
      const byOffset = new Map<number, Die>();
      index(dies, byOffset);
      const types = new TypeBuilder(byOffset);
      for (const d of byOffset.values()) {
        if (d.tag !== TAG.subprogram) continue;
        const low = num(d.attrs.get(AT.lowPc));
        const hv = d.attrs.get(AT.highPc);
        if (low === undefined || typeof hv !== 'number') continue;
        const fn: DwarfFunction = {
          name: str(d.attrs.get(AT.name)),
          low,
          high: hv > low ? hv : low + hv,
          frameBase: block(d.attrs.get(AT.frameBase)),
          variables: [],
        };
        collectVariables(d, types, fn.variables);
        out.push(fn);
      }
    } catch (e) {
      if (!(e instanceof DwarfError)) throw e;
      return out;
    }
    c.pos = end;
  }
  return out;
}
