// Constants (C11 6.4.4, 6.4.5): integer constants with the type rules of 6.4.4.1, floating constants
// (decimal and hexadecimal), character constants and string literals with every escape.

/** Integer types a constant can have on ilp32d (int and long are both 32 bits but distinct types). */
export type IntConstKind = 'int' | 'uint' | 'long' | 'ulong' | 'llong' | 'ullong';

export type Complain = (message: string, severity: 'error' | 'warning') => void;

const MAX: Record<IntConstKind, bigint> = {
  int: 0x7fffffffn,
  uint: 0xffffffffn,
  long: 0x7fffffffn,
  ulong: 0xffffffffn,
  llong: 0x7fffffffffffffffn,
  ullong: 0xffffffffffffffffn,
};

export interface IntConst {
  value: bigint;
  kind: IntConstKind;
}

/** Parses a pp-number as an integer constant; returns null if it is not one (e.g. a float). */
export function parseIntConst(text: string, complain: Complain): IntConst | null {
  const m = /^(0[xX][0-9a-fA-F]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)([uUlL]*)$/.exec(text);
  if (!m) {
    if (/^(0[xX][0-9a-fA-F]*(\.|[pP])|[0-9]*\.|[0-9]+[eE])/.test(text) || /^\./.test(text)) return null;
    if (/^0[0-7]*[89]/.test(text) && !/[.eE]/.test(text))
      complain(`invalid digit in octal constant`, 'error');
    else complain(`invalid suffix "${suffixOf(text)}" on integer constant`, 'error');
    return { value: 0n, kind: 'int' };
  }
  const digits = m[1] as string;
  const suffix = (m[2] as string).toLowerCase();
  if (!['', 'u', 'l', 'ul', 'lu', 'll', 'ull', 'llu'].includes(suffix) || /lL|Ll/.test(m[2] as string)) {
    complain(`invalid suffix "${m[2]}" on integer constant`, 'error');
    return { value: 0n, kind: 'int' };
  }
  let value: bigint;
  const decimal = !/^0/.test(digits) || digits === '0' ? /^[1-9]/.test(digits) : false;
  if (/^0[bB]/.test(digits)) value = BigInt(digits);
  else if (/^0[xX]/.test(digits)) value = BigInt(digits);
  else if (digits.length > 1 && digits[0] === '0') value = BigInt(`0o${digits.slice(1)}`);
  else value = BigInt(digits);
  const u = suffix.includes('u');
  const l = suffix.replace('u', '');
  let candidates: IntConstKind[];
  if (l === '')
    candidates = u
      ? ['uint', 'ulong', 'ullong']
      : decimal
        ? ['int', 'long', 'llong']
        : ['int', 'uint', 'long', 'ulong', 'llong', 'ullong'];
  else if (l === 'l')
    candidates = u ? ['ulong', 'ullong'] : decimal ? ['long', 'llong'] : ['long', 'ulong', 'llong', 'ullong'];
  else candidates = u ? ['ullong'] : decimal ? ['llong'] : ['llong', 'ullong'];
  for (const k of candidates) if (value <= MAX[k]) return { value, kind: k };
  if (value <= MAX.ullong) {
    complain('integer constant is so large that it is unsigned', 'warning');
    return { value, kind: 'ullong' };
  }
  complain('integer constant is too large for its type', 'error');
  return { value: value & MAX.ullong, kind: 'ullong' };
}

function suffixOf(text: string): string {
  const m = /^(0[xX][0-9a-fA-F]*|[0-9]*)(.*)$/.exec(text);
  return m ? (m[2] as string) : text;
}

export interface FloatConst {
  value: number;
  kind: 'float' | 'double' | 'ldouble';
}

/** Parses a pp-number as a floating constant (C11 6.4.4.2); null if malformed. */
export function parseFloatConst(text: string): FloatConst | null {
  let body = text;
  let kind: FloatConst['kind'] = 'double';
  if (/[fF]$/.test(body) && !/^0[xX][0-9a-fA-F.]*$/.test(body)) {
    kind = 'float';
    body = body.slice(0, -1);
  } else if (/[lL]$/.test(body)) {
    kind = 'ldouble';
    body = body.slice(0, -1);
  }
  let value: number;
  const hex = /^0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?[pP]([+-]?[0-9]+)$/.exec(body);
  if (hex) {
    const ip = hex[1] as string;
    const fp = hex[2] ?? '';
    if (!ip && !fp) return null;
    // Exact: the mantissa is an integer scaled by a power of two; BigInt keeps every digit.
    const mant = BigInt(`0x${ip}${fp}` === '0x' ? '0' : `0x${ip}${fp}`);
    const exp = Number(hex[3]) - 4 * fp.length;
    value = scaleBigInt(mant, exp);
  } else if (/^([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$/.test(body) && /[.eE]/.test(body)) {
    value = Number(body);
  } else return null;
  if (kind === 'float') value = Math.fround(value);
  return { value, kind };
}

function scaleBigInt(m: bigint, exp: number): number {
  if (m === 0n) return 0;
  // Reduce to at most 64 significant bits, keeping a sticky bit so rounding stays correct.
  let e = exp;
  let v = m;
  const bits = v.toString(2).length;
  if (bits > 64) {
    const drop = BigInt(bits - 64);
    const sticky = (v & ((1n << drop) - 1n)) !== 0n ? 1n : 0n;
    v = (v >> drop) | sticky;
    e += Number(drop);
  }
  let r = Number(v);
  // Apply the exponent in steps to avoid overflow/underflow of intermediate powers.
  while (e > 0) {
    const s = Math.min(e, 1000);
    r *= 2 ** s;
    e -= s;
  }
  while (e < 0) {
    const s = Math.max(e, -1000);
    r *= 2 ** s;
    e -= s;
  }
  return r;
}

export type Encoding = '' | 'u8' | 'u' | 'U' | 'L';

export function splitPrefix(text: string): { prefix: Encoding; body: string } {
  const m = /^(u8|u|U|L)?(["'])([\s\S]*)\2$/.exec(text);
  if (!m) return { prefix: '', body: text.slice(1, -1) };
  return { prefix: (m[1] ?? '') as Encoding, body: m[3] as string };
}

/** Decodes escapes into code units; `unitBits` 8 for char strings (UTF-8), 16, 32 otherwise. */
export function decodeBody(body: string, unitBits: 8 | 16 | 32, complain: Complain): number[] {
  const out: number[] = [];
  const mask = unitBits === 32 ? 0xffffffff : (1 << unitBits) - 1;
  const pushCodePoint = (cp: number): void => {
    if (unitBits === 32) out.push(cp);
    else if (unitBits === 16) {
      if (cp > 0xffff) {
        const v = cp - 0x10000;
        out.push(0xd800 + (v >> 10), 0xdc00 + (v & 0x3ff));
      } else out.push(cp);
    } else if (cp < 0x80) out.push(cp);
    else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 63));
    else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
    else out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
  };
  let i = 0;
  while (i < body.length) {
    const cp = body.codePointAt(i) as number;
    if (cp !== 0x5c) {
      pushCodePoint(cp);
      i += cp > 0xffff ? 2 : 1;
      continue;
    }
    const e = body[i + 1] ?? '';
    i += 2;
    const simple: Record<string, number> = {
      n: 10,
      t: 9,
      r: 13,
      a: 7,
      b: 8,
      f: 12,
      v: 11,
      e: 27,
      E: 27,
      '\\': 92,
      "'": 39,
      '"': 34,
      '?': 63,
    };
    if (e in simple) {
      out.push(simple[e] as number);
    } else if (e >= '0' && e <= '7') {
      let v = Number(e);
      for (let k = 0; k < 2 && /[0-7]/.test(body[i] ?? ''); k++) v = v * 8 + Number(body[i++]);
      if (v > mask) complain('octal escape sequence out of range', 'warning');
      out.push(v & mask);
    } else if (e === 'x') {
      let j = i;
      while (/[0-9a-fA-F]/.test(body[j] ?? '')) j++;
      if (j === i) {
        complain('\\x used with no following hex digits', 'error');
        continue;
      }
      const v = BigInt(`0x${body.slice(i, j)}`);
      if (v > BigInt(mask)) complain('hex escape sequence out of range', 'warning');
      out.push(Number(v & BigInt(mask)));
      i = j;
    } else if (e === 'u' || e === 'U') {
      const len = e === 'u' ? 4 : 8;
      const hex = body.slice(i, i + len);
      if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(hex)) {
        complain(`incomplete universal character name \\${e}${hex}`, 'error');
        i += hex.length;
        continue;
      }
      i += len;
      const v = parseInt(hex, 16);
      if (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) {
        complain(`\\${e}${hex} is not a valid universal character`, 'error');
        continue;
      }
      pushCodePoint(v);
    } else {
      complain(`unknown escape sequence: '\\${e}'`, 'warning');
      if (e) pushCodePoint(e.codePointAt(0) as number);
    }
  }
  return out;
}

export interface CharConst {
  value: number;
  /** int for plain/L constants per C (wchar_t is int), unsigned short/int for u/U. */
  kind: 'int' | 'ushort' | 'uint';
}

/** Value of a character constant on this target (plain char unsigned, so '\xff' is 255). */
export function parseCharConst(text: string, complain: Complain): CharConst {
  const { prefix, body } = splitPrefix(text);
  const bits = prefix === '' || prefix === 'u8' ? 8 : prefix === 'u' ? 16 : 32;
  const units = decodeBody(body, bits, complain);
  if (units.length === 0) {
    complain('empty character constant', 'error');
    return { value: 0, kind: 'int' };
  }
  if (prefix === '') {
    if (units.length > 1) {
      if (units.length > 4) complain('character constant too long for its type', 'warning');
      else complain('multi-character character constant', 'warning');
      let v = 0;
      for (const u of units) v = ((v << 8) | u) >>> 0;
      return { value: v | 0, kind: 'int' };
    }
    return { value: units[0] as number, kind: 'int' };
  }
  if (units.length > 1) complain('character constant too long for its type', 'warning');
  const last = units[units.length - 1] as number;
  if (prefix === 'L') return { value: last | 0, kind: 'int' };
  return { value: last >>> 0, kind: prefix === 'u' ? 'ushort' : 'uint' };
}
