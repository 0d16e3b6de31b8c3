// Breakpoint conditions: a small C expression language over integers — numbers, names (locals,
// globals, registers, resolved by the caller), unary - ! ~ *, the binary operators of C with their
// precedence, and parentheses. Parse once, evaluate at every hit; errors are values, never throws.

export type Cond =
  | { k: 'num'; v: number }
  | { k: 'name'; name: string }
  | { k: 'un'; op: string; e: Cond }
  | { k: 'bin'; op: string; l: Cond; r: Cond };

export interface CondScope {
  /** The value of a name, or undefined when there is no such name. */
  lookup(name: string): number | undefined;
  /** The 32-bit word at an address, or null when unreadable. */
  load(addr: number): number | null;
}

const BINARY: Record<string, number> = {
  '||': 1,
  '&&': 2,
  '|': 3,
  '^': 4,
  '&': 5,
  '==': 6,
  '!=': 6,
  '<': 7,
  '<=': 7,
  '>': 7,
  '>=': 7,
  '<<': 8,
  '>>': 8,
  '+': 9,
  '-': 9,
  '*': 10,
  '/': 10,
  '%': 10,
};

const TOKEN =
  /\s*(0[xX][0-9a-fA-F]+|\d+|'(?:\\.|[^'\\])'|[A-Za-z_$][\w$]*|\|\||&&|==|!=|<=|>=|<<|>>|[-+*/%<>!~&|^()])/y;

function tokenize(src: string): string[] | string {
  const out: string[] = [];
  TOKEN.lastIndex = 0;
  let pos = 0;
  while (pos < src.length) {
    if (/^\s*$/.test(src.slice(pos))) break;
    TOKEN.lastIndex = pos;
    const m = TOKEN.exec(src);
    if (!m) return `unexpected '${src.slice(pos).trim()[0]}' at column ${pos + 1}`;
    out.push(m[1]!);
    pos = TOKEN.lastIndex;
  }
  return out;
}

function charValue(tok: string): number {
  const body = tok.slice(1, -1);
  if (body[0] !== '\\') return body.charCodeAt(0);
  const esc: Record<string, number> = { n: 10, t: 9, r: 13, '0': 0, '\\': 92, "'": 39 };
  return esc[body[1]!] ?? body.charCodeAt(1);
}

/** Parses a condition; a string is the error message. */
export function parseCondition(src: string): Cond | string {
  const toks = tokenize(src);
  if (typeof toks === 'string') return toks;
  let i = 0;
  const primary = (): Cond | string => {
    const t = toks[i++];
    if (t === undefined) return 'unexpected end of expression';
    if (t === '(') {
      const e = expr(0);
      if (typeof e === 'string') return e;
      if (toks[i++] !== ')') return "missing ')'";
      return e;
    }
    if (t === '-' || t === '!' || t === '~' || t === '*' || t === '+') {
      const e = primary();
      return typeof e === 'string' ? e : { k: 'un', op: t, e };
    }
    if (/^\d/.test(t))
      return { k: 'num', v: t.startsWith('0x') || t.startsWith('0X') ? parseInt(t, 16) : Number(t) };
    if (t.startsWith("'")) return { k: 'num', v: charValue(t) };
    if (/^[A-Za-z_$]/.test(t)) return { k: 'name', name: t };
    return `unexpected '${t}'`;
  };
  const expr = (minPrec: number): Cond | string => {
    let left = primary();
    if (typeof left === 'string') return left;
    for (;;) {
      const op = toks[i];
      const prec = op === undefined ? undefined : BINARY[op];
      if (prec === undefined || prec <= minPrec) return left;
      i++;
      const right = expr(prec);
      if (typeof right === 'string') return right;
      left = { k: 'bin', op: op!, l: left, r: right };
    }
  };
  const e = expr(0);
  if (typeof e === 'string') return e;
  if (i < toks.length) return `unexpected '${toks[i]}'`;
  return e;
}

/** Evaluates with C's 32-bit signed int semantics; a string is the error message. */
export function evaluate(c: Cond, scope: CondScope): number | string {
  switch (c.k) {
    case 'num':
      return c.v | 0;
    case 'name': {
      const v = scope.lookup(c.name);
      return v === undefined ? `no symbol '${c.name}' in the current context` : v | 0;
    }
    case 'un': {
      const v = evaluate(c.e, scope);
      if (typeof v === 'string') return v;
      if (c.op === '-') return -v | 0;
      if (c.op === '!') return v === 0 ? 1 : 0;
      if (c.op === '~') return ~v;
      if (c.op === '+') return v;
      const w = scope.load(v >>> 0);
      return w === null ? `cannot read memory at 0x${(v >>> 0).toString(16)}` : w | 0;
    }
    case 'bin': {
      const l = evaluate(c.l, scope);
      if (typeof l === 'string') return l;
      if (c.op === '&&' && l === 0) return 0;
      if (c.op === '||' && l !== 0) return 1;
      const r = evaluate(c.r, scope);
      if (typeof r === 'string') return r;
      return binary(c.op, l, r);
    }
  }
}

function binary(op: string, l: number, r: number): number | string {
  switch (op) {
    case '+':
      return (l + r) | 0;
    case '-':
      return (l - r) | 0;
    case '*':
      return Math.imul(l, r);
    case '/':
    case '%':
      if (r === 0) return 'division by zero';
      return op === '/' ? (l / r) | 0 : (l % r) | 0;
    case '<<':
      return l << (r & 31);
    case '>>':
      return l >> (r & 31);
    case '&':
      return l & r;
    case '|':
      return l | r;
    case '^':
      return l ^ r;
    case '&&':
    case '||':
      return r !== 0 ? 1 : 0;
    case '==':
      return l === r ? 1 : 0;
    case '!=':
      return l !== r ? 1 : 0;
    case '<':
      return l < r ? 1 : 0;
    case '<=':
      return l <= r ? 1 : 0;
    case '>':
      return l > r ? 1 : 0;
    default:
      return l >= r ? 1 : 0;
  }
}
