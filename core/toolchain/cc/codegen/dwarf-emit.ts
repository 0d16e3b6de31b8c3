// A DWARF 4 debugging-information-entry tree written out as GNU assembly: `.debug_abbrev` (one
// abbreviation per distinct tag/children/attribute-form shape) and one `.debug_info` compile unit.
// Addresses and offsets stay symbolic (`.word sym`, `.word a - b`) so the assembler and linker
// relocate them; references between entries are label differences inside .debug_info, which the
// assembler folds to constants.

export const TAG = {
  array: 0x01,
  enumeration: 0x04,
  formalParameter: 0x05,
  lexicalBlock: 0x0b,
  member: 0x0d,
  pointer: 0x0f,
  compileUnit: 0x11,
  structure: 0x13,
  subroutineType: 0x15,
  typedef: 0x16,
  union: 0x17,
  unspecifiedParameters: 0x18,
  subrange: 0x21,
  baseType: 0x24,
  constType: 0x26,
  enumerator: 0x28,
  subprogram: 0x2e,
  variable: 0x34,
  volatileType: 0x35,
  restrictType: 0x37,
} as const;

export const AT = {
  location: 0x02,
  name: 0x03,
  byteSize: 0x0b,
  bitSize: 0x0d,
  stmtList: 0x10,
  lowPc: 0x11,
  highPc: 0x12,
  language: 0x13,
  compDir: 0x1b,
  constValue: 0x1c,
  producer: 0x25,
  prototyped: 0x27,
  count: 0x37,
  dataMemberLocation: 0x38,
  declFile: 0x3a,
  declLine: 0x3b,
  declaration: 0x3c,
  encoding: 0x3e,
  external: 0x3f,
  frameBase: 0x40,
  type: 0x49,
  dataBitOffset: 0x6b,
} as const;

/** An attribute value with its form. */
export type AttrValue =
  | { form: 'string'; v: string }
  | { form: 'data1' | 'data2' | 'data4' | 'udata' | 'sdata'; v: number }
  /** A relocated address: `.word sym`. */
  | { form: 'addr'; sym: string }
  /** A 4-byte constant `hi - lo` (DW_FORM_data4), e.g. a high_pc as a length. */
  | { form: 'delta4'; hi: string; lo: string }
  | { form: 'ref4'; die: Die }
  /** A location expression; `addr` appends DW_OP_addr with a relocated address. */
  | { form: 'exprloc'; bytes: number[]; addr?: string }
  | { form: 'flag' }
  /** An offset into another debug section: `.word label`. */
  | { form: 'secOffset'; sym: string };

export interface Die {
  tag: number;
  attrs: Array<[number, AttrValue]>;
  children: Die[];
}

export const die = (tag: number, attrs: Array<[number, AttrValue]> = [], children: Die[] = []): Die => ({
  tag,
  attrs,
  children,
});

const FORM_CODE: Record<AttrValue['form'], number> = {
  addr: 0x01,
  data2: 0x05,
  data4: 0x06,
  delta4: 0x06,
  string: 0x08,
  data1: 0x0b,
  sdata: 0x0d,
  udata: 0x0f,
  ref4: 0x13,
  secOffset: 0x17,
  exprloc: 0x18,
  flag: 0x19,
};

export function uleb(v: number): number[] {
  const out: number[] = [];
  let x = Math.trunc(v);
  do {
    let b = x % 128;
    x = Math.floor(x / 128);
    if (x !== 0) b |= 0x80;
    out.push(b);
  } while (x !== 0);
  return out;
}

export function sleb(v: number): number[] {
  const out: number[] = [];
  let x = BigInt(Math.trunc(v));
  for (;;) {
    const b = Number(x & 0x7fn);
    x >>= 7n;
    const done = (x === 0n && (b & 0x40) === 0) || (x === -1n && (b & 0x40) !== 0);
    out.push(done ? b : b | 0x80);
    if (done) return out;
  }
}

const quote = (s: string): string =>
  `"${s.replace(/["\\]/g, (c) => `\\${c}`).replace(/[\n\r\t]/g, (c) => (c === '\n' ? '\\n' : c === '\r' ? '\\r' : '\\t'))}"`;

/** The assembly lines of `.debug_abbrev` and `.debug_info` for one compile unit rooted at `cu`. */
export function writeUnit(cu: Die, prefix: string): string[] {
  const abbrevs = new Map<string, number>();
  const abbrevLines: string[] = [];
  const labels = new Map<Die, string>();
  // Referenced entries get labels; find them first.
  const visit = (d: Die): void => {
    for (const [, v] of d.attrs)
      if (v.form === 'ref4' && !labels.has(v.die)) labels.set(v.die, `${prefix}.die${labels.size}`);
    d.children.forEach(visit);
  };
  visit(cu);
  const unitStart = `${prefix}.cu`;
  const info: string[] = [];
  const abbrevOf = (d: Die): number => {
    const key = `${d.tag}/${d.children.length > 0 ? 1 : 0}/${d.attrs.map(([a, v]) => `${a}:${FORM_CODE[v.form]}`).join(',')}`;
    let code = abbrevs.get(key);
    if (code === undefined) {
      code = abbrevs.size + 1;
      abbrevs.set(key, code);
      abbrevLines.push(
        `  .uleb128 ${code}`,
        `  .uleb128 ${d.tag}`,
        `  .byte ${d.children.length > 0 ? 1 : 0}`,
        ...d.attrs.map(([a, v]) => `  .uleb128 ${a}, ${FORM_CODE[v.form]}`),
        '  .byte 0, 0',
      );
    }
    return code;
  };
  const emit = (d: Die): void => {
    const l = labels.get(d);
    if (l) info.push(`${l}:`);
    info.push(`  .uleb128 ${abbrevOf(d)}`);
    for (const [, v] of d.attrs) info.push(...value(v));
    if (d.children.length > 0) {
      d.children.forEach(emit);
      info.push('  .byte 0');
    }
  };
  const value = (v: AttrValue): string[] => {
    switch (v.form) {
      case 'string':
        return [`  .asciz ${quote(v.v)}`];
      case 'data1':
        return [`  .byte ${v.v & 0xff}`];
      case 'data2':
        return [`  .half ${v.v & 0xffff}`];
      case 'data4':
        return [`  .word ${v.v >>> 0}`];
      case 'udata':
        return [`  .uleb128 ${v.v}`];
      case 'sdata':
        return [`  .sleb128 ${v.v}`];
      case 'addr':
        return [`  .word ${v.sym}`];
      case 'delta4':
        return [`  .word ${v.hi} - ${v.lo}`];
      case 'ref4':
        return [`  .word ${labels.get(v.die) as string} - ${unitStart}`];
      case 'exprloc': {
        const n = v.bytes.length + (v.addr ? 5 : 0);
        const out = [`  .uleb128 ${n}`];
        if (v.bytes.length > 0) out.push(`  .byte ${v.bytes.join(', ')}`);
        if (v.addr) out.push('  .byte 3', `  .word ${v.addr}`);
        return out;
      }
      case 'flag':
        return [];
      case 'secOffset':
        return [`  .word ${v.sym}`];
    }
  };
  emit(cu);
  return [
    '  .section .debug_abbrev,"",@progbits',
    `${prefix}.abbrev:`,
    ...abbrevLines,
    '  .byte 0',
    '  .section .debug_info,"",@progbits',
    `${unitStart}:`,
    `  .word ${prefix}.cu.end - ${prefix}.cu.version`,
    `${prefix}.cu.version:`,
    '  .half 4',
    `  .word ${prefix}.abbrev`,
    '  .byte 4',
    ...info,
    `${prefix}.cu.end:`,
  ];
}
