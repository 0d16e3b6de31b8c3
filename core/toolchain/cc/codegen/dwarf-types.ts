// C types as DWARF type entries: base types with GCC's names and encodings, pointers, arrays (one
// subrange per dimension), structs and unions with their members (bit-fields by data_bit_offset),
// enums with their enumerators, typedefs, const/volatile/restrict, function types. Each distinct
// type gets one entry per unit; records refer to themselves through the table, so self-referencing
// structs terminate.

import type { EnumInfo, IntKind, Type } from '../types';
import { sizeOf } from '../types';
import { AT, TAG, die, type Die } from './dwarf-emit';

const DW_ATE_boolean = 0x02;
const DW_ATE_float = 0x04;
const DW_ATE_signed = 0x05;
const DW_ATE_signed_char = 0x06;
const DW_ATE_unsigned = 0x07;
const DW_ATE_unsigned_char = 0x08;

const BASE: Record<IntKind | 'float' | 'double', [string, number]> = {
  bool: ['_Bool', DW_ATE_boolean],
  char: ['char', DW_ATE_unsigned_char], // plain char is unsigned on RISC-V
  schar: ['signed char', DW_ATE_signed_char],
  uchar: ['unsigned char', DW_ATE_unsigned_char],
  short: ['short int', DW_ATE_signed],
  ushort: ['short unsigned int', DW_ATE_unsigned],
  int: ['int', DW_ATE_signed],
  uint: ['unsigned int', DW_ATE_unsigned],
  long: ['long int', DW_ATE_signed],
  ulong: ['long unsigned int', DW_ATE_unsigned],
  llong: ['long long int', DW_ATE_signed],
  ullong: ['long long unsigned int', DW_ATE_unsigned],
  float: ['float', DW_ATE_float],
  double: ['double', DW_ATE_float],
};

/** Type entries of one compile unit, created on demand. */
export class TypeTable {
  /** Every entry made so far, in creation order (children of the compile unit). */
  readonly dies: Die[] = [];
  private readonly byKey = new Map<string, Die>();
  private readonly recordKeys = new Map<number, string>();

  /** The entry for `t`; null for void (DWARF leaves DW_AT_type out). */
  ref(t: Type): Die | null {
    if (t.typedefName) {
      const inner: Type = { ...t };
      delete inner.typedefName;
      delete inner.const;
      delete inner.volatile;
      delete inner.restrict;
      const target = this.ref(inner);
      const key = `td:${t.typedefName}:${this.keyOf(inner)}`;
      const td = this.make(key, () =>
        die(TAG.typedef, [[AT.name, { form: 'string', v: t.typedefName as string }], ...typeAttr(target)]),
      );
      return this.qualified(t, td);
    }
    if (t.kind === 'array') {
      const elem = this.ref(t.base);
      return this.make(this.keyOf(t), () => {
        const sub = die(TAG.subrange, t.len === null ? [] : [[AT.count, { form: 'udata', v: t.len }]]);
        return die(TAG.array, typeAttr(elem), [sub]);
      });
    }
    const bare = this.unqualified(t);
    return bare ? this.qualified(t, bare) : null;
  }

  private unqualified(t: Type): Die | null {
    switch (t.kind) {
      case 'void':
        return null;
      case 'ptr': {
        const key = this.keyOf({ kind: 'ptr', base: t.base });
        const existing = this.byKey.get(key);
        if (existing) return existing;
        // Create the pointer before its target so a struct holding a pointer to itself terminates.
        const p = this.make(key, () => die(TAG.pointer, [[AT.byteSize, { form: 'data1', v: 4 }]]));
        const target = this.ref(t.base);
        p.attrs.push(...typeAttr(target));
        return p;
      }
      case 'func': {
        const ret = this.ref(t.ret);
        return this.make(this.keyOf(t), () => {
          const params = t.params.map((p) => die(TAG.formalParameter, typeAttr(this.ref(p.type))));
          if (t.variadic || t.noProto) params.push(die(TAG.unspecifiedParameters));
          const attrs = typeAttr(ret);
          if (!t.noProto) attrs.push([AT.prototyped, { form: 'flag' }]);
          return die(TAG.subroutineType, attrs, params);
        });
      }
      case 'struct':
      case 'union':
        return this.record(t);
      case 'float':
      case 'double':
        return this.base(t.kind);
      case 'array':
        return this.ref(t);
      default:
        return t.enumTag ? this.enumeration(t.kind, t.enumTag) : this.base(t.kind);
    }
  }

  private base(kind: IntKind | 'float' | 'double'): Die {
    return this.make(kind, () => {
      const [name, enc] = BASE[kind];
      return die(TAG.baseType, [
        [AT.byteSize, { form: 'data1', v: sizeOf({ kind } as Type) }],
        [AT.encoding, { form: 'data1', v: enc }],
        [AT.name, { form: 'string', v: name }],
      ]);
    });
  }

  private record(t: Type & { kind: 'struct' | 'union' }): Die {
    const key = this.keyOf(t);
    const existing = this.byKey.get(key);
    if (existing) return existing;
    const info = t.info;
    const attrs: Die['attrs'] = [];
    if (info.tag) attrs.push([AT.name, { form: 'string', v: info.tag }]);
    if (info.complete) attrs.push([AT.byteSize, { form: 'udata', v: info.size }]);
    else attrs.push([AT.declaration, { form: 'flag' }]);
    const d = this.make(key, () => die(t.kind === 'union' ? TAG.union : TAG.structure, attrs));
    if (!info.complete) return d;
    for (const m of info.members) {
      if (m.name === null && m.bitField) continue; // unnamed bit-field padding
      const ma: Die['attrs'] = [];
      if (m.name !== null) ma.push([AT.name, { form: 'string', v: m.name }]);
      ma.push(...typeAttr(this.ref(m.type)));
      if (m.bitField) {
        ma.push([AT.bitSize, { form: 'data1', v: m.bitField.width }]);
        ma.push([AT.dataBitOffset, { form: 'udata', v: m.offset * 8 + m.bitField.bitOffset }]);
      } else ma.push([AT.dataMemberLocation, { form: 'udata', v: m.offset }]);
      d.children.push(die(TAG.member, ma));
    }
    return d;
  }

  private enumeration(kind: IntKind, info: EnumInfo): Die {
    const under = this.base(kind);
    return this.make(`enum:${info.id}`, () => {
      const attrs: Die['attrs'] = [];
      if (info.tag) attrs.push([AT.name, { form: 'string', v: info.tag }]);
      attrs.push([AT.byteSize, { form: 'data1', v: sizeOf({ kind }) }]);
      attrs.push(...typeAttr(under));
      if (!info.complete) attrs.push([AT.declaration, { form: 'flag' }]);
      const values = (info.values ?? []).map((v) =>
        die(TAG.enumerator, [
          [AT.name, { form: 'string', v: v.name }],
          [AT.constValue, { form: 'sdata', v: Number(v.value) }],
        ]),
      );
      return die(TAG.enumeration, attrs, values);
    });
  }

  /** Wraps `d` in const/volatile/restrict entries as `t` is qualified. */
  private qualified(t: Type, d: Die): Die {
    let cur = d;
    let key = `@${this.dies.indexOf(d)}`;
    const wrap = (q: 'const' | 'volatile' | 'restrict', tag: number): void => {
      if (!t[q]) return;
      key = `${q} ${key}`;
      const inner = cur;
      cur = this.make(key, () => die(tag, typeAttr(inner)));
    };
    wrap('restrict', TAG.restrictType);
    wrap('volatile', TAG.volatileType);
    wrap('const', TAG.constType);
    return cur;
  }

  private make(key: string, build: () => Die): Die {
    let d = this.byKey.get(key);
    if (!d) {
      d = build();
      this.byKey.set(key, d);
      this.dies.push(d);
    }
    return d;
  }

  /** A string naming the type's structure (qualifiers included below the top level). */
  private keyOf(t: Type): string {
    const q = `${t.const ? 'c' : ''}${t.volatile ? 'v' : ''}${t.restrict ? 'r' : ''}${t.typedefName ? `=${t.typedefName}` : ''}`;
    switch (t.kind) {
      case 'ptr':
        return `${q}*(${this.keyOf(t.base)})`;
      case 'array':
        return `${q}[${t.len ?? ''}](${this.keyOf(t.base)})`;
      case 'func':
        return `${q}fn(${this.keyOf(t.ret)};${t.params.map((p) => this.keyOf(p.type)).join(',')}${t.variadic ? ',...' : ''}${t.noProto ? ',?' : ''})`;
      case 'struct':
      case 'union': {
        let k = this.recordKeys.get(t.info.id);
        if (!k) this.recordKeys.set(t.info.id, (k = `${t.kind}#${t.info.id}`));
        return `${q}${k}`;
      }
      default:
        return `${q}${t.kind}${'enumTag' in t && t.enumTag ? `#${t.enumTag.id}` : ''}`;
    }
  }
}

const typeAttr = (d: Die | null): Die['attrs'] => (d ? [[AT.type, { form: 'ref4', die: d }]] : []);
