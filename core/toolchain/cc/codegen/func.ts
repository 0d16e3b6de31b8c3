// Functions to RV32 GNU assembly: a simple stack-machine scheme (values in a0, temporaries pushed
// on the stack, locals at fixed s0-relative slots). Integer-class values of at most 32 bits,
// pointers, arrays and structs in memory. 64-bit integers, floating point, struct arguments and
// variadic definitions are reported as not yet supported.

import type { Expr, FuncDef, Stmt, Sym } from '../ast';
import { alignOf, isInteger, isRecord, isUnsigned, sizeOf, type Member, type Type } from '../types';
import { genAsm } from './asm';
import { strLabel } from './data';

export class Unsupported extends Error {}

export const scalar = (t: Type): boolean => (isInteger(t) && sizeOf(t) <= 4) || t.kind === 'ptr';

export class FuncGen {
  private out: string[] = [];
  private slots = new Map<Sym, number>();
  private frame = 0;
  private label = 0;
  private breaks: string[] = [];
  private conts: string[] = [];
  private switchLabels = new Map<number, string>();
  private readonly ret: string;
  /** Bytes between s0 and the locals: saved ra/s0 (and the a0-a7 save area when variadic). */
  private hdr = 16;

  constructor(
    private readonly f: FuncDef,
    private readonly fnId: number,
  ) {
    this.ret = `.L.return.${fnId}`;
  }

  unsupported(what: string): never {
    throw new Unsupported(`${what} is not supported by the futcc code generator yet`);
  }

  emit(s: string): void {
    this.out.push(`  ${s}`);
  }

  private newLabel(): string {
    return `.L.${this.fnId}.${this.label++}`;
  }

  private slot(sym: Sym): number {
    let off = this.slots.get(sym);
    if (off === undefined) {
      const size = Math.max(1, sizeOf(sym.type));
      const al = Math.max(sym.align ?? 1, alignOf(sym.type), 1);
      this.frame = Math.ceil((this.frame + size) / al) * al;
      off = this.frame;
      this.slots.set(sym, off);
    }
    return off;
  }

  generate(): string[] {
    const f = this.f;
    const ft = f.sym.type;
    if (ft.kind !== 'func') return [];
    if (ft.variadic) this.hdr = 48;
    if (!scalar(ft.ret) && ft.ret.kind !== 'void') this.unsupported(`returning '${ft.ret.kind}'`);
    if (f.params.length > 8) this.unsupported('more than 8 parameters');
    for (const p of f.params) {
      if (!scalar(p.type)) this.unsupported(`a parameter of type '${p.type.kind}'`);
      this.slot(p);
    }
    for (const l of f.locals) this.slot(l);
    const body: string[] = [];
    const saved = this.out;
    this.out = body;
    this.stmt(f.body);
    this.out = saved;
    const frame = Math.ceil(this.frame / 16) * 16;
    const name = f.sym.linkName;
    if (f.sym.storage !== 'static') this.out.push(`  .globl ${name}`);
    this.out.push(`  .text`, `  .p2align 2`, `  .type ${name}, @function`, `${name}:`);
    this.emit(`addi sp, sp, -${this.hdr}`);
    this.emit('sw ra, 12(sp)');
    this.emit('sw s0, 8(sp)');
    this.emit(`addi s0, sp, ${this.hdr}`);
    // Variadic: a0-a7 go to a save area just below the caller's stack arguments, so that
    // va_arg walks one contiguous sequence (psABI).
    if (ft.variadic) for (let i = 0; i < 8; i++) this.emit(`sw a${i}, ${-32 + 4 * i}(s0)`);
    this.emit(`li t0, ${frame}`);
    this.emit('sub sp, sp, t0');
    f.params.forEach((p, i) => this.store(p.type, `a${i}`, -this.slot(p) - this.hdr, 's0'));
    this.out.push(...body);
    if (f.sym.name === 'main') this.emit('li a0, 0');
    this.out.push(`${this.ret}:`);
    this.emit(`addi sp, s0, -${this.hdr}`);
    this.emit('lw ra, 12(sp)');
    this.emit('lw s0, 8(sp)');
    this.emit(`addi sp, sp, ${this.hdr}`);
    this.emit('ret');
    this.out.push(`  .size ${name}, .-${name}`);
    return this.out;
  }

  // ---- memory ----

  push(): void {
    this.emit('addi sp, sp, -4');
    this.emit('sw a0, 0(sp)');
  }

  pop(reg: string): void {
    this.emit(`lw ${reg}, 0(sp)`);
    this.emit('addi sp, sp, 4');
  }

  /** Loads a value of type `t` from the address in a0 (aggregates stay as addresses). */
  private load(t: Type): void {
    if (t.kind === 'array' || isRecord(t) || t.kind === 'func') return;
    if (!scalar(t)) this.unsupported(`a value of type '${t.kind}'`);
    const size = sizeOf(t);
    const u = isUnsigned(t);
    this.emit(`${size === 1 ? (u ? 'lbu' : 'lb') : size === 2 ? (u ? 'lhu' : 'lh') : 'lw'} a0, 0(a0)`);
  }

  private store(t: Type, reg: string, off: number, base: string): void {
    const size = sizeOf(t);
    this.emit(`${size === 1 ? 'sb' : size === 2 ? 'sh' : 'sw'} ${reg}, ${off}(${base})`);
  }

  /** Normalises a0 to type `t` (truncation with sign or zero extension). */
  convert(t: Type): void {
    if (t.kind === 'void') return;
    if (!scalar(t)) this.unsupported(`a conversion to '${t.kind}'`);
    if (t.kind === 'bool') this.emit('snez a0, a0');
    else if (sizeOf(t) < 4) {
      const sh = 32 - sizeOf(t) * 8;
      this.emit(`slli a0, a0, ${sh}`);
      this.emit(`${isUnsigned(t) ? 'srli' : 'srai'} a0, a0, ${sh}`);
    }
  }

  private copyBytes(size: number): void {
    // t1 = destination, a0 = source; a0 keeps the destination address afterwards.
    for (let i = 0; i < size; i++) {
      this.emit(`lbu t2, ${i}(a0)`);
      this.emit(`sb t2, ${i}(t1)`);
    }
    this.emit('mv a0, t1');
  }

  // ---- lvalues ----

  addr(e: Expr): void {
    switch (e.k) {
      case 'var':
        if (e.sym.isLocal && e.sym.storage !== 'static')
          this.emit(`addi a0, s0, ${-this.slot(e.sym) - this.hdr}`);
        else this.emit(`la a0, ${e.sym.linkName}`);
        return;
      case 'deref':
        return this.expr(e.expr);
      case 'member':
        this.addr(e.expr);
        if (e.member.offset) this.emit(`addi a0, a0, ${e.member.offset}`);
        return;
      case 'str':
        this.emit(`la a0, ${strLabel(e.str)}`);
        return;
      case 'compound':
        if (e.sym.storage === 'static') this.emit(`la a0, ${e.sym.linkName}`);
        else {
          this.initLocal(e.sym);
          this.emit(`addi a0, s0, ${-this.slot(e.sym) - this.hdr}`);
        }
        return;
      case 'comma':
        this.expr(e.lhs);
        return this.addr(e.rhs);
      default:
        if (isRecord(e.type)) return this.expr(e); // struct-valued calls etc. leave an address
        this.unsupported(`taking the address of '${e.k}'`);
    }
  }

  private bitLoad(m: Member): void {
    const bf = m.bitField as { width: number; bitOffset: number };
    const size = sizeOf(m.type);
    this.emit(`${size === 1 ? 'lbu' : size === 2 ? 'lhu' : 'lw'} a0, 0(a0)`);
    this.emit(`slli a0, a0, ${32 - bf.bitOffset - bf.width}`);
    this.emit(`${isUnsigned(m.type) ? 'srli' : 'srai'} a0, a0, ${32 - bf.width}`);
  }

  /** Stores a0 into the lvalue whose address is in t1 (bit-fields: read-modify-write). */
  storeTo(target: Expr, t: Type): void {
    if (target.k === 'member' && target.member.bitField) {
      const { width, bitOffset } = target.member.bitField;
      const size = sizeOf(target.member.type);
      const mask = ((2 ** width - 1) * 2 ** bitOffset) >>> 0;
      this.emit(`${size === 1 ? 'lbu' : size === 2 ? 'lhu' : 'lw'} t2, 0(t1)`);
      this.emit(`li t3, ${mask | 0}`);
      this.emit('not t4, t3');
      this.emit('and t2, t2, t4');
      this.emit(`slli t4, a0, ${bitOffset}`);
      this.emit('and t4, t4, t3');
      this.emit('or t2, t2, t4');
      this.store(target.member.type, 't2', 0, 't1');
      // The value of the assignment is the new field value.
      this.emit(`slli a0, a0, ${32 - width}`);
      this.emit(`${isUnsigned(target.member.type) ? 'srli' : 'srai'} a0, a0, ${32 - width}`);
      return;
    }
    if (isRecord(t)) return this.copyBytes(sizeOf(t));
    this.store(t, 'a0', 0, 't1');
  }

  // ---- expressions ----

  expr(e: Expr): void {
    switch (e.k) {
      case 'int':
        if (sizeOf(e.type) > 4) this.unsupported('a 64-bit integer');
        this.emit(`li a0, ${Number(BigInt.asIntN(32, e.value))}`);
        return;
      case 'float':
        return this.unsupported('floating point');
      case 'str':
      case 'compound':
        return this.addr(e);
      case 'var':
        if (e.sym.isFunction) {
          this.emit(`la a0, ${e.sym.linkName}`);
          return;
        }
        this.addr(e);
        return this.load(e.type);
      case 'member':
        this.addr(e);
        if (e.member.bitField) return this.bitLoad(e.member);
        return this.load(e.type);
      case 'deref':
        this.expr(e.expr);
        return this.load(e.type);
      case 'addr':
        return this.addr(e.expr);
      case 'cast':
        this.expr(e.expr);
        if (!scalar(e.expr.type) && e.expr.type.kind !== 'array' && e.expr.type.kind !== 'func') {
          if (e.type.kind !== 'void') this.unsupported(`a conversion from '${e.expr.type.kind}'`);
        }
        return this.convert(e.type);
      case 'neg':
        this.expr(e.expr);
        this.emit('neg a0, a0');
        return this.convert(e.type);
      case 'bitnot':
        this.expr(e.expr);
        this.emit('not a0, a0');
        return this.convert(e.type);
      case 'not':
        this.expr(e.expr);
        this.emit('seqz a0, a0');
        return;
      case 'binary':
        this.operands(e.lhs, e.rhs);
        this.binop(e.op, e.type, e.lhs.type);
        return this.convert(e.type);
      case 'compare':
        this.operands(e.lhs, e.rhs);
        return this.compare(e.op, isUnsigned(e.opType) || e.opType.kind === 'ptr');
      case 'ptrdiff':
        this.operands(e.lhs, e.rhs);
        this.emit('sub a0, a0, t1');
        if (e.elemSize !== 1) {
          this.emit(`li t1, ${e.elemSize}`);
          this.emit('div a0, a0, t1');
        }
        return;
      case 'logand':
      case 'logor': {
        const done = this.newLabel();
        this.expr(e.lhs);
        this.emit('snez a0, a0');
        this.emit(`${e.k === 'logand' ? 'beqz' : 'bnez'} a0, ${done}`);
        this.expr(e.rhs);
        this.emit('snez a0, a0');
        this.out.push(`${done}:`);
        return;
      }
      case 'cond': {
        const els = this.newLabel();
        const done = this.newLabel();
        this.expr(e.cond);
        this.emit(`beqz a0, ${els}`);
        this.expr(e.then);
        this.emit(`j ${done}`);
        this.out.push(`${els}:`);
        this.expr(e.else);
        this.out.push(`${done}:`);
        return;
      }
      case 'comma':
        this.expr(e.lhs);
        return this.expr(e.rhs);
      case 'assign':
        this.addr(e.lhs);
        this.push();
        this.expr(e.rhs);
        this.pop('t1');
        return this.storeTo(e.lhs, e.lhs.type);
      case 'opassign':
        return this.opassign(e);
      case 'incdec':
        return this.incdec(e);
      case 'call':
        return this.call(e);
      case 'va_start': {
        const ft = this.f.sym.type;
        const named = ft.kind === 'func' ? ft.params.length : 0;
        this.addr(e.ap);
        this.emit(`addi t1, s0, ${-32 + 4 * named}`);
        this.emit('sw t1, 0(a0)');
        return;
      }
      case 'va_arg':
        if (!scalar(e.type)) this.unsupported(`va_arg of type '${e.type.kind}'`);
        this.addr(e.ap);
        this.emit('lw t1, 0(a0)');
        this.emit('addi t2, t1, 4');
        this.emit('sw t2, 0(a0)');
        this.emit('mv a0, t1');
        return this.load(e.type);
      case 'va_end':
        return;
      case 'va_copy':
        this.addr(e.dst);
        this.push();
        this.expr(e.src);
        this.pop('t1');
        this.emit('sw a0, 0(t1)');
        return;
      default:
        return this.unsupported(`'${(e as Expr).k}'`);
    }
  }

  /** Evaluates lhs into a0 and rhs into t1. */
  private operands(lhs: Expr, rhs: Expr): void {
    this.expr(rhs);
    this.push();
    this.expr(lhs);
    this.pop('t1');
  }

  private binop(op: string, t: Type, lhsType: Type): void {
    if (!scalar(t)) this.unsupported(`arithmetic on '${t.kind}'`);
    const u = isUnsigned(t) || t.kind === 'ptr';
    const ins: Record<string, string> = {
      '+': 'add',
      '-': 'sub',
      '*': 'mul',
      '/': u ? 'divu' : 'div',
      '%': u ? 'remu' : 'rem',
      '&': 'and',
      '|': 'or',
      '^': 'xor',
      '<<': 'sll',
      '>>': isUnsigned(lhsType) ? 'srl' : 'sra',
    };
    this.emit(`${ins[op]} a0, a0, t1`);
  }

  private compare(op: string, u: boolean): void {
    const slt = u ? 'sltu' : 'slt';
    if (op === '==' || op === '!=') {
      this.emit('sub a0, a0, t1');
      this.emit(op === '==' ? 'seqz a0, a0' : 'snez a0, a0');
    } else if (op === '<') this.emit(`${slt} a0, a0, t1`);
    else if (op === '>') this.emit(`${slt} a0, t1, a0`);
    else {
      this.emit(op === '<=' ? `${slt} a0, t1, a0` : `${slt} a0, a0, t1`);
      this.emit('xori a0, a0, 1');
    }
  }

  private opassign(e: Expr & { k: 'opassign' }): void {
    this.addr(e.lhs);
    this.push();
    if (e.lhs.k === 'member' && e.lhs.member.bitField) this.bitLoad(e.lhs.member);
    else this.load(e.lhs.type);
    this.push();
    this.expr(e.rhs);
    this.emit('mv t1, a0');
    this.pop('a0');
    this.binop(e.op, e.opType, e.lhs.type);
    this.convert(e.type);
    this.pop('t1');
    this.storeTo(e.lhs, e.lhs.type);
  }

  private incdec(e: Expr & { k: 'incdec' }): void {
    if (!scalar(e.type)) this.unsupported(`++/-- on '${e.type.kind}'`);
    this.addr(e.lhs);
    this.emit('mv t1, a0');
    if (e.lhs.k === 'member' && e.lhs.member.bitField) this.bitLoad(e.lhs.member);
    else this.load(e.lhs.type);
    this.emit('mv t5, a0');
    this.emit(`addi a0, a0, ${e.delta}`);
    this.convert(e.type);
    this.storeTo(e.lhs, e.lhs.type);
    if (!e.prefix) this.emit('mv a0, t5');
  }

  private call(e: Expr & { k: 'call' }): void {
    if (e.args.length > 8) this.unsupported('calls with more than 8 arguments');
    for (const a of e.args) if (!scalar(a.type)) this.unsupported(`an argument of type '${a.type.kind}'`);
    if (!scalar(e.funcType.ret) && e.funcType.ret.kind !== 'void')
      this.unsupported(`calling a function returning '${e.funcType.ret.kind}'`);
    const c = e.callee;
    const direct = c.k === 'addr' && c.expr.k === 'var' && c.expr.sym.isFunction ? c.expr.sym : null;
    if (direct?.builtin) this.unsupported(`'${direct.name}'`);
    if (!direct) {
      this.expr(c);
      this.push();
    }
    for (const a of e.args) {
      this.expr(a);
      this.push();
    }
    for (let i = e.args.length - 1; i >= 0; i--) this.pop(`a${i}`);
    if (direct) this.emit(`call ${direct.linkName}`);
    else {
      this.pop('t2');
      this.emit('jalr t2');
    }
  }

  // ---- statements ----

  private initLocal(sym: Sym): void {
    const init = sym.init;
    if (!init) return;
    const base = -this.slot(sym) - this.hdr;
    const size = sizeOf(sym.type);
    const whole =
      init.items.length === 1 && init.items[0]?.offset === 0 && sizeOf(init.items[0].type) === size;
    if (!whole) for (let i = 0; i < size; i++) this.emit(`sb zero, ${base + i}(s0)`);
    for (const it of init.items) {
      if (it.expr.k === 'str' && it.type.kind === 'array') {
        const esz = sizeOf(it.type.base);
        const n = it.type.len ?? it.expr.str.units.length;
        it.expr.str.units.slice(0, n).forEach((u, k) => {
          this.emit(`li a0, ${u | 0}`);
          this.store(
            it.type.kind === 'array' ? it.type.base : it.type,
            'a0',
            base + it.offset + k * esz,
            's0',
          );
        });
        continue;
      }
      this.expr(it.expr);
      this.emit(`addi t1, s0, ${base + it.offset}`);
      if (it.bitField) {
        const target: Expr = {
          k: 'member',
          loc: it.expr.loc,
          type: it.type,
          expr: it.expr,
          member: { name: null, type: it.type, offset: 0, bitField: it.bitField },
        };
        this.storeTo(target, it.type);
      } else if (isRecord(it.type)) this.copyBytes(sizeOf(it.type));
      else this.store(it.type, 'a0', 0, 't1');
    }
  }

  stmt(s: Stmt): void {
    switch (s.k) {
      case 'block':
        return s.items.forEach((x) => this.stmt(x));
      case 'expr':
        return this.expr(s.expr);
      case 'decl':
        if (s.sym.storage !== 'static') this.initLocal(s.sym);
        return;
      case 'null':
        return;
      case 'if': {
        const els = this.newLabel();
        const done = this.newLabel();
        this.expr(s.cond);
        this.emit(`beqz a0, ${els}`);
        this.stmt(s.then);
        this.emit(`j ${done}`);
        this.out.push(`${els}:`);
        if (s.else) this.stmt(s.else);
        this.out.push(`${done}:`);
        return;
      }
      case 'while':
      case 'for':
      case 'dowhile':
        return this.loop(s);
      case 'return':
        if (s.expr) this.expr(s.expr);
        this.emit(`j ${this.ret}`);
        return;
      case 'switch':
        return this.switchStmt(s);
      case 'case':
        this.out.push(`${this.switchLabels.get(s.id)}:`);
        return this.stmt(s.body);
      case 'break':
        this.emit(`j ${this.breaks[this.breaks.length - 1]}`);
        return;
      case 'continue':
        this.emit(`j ${this.conts[this.conts.length - 1]}`);
        return;
      case 'goto':
        this.emit(`j .L.${this.fnId}.label.${s.label}`);
        return;
      case 'label':
        this.out.push(`.L.${this.fnId}.label.${s.label}:`);
        return this.stmt(s.body);
      case 'asm':
        return genAsm(this, s);
    }
  }

  private loop(s: Stmt & { k: 'while' | 'for' | 'dowhile' }): void {
    const top = this.newLabel();
    const cont = this.newLabel();
    const brk = this.newLabel();
    if (s.k === 'for' && s.init) this.stmt(s.init);
    this.breaks.push(brk);
    this.conts.push(cont);
    this.out.push(`${top}:`);
    if (s.k !== 'dowhile' && s.cond) {
      this.expr(s.cond);
      this.emit(`beqz a0, ${brk}`);
    }
    this.stmt(s.body);
    this.out.push(`${cont}:`);
    if (s.k === 'for' && s.step) this.expr(s.step);
    if (s.k === 'dowhile') {
      this.expr(s.cond);
      this.emit(`bnez a0, ${top}`);
    } else this.emit(`j ${top}`);
    this.out.push(`${brk}:`);
    this.breaks.pop();
    this.conts.pop();
  }

  private switchStmt(s: Stmt & { k: 'switch' }): void {
    const brk = this.newLabel();
    this.expr(s.cond);
    let dflt = brk;
    for (const c of s.cases) {
      const l = this.newLabel();
      this.switchLabels.set(c.id, l);
      if (c.value === null) dflt = l;
      else {
        this.emit(`li t1, ${Number(BigInt.asIntN(32, c.value))}`);
        this.emit(`beq a0, t1, ${l}`);
      }
    }
    this.emit(`j ${dflt}`);
    this.breaks.push(brk);
    this.stmt(s.body);
    this.breaks.pop();
    this.out.push(`${brk}:`);
  }
}
