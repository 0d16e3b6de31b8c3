// Assembler directives (GNU as): sections, symbols, data, alignment, options, line info. Unknown
// directives are errors; debug-only ones (.cfi_*, .attribute, .ident, .addrsig) are accepted.
import { AsmError } from './diag';
import { Cursor, parseExpr, type Expr, type ExprHooks } from './expr';
import type { Token } from './lexer';
import type { AsmState, Sym } from './state';

const SHF_WRITE = 1;
const SHF_ALLOC = 2;
const SHF_EXEC = 4;
const SHF_MERGE = 0x10;
const SHF_STRINGS = 0x20;

export interface DirectiveContext {
  st: AsmState;
  hooks: ExprHooks;
  constEval: (e: Expr) => number | null;
}

/** Largest block a single .zero/.space/.fill/.lcomm may reserve (64 MiB). */
const MAX_BLOCK = 1 << 26;

const DATA_SIZES: Record<string, number> = {
  '.byte': 1,
  '.half': 2,
  '.short': 2,
  '.2byte': 2,
  '.word': 4,
  '.long': 4,
  '.4byte': 4,
  '.int': 4,
  '.dword': 8,
  '.quad': 8,
  '.8byte': 8,
};

function constant(cx: DirectiveContext, c: Cursor, what: string): number {
  const t = c.peek();
  const v = cx.constEval(parseExpr(c, cx.hooks));
  if (v === null) throw new AsmError(`${what} must be a constant`, t.line, t.col);
  return v;
}

function symName(c: Cursor): { name: string; t: Token } {
  const t = c.next();
  if (t.kind !== 'id' && t.kind !== 'str') c.fail('expected a symbol name', t);
  return { name: t.kind === 'str' ? t.text.slice(1, -1) : t.text, t };
}

function stringArg(c: Cursor): number[] {
  const t = c.next();
  if (t.kind !== 'str') c.fail('expected a string', t);
  return t.bytes ?? [];
}

function ensureEnd(c: Cursor): void {
  if (!c.atEnd()) c.fail(`junk at end of line: '${c.peek().text}'`);
}

function switchTo(st: AsmState, name: string, type?: number, flags?: number, entsize?: number): void {
  const s = st.section(name, type, flags, entsize);
  if (s !== st.cur) st.prev = st.cur;
  st.cur = s;
}

function sectionDirective(cx: DirectiveContext, c: Cursor): void {
  const first = c.next();
  if (first.kind !== 'id' && first.kind !== 'str') c.fail('expected a section name', first);
  let name = first.kind === 'str' ? first.text.slice(1, -1) : first.text;
  // Names like .text.unlikely.foo-bar may tokenise into several pieces; join until a comma.
  while (!c.atEnd() && !c.isPunct(',')) name += c.next().text;
  let flags: number | undefined;
  let type: number | undefined;
  let entsize: number | undefined;
  if (c.eat(',')) {
    const f = c.next();
    if (f.kind !== 'str') c.fail('expected a flags string', f);
    flags = 0;
    for (const ch of f.text.slice(1, -1)) {
      const bit = { a: SHF_ALLOC, w: SHF_WRITE, x: SHF_EXEC, M: SHF_MERGE, S: SHF_STRINGS }[ch];
      if (bit !== undefined) flags |= bit;
      else if (!'GTRod?'.includes(ch)) c.fail(`unknown section flag '${ch}'`, f);
    }
    if (c.eat(',')) {
      if (!c.eat('@')) c.eat('%');
      const ty = c.next();
      const types: Record<string, number> = {
        progbits: 1,
        nobits: 8,
        note: 7,
        init_array: 14,
        fini_array: 15,
        preinit_array: 16,
      };
      const tv = types[ty.text];
      if (tv === undefined) c.fail(`unknown section type '${ty.text}'`, ty);
      type = tv;
      if (c.eat(',')) entsize = constant(cx, c, 'entry size');
      // Group names and linkage (comdat) are accepted and ignored.
      while (!c.atEnd()) c.next();
    }
  }
  switchTo(cx.st, name, type, flags, entsize);
}

function setBind(cx: DirectiveContext, c: Cursor, bind: Sym['bind']): void {
  do {
    const { name } = symName(c);
    const s = cx.st.sym(name);
    s.bind = bind;
    s.explicitBind = true;
  } while (c.eat(','));
}

function align(cx: DirectiveContext, c: Cursor, kind: 'pow' | 'bytes'): void {
  const t = c.peek();
  const n = constant(cx, c, 'alignment');
  const bytes = kind === 'pow' ? 2 ** n : n;
  if (!Number.isInteger(bytes) || bytes < 1 || bytes > 0x10000 || (bytes & (bytes - 1)) !== 0) {
    throw new AsmError(`alignment must be a power of two (got ${bytes})`, t.line, t.col);
  }
  let fill: number | null = null;
  let max = 0;
  if (c.eat(',')) {
    if (!c.isPunct(',')) fill = constant(cx, c, 'fill value') & 0xff;
    if (c.eat(',')) max = constant(cx, c, 'maximum');
  }
  const st = cx.st;
  st.cur.align = Math.max(st.cur.align, bytes);
  const code = (st.cur.flags & SHF_EXEC) !== 0;
  st.pushItem({ k: 'align', bytes, fill, max, code, rvc: st.rvc, size: 0, addr: 0 });
}

function dataDirective(cx: DirectiveContext, c: Cursor, size: number): void {
  const kind = ({ 1: 'd8', 2: 'd16', 4: 'd32', 8: 'd64' } as const)[size as 1 | 2 | 4 | 8];
  do {
    const t = c.peek();
    const e = parseExpr(c, cx.hooks);
    const v = cx.constEval(e);
    const bytes = new Array<number>(size).fill(0);
    if (v !== null) {
      // 64-bit literals keep their exact value (doubles lose bits above 2^53).
      const neg = e.k === 'un' && e.op === '-' && e.a.k === 'num' && e.a.big !== undefined;
      const big =
        e.k === 'num' ? e.big : neg && e.a.k === 'num' && e.a.big !== undefined ? -e.a.big : undefined;
      let x = BigInt.asUintN(64, big ?? BigInt(Math.trunc(v)));
      for (let i = 0; i < size; i++) {
        bytes[i] = Number(x & 0xffn);
        x >>= 8n;
      }
      cx.st.emitBytes(bytes);
    } else {
      cx.st.emitBytes(bytes, [{ kind, expr: e, t, off: 0 }]);
    }
  } while (c.eat(','));
}

function leb(v: number, signed: boolean): number[] {
  const out: number[] = [];
  let x = BigInt(Math.trunc(v));
  while (true) {
    const byte = Number(x & 0x7fn);
    x >>= 7n;
    const done = signed ? (x === 0n && (byte & 0x40) === 0) || (x === -1n && (byte & 0x40) !== 0) : x === 0n;
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

function floatDirective(cx: DirectiveContext, c: Cursor, dbl: boolean): void {
  do {
    const neg = c.eat('-');
    const t = c.next();
    let v: number;
    if (t.kind === 'num') v = Number(t.text.includes('.') ? t.text : t.value);
    else if (t.kind === 'id' && /^(inf|nan)$/i.test(t.text))
      v = t.text.toLowerCase() === 'inf' ? Infinity : NaN;
    else c.fail('expected a floating-point number', t);
    // Fractional literals tokenise as num '.' num; glue them back together.
    let text = t.text;
    while (!c.atEnd() && !c.isPunct(',')) text += c.next().text;
    v = Number(text.replace(/^0[fd]/i, ''));
    if (Number.isNaN(v) && !/nan/i.test(text)) c.fail(`bad floating-point number '${text}'`, t);
    if (neg) v = -v;
    const buf = new ArrayBuffer(dbl ? 8 : 4);
    const dv = new DataView(buf);
    if (dbl) dv.setFloat64(0, v, true);
    else dv.setFloat32(0, v, true);
    cx.st.emitBytes([...new Uint8Array(buf)]);
  } while (c.eat(','));
}

/** Handles one directive; `name` includes the leading dot. */
export function directive(cx: DirectiveContext, name: string, c: Cursor, t: Token): void {
  const st = cx.st;
  const size = DATA_SIZES[name];
  if (size !== undefined) return dataDirective(cx, c, size);
  switch (name) {
    case '.text':
    case '.data':
    case '.bss':
    case '.rodata':
      switchTo(st, name);
      break;
    case '.section':
      sectionDirective(cx, c);
      break;
    case '.pushsection':
      st.sectionStack.push({ cur: st.cur, prev: st.prev });
      sectionDirective(cx, c);
      break;
    case '.popsection': {
      const s = st.sectionStack.pop();
      if (!s) c.fail('.popsection without .pushsection', t);
      st.cur = s.cur;
      st.prev = s.prev;
      break;
    }
    case '.previous': {
      const p = st.prev;
      st.prev = st.cur;
      st.cur = p;
      break;
    }
    case '.globl':
    case '.global':
      setBind(cx, c, 'global');
      break;
    case '.local':
      setBind(cx, c, 'local');
      break;
    case '.weak':
      setBind(cx, c, 'weak');
      break;
    case '.hidden':
    case '.protected':
    case '.internal':
      while (!c.atEnd()) c.next();
      break;
    case '.align':
    case '.p2align':
      align(cx, c, 'pow');
      break;
    case '.balign':
      align(cx, c, 'bytes');
      break;
    case '.ascii':
    case '.string':
    case '.asciz':
      do {
        const b = stringArg(c);
        st.emitBytes(name === '.ascii' ? b : [...b, 0]);
      } while (c.eat(','));
      break;
    case '.zero':
    case '.space':
    case '.skip': {
      const n = constant(cx, c, 'size');
      const fill = c.eat(',') ? constant(cx, c, 'fill') & 0xff : 0;
      if (!Number.isInteger(n) || n < 0 || n > MAX_BLOCK) c.fail(`bad size ${n}`, t);
      st.emitBytes(new Uint8Array(n).fill(fill));
      break;
    }
    case '.fill': {
      const rep = constant(cx, c, 'repeat count');
      const sz = c.eat(',') ? constant(cx, c, 'size') : 1;
      const val = c.eat(',') ? constant(cx, c, 'value') : 0;
      if (!Number.isInteger(rep) || rep < 0 || sz < 0 || sz > 8 || rep * sz > MAX_BLOCK)
        c.fail('bad .fill arguments', t);
      const bytes = new Uint8Array(rep * sz);
      for (let i = 0; i < rep; i++)
        for (let k = 0; k < sz; k++) bytes[i * sz + k] = k < 4 ? (val >>> (8 * k)) & 0xff : 0;
      st.emitBytes(bytes);
      break;
    }
    case '.uleb128':
    case '.sleb128':
      do st.emitBytes(leb(constant(cx, c, 'LEB128 value'), name === '.sleb128'));
      while (c.eat(','));
      break;
    case '.float':
    case '.single':
      floatDirective(cx, c, false);
      break;
    case '.double':
      floatDirective(cx, c, true);
      break;
    case '.equ':
    case '.set':
    case '.equiv': {
      const { name: sname, t: nt } = symName(c);
      c.expect(',');
      defineEqu(cx, sname, parseExpr(c, cx.hooks), nt, name === '.equiv');
      break;
    }
    case '.type': {
      const { name: sname } = symName(c);
      c.expect(',');
      if (!c.eat('@')) c.eat('%');
      const ty = c.next();
      const types: Record<string, number> = {
        function: 2,
        object: 1,
        notype: 0,
        STT_FUNC: 2,
        STT_OBJECT: 1,
        STT_NOTYPE: 0,
        tls_object: 6,
      };
      const v = types[ty.text];
      if (v === undefined) c.fail(`unknown symbol type '${ty.text}'`, ty);
      st.sym(sname).type = v;
      break;
    }
    case '.size': {
      const { name: sname } = symName(c);
      c.expect(',');
      st.sym(sname).sizeExpr = parseExpr(c, cx.hooks);
      break;
    }
    case '.file': {
      if (c.peek().kind === 'num') {
        const n = c.next().value;
        let fname = stringArg(c);
        if (c.peek().kind === 'str') fname = [...fname, 47, ...stringArg(c)];
        while (!c.atEnd()) c.next();
        st.lineFiles.set(n, String.fromCharCode(...fname));
      } else {
        st.sourceFile = String.fromCharCode(...stringArg(c));
      }
      break;
    }
    case '.loc': {
      const file = constant(cx, c, 'file number');
      const line = constant(cx, c, 'line number');
      const col = c.peek().kind === 'num' ? constant(cx, c, 'column') : 0;
      let isStmt = true;
      while (!c.atEnd()) {
        const o = c.next();
        if (o.text === 'is_stmt' && c.peek().kind === 'num') isStmt = c.next().value !== 0;
      }
      st.locs.push({ section: st.cur, idx: st.cur.items.length, file, line, col, isStmt });
      break;
    }
    case '.option': {
      const o = c.next();
      switch (o.text) {
        case 'rvc':
          st.rvc = true;
          break;
        case 'norvc':
          st.rvc = false;
          break;
        case 'relax':
          st.relax = true;
          break;
        case 'norelax':
          st.relax = false;
          break;
        case 'push':
          st.optionStack.push({ rvc: st.rvc, relax: st.relax });
          break;
        case 'pop': {
          const p = st.optionStack.pop();
          if (!p) c.fail('.option pop without .option push', o);
          st.rvc = p.rvc;
          st.relax = p.relax;
          break;
        }
        case 'pic':
        case 'nopic':
        case 'csr-check':
        case 'no-csr-check':
          break;
        case 'arch':
          while (!c.atEnd()) {
            const x = c.next();
            if (x.kind === 'id' && /c$/.test(x.text) && c.toks[c.i - 2]?.text === '+') st.rvc = true;
          }
          break;
        default:
          c.fail(`unknown option '${o.text}'`, o);
      }
      break;
    }
    case '.comm':
    case '.lcomm': {
      const { name: sname, t: nt } = symName(c);
      c.expect(',');
      const sz = constant(cx, c, 'size');
      const al = c.eat(',')
        ? constant(cx, c, 'alignment')
        : Math.min(16, 2 ** Math.ceil(Math.log2(Math.max(1, sz))));
      const s = st.sym(sname);
      if (name === '.comm') {
        if (s.defined) throw new AsmError(`symbol '${sname}' is already defined`, nt.line, nt.col);
        s.common = { size: sz, align: al };
        s.bind = 'global';
        s.type = 1;
      } else {
        const save = st.cur;
        st.cur = st.section('.bss');
        st.cur.align = Math.max(st.cur.align, al);
        st.pushItem({ k: 'align', bytes: al, fill: 0, max: 0, code: false, rvc: false, size: 0, addr: 0 });
        const local = st.defineLabel(sname, nt.line, nt.col);
        local.type = 1;
        local.sizeExpr = { k: 'num', v: sz };
        if (!Number.isInteger(sz) || sz < 0 || sz > MAX_BLOCK) c.fail(`bad size ${sz}`, nt);
        st.emitBytes(new Uint8Array(sz));
        st.cur = save;
      }
      break;
    }
    case '.ident':
    case '.attribute':
    case '.addrsig':
    case '.addrsig_sym':
    case '.end':
    case '.variant_cc':
      while (!c.atEnd()) c.next();
      break;
    default:
      if (name.startsWith('.cfi_')) {
        while (!c.atEnd()) c.next();
        break;
      }
      throw new AsmError(`unknown directive '${name}'`, t.line, t.col);
  }
  ensureEnd(c);
}

export function defineEqu(cx: DirectiveContext, name: string, e: Expr, t: Token, once = false): void {
  const s = cx.st.sym(name);
  if ((s.defined && (once || !s.equ)) || (once && s.equ))
    throw new AsmError(`symbol '${name}' is already defined`, t.line, t.col);
  // Resolve `.` now: `x = .` means the current location, not the location at use.
  s.equ = e;
  s.defined = true;
  s.section = null;
}
