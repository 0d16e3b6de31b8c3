// Functions to RV32 GNU assembly. The -O0 scheme is a stack machine: the value being computed is in
// the "primary" registers of its class (a0; a0/a1 for 64-bit integers; fa0 for float/double; an
// address in a0 for aggregates), intermediate values are pushed in 8-byte stack slots and locals
// live at fixed s0-relative slots. At -O1 and above, scalar locals whose address is never taken
// live in callee-saved registers (see regalloc.ts), simple operands skip the stack and the value
// stack's entries live in the callee-saved registers left over (vstack.ts).

import type { Expr, FuncDef, Sym } from '../ast';
import { alignOf, sizeOf, type Type } from '../types';
import { classify, newArgState, classifyReturn, vclass, type ArgClass, type Part, type VClass } from './abi';
import { genExpr } from './expr';
import { genStmt } from './stmt';
import { CalleeSaved, chooseRegisters } from './regalloc';
import { hasAsm, popValue, pushValue, type Entry } from './vstack';
import type { FuncScopes } from './debuginfo';
import type { UnitCtx } from './unit';

export class Unsupported extends Error {}

export const fits12 = (n: number): boolean => n >= -2048 && n <= 2047;

export class FuncGen {
  out: string[] = [];
  private slots = new Map<Sym, number>();
  private frame = 0;
  private labelN = 0;
  breaks: string[] = [];
  conts: string[] = [];
  switchLabels = new Map<number, string>();
  readonly ret: string;
  /** Bytes between s0 and the locals: saved ra/s0 (and the a0-a7 save area when variadic). */
  hdr = 16;
  /** Locals kept in callee-saved registers (-O1+). */
  regs = new Map<Sym, string>();
  /** s0-relative slot holding the hidden return-buffer pointer (sret functions). */
  sretSlot = 0;
  /** Where va_start points: the first variadic argument's address relative to s0. */
  vaStart = 0;
  readonly opt: number;
  /** Set by expression statements: the next expression's value is not used. */
  discard = false;
  /** -O1+: callee-saved registers not holding locals (hoisted values, value-stack entries). */
  sregs = new CalleeSaved([]);
  /** Inside loops: global objects whose address a callee-saved register holds (hoist.ts). */
  globAddr = new Map<Sym, string>();
  /** Inside loops: integer constants (32-bit values) held in callee-saved registers. */
  constRegs = new Map<number, string>();
  /** Inside loops: FP constants (fconstKey) held in callee-saved FP registers. */
  fconstRegs = new Map<string, string>();
  /** -g: the function's variable scopes (code generation labels their pc ranges). */
  scopes?: FuncScopes;

  constructor(
    readonly f: FuncDef,
    readonly fnId: number,
    readonly unit: UnitCtx,
  ) {
    this.ret = `.L.return.${fnId}`;
    this.opt = unit.opt;
  }

  unsupported(what: string): never {
    throw new Unsupported(`${what} is not supported by the futcc code generator yet`);
  }

  emit(...lines: string[]): void {
    for (const s of lines) this.out.push(`  ${s}`);
  }

  label(l: string): void {
    this.out.push(`${l}:`);
  }

  newLabel(): string {
    return `.L.${this.fnId}.${this.labelN++}`;
  }

  /** s0-relative offset of a local's slot (allocated on first use). */
  slot(sym: Sym): number {
    let off = this.slots.get(sym);
    if (off === undefined) {
      off = this.temp(Math.max(1, sizeOf(sym.type)), Math.max(sym.align ?? 1, alignOf(sym.type), 1));
      this.slots.set(sym, off);
    }
    return off;
  }

  /** Where a parameter or local lives after generate(): its s0-relative slot or its register. */
  home(sym: Sym): { off: number } | { reg: string } | null {
    const reg = this.regs.get(sym);
    if (reg) return { reg };
    const off = this.slots.get(sym);
    return off === undefined ? null : { off };
  }

  /** A fresh frame slot; returns its s0-relative offset. */
  temp(size: number, align = 4): number {
    const al = Math.max(align, 1);
    this.frame = Math.ceil((this.frame + Math.ceil(size / 4) * 4) / al) * al;
    return -this.frame - this.hdr;
  }

  /** `op reg, off(base)` with any offset (t6 is the address scratch register). */
  mem(op: string, reg: string, off: number, base: string): void {
    if (fits12(off)) this.emit(`${op} ${reg}, ${off}(${base})`);
    else {
      this.emit(`li t6, ${off}`);
      this.emit(`add t6, t6, ${base}`);
      this.emit(`${op} ${reg}, 0(t6)`);
    }
  }

  /** reg = base + off. */
  addi(reg: string, base: string, off: number): void {
    if (fits12(off)) {
      if (off !== 0 || reg !== base) this.emit(`addi ${reg}, ${base}, ${off}`);
    } else {
      this.emit(`li t6, ${off}`);
      this.emit(`add ${reg}, ${base}, t6`);
    }
  }

  generate(): string[] {
    const f = this.f;
    const ft = f.sym.type;
    if (ft.kind !== 'func') return [];
    if (ft.variadic) this.hdr = 48;
    if (this.opt > 0) this.regs = chooseRegisters(f);
    const retParts = classifyReturn(ft.ret);
    if (retParts === null) this.sretSlot = this.temp(4);
    const st = newArgState(retParts === null);
    const recv: Array<[Sym, ArgClass]> = f.params.map((p) => [p, classify(p.type, st, false)]);
    this.vaStart = st.nx < 8 ? -32 + 4 * st.nx : st.stack;
    // A parameter split over several places (e.g. a double in two integer registers) stays in memory.
    for (const [p, c] of recv) {
      const reg = this.regs.get(p);
      const d = c.parts[0]?.dest;
      if (
        reg &&
        (c.parts.length !== 1 ||
          !d ||
          ('x' in d && reg.startsWith('f')) ||
          ('f' in d && !reg.startsWith('f')))
      )
        this.regs.delete(p);
    }
    if (this.opt > 0) this.sregs = new CalleeSaved(this.regs.values());
    this.vregs = this.opt > 0 && !hasAsm(f.body);
    for (const p of f.params) if (!this.regs.has(p)) this.slot(p);
    for (const l of f.locals) if (!this.regs.has(l)) this.slot(l);
    const body: string[] = [];
    this.out = body;
    this.receiveParams(recv);
    genStmt(this, f.body);
    if (f.sym.name === 'main') this.emit('li a0, 0');
    const used = [...new Set([...this.regs.values(), ...this.sregs.used])].sort();
    const saves = used.map((r) => [r, this.temp(8, 8)] as const);
    const frame = Math.ceil(this.frame / 16) * 16;
    const out: string[] = [];
    this.out = out;
    const name = f.sym.linkName;
    if (f.sym.storage !== 'static') out.push(`  .globl ${name}`);
    out.push(`  .text`, `  .p2align 2`, `  .type ${name}, @function`, `${name}:`);
    if (this.unit.debug) this.unit.loc(this, f.loc);
    this.emit(`addi sp, sp, -${this.hdr}`);
    this.emit('sw ra, 12(sp)');
    this.emit('sw s0, 8(sp)');
    this.emit(`addi s0, sp, ${this.hdr}`);
    // Variadic: a0-a7 go to a save area just below the caller's stack arguments, so that
    // va_arg walks one contiguous sequence (psABI).
    if (ft.variadic) for (let i = 0; i < 8; i++) this.emit(`sw a${i}, ${-32 + 4 * i}(s0)`);
    if (frame) this.addi('sp', 'sp', -frame);
    for (const [r, off] of saves) this.mem(r.startsWith('f') ? 'fsd' : 'sw', r, off, 's0');
    if (retParts === null) this.emit(`sw a0, ${this.sretSlot}(s0)`);
    out.push(...body);
    this.label(this.ret);
    for (const [r, off] of saves) this.mem(r.startsWith('f') ? 'fld' : 'lw', r, off, 's0');
    this.emit(`addi sp, s0, -${this.hdr}`);
    this.emit('lw ra, 12(sp)');
    this.emit('lw s0, 8(sp)');
    this.emit(`addi sp, sp, ${this.hdr}`);
    this.emit('ret');
    out.push(`  .size ${name}, .-${name}`);
    return out;
  }

  /** Moves incoming arguments (registers and caller stack slots) to their homes. */
  private receiveParams(recv: Array<[Sym, ArgClass]>): void {
    const byRef: Array<[Sym, number]> = [];
    for (const [p, c] of recv) {
      const reg = this.regs.get(p);
      if (reg) {
        const part = c.parts[0] as Part;
        const d = part.dest;
        if ('x' in d) this.emit(`mv ${reg}, a${d.x}`);
        else if ('f' in d) this.emit(`fmv.${part.kind === 's' ? 's' : 'd'} ${reg}, fa${d.f}`);
        else
          this.mem(
            reg.startsWith('f') ? (p.type.kind === 'float' ? 'flw' : 'fld') : 'lw',
            reg,
            d.stack,
            's0',
          );
        continue;
      }
      if (c.byRef) {
        const tmp = this.temp(4);
        this.storePart(c.parts[0] as Part, tmp);
        byRef.push([p, tmp]);
        continue;
      }
      for (const part of c.parts) this.storePart(part, this.slot(p) + part.off);
    }
    for (const [p, tmp] of byRef) {
      this.emit(`lw t1, ${tmp}(s0)`);
      this.addi('t2', 's0', this.slot(p));
      this.copy('t2', 't1', sizeOf(p.type), alignOf(p.type));
    }
  }

  private storePart(part: Part, off: number): void {
    const d = part.dest;
    if ('f' in d) this.mem(part.kind === 's' ? 'fsw' : 'fsd', `fa${d.f}`, off, 's0');
    else if ('x' in d)
      this.mem(part.bytes === 1 ? 'sb' : part.bytes === 2 ? 'sh' : 'sw', `a${d.x}`, off, 's0');
    else {
      this.mem('lw', 't1', d.stack, 's0');
      this.mem('sw', 't1', off, 's0');
    }
  }

  // ---- the value stack ----

  /** Bytes currently pushed on the value stack (keeps sp 16-aligned at calls). */
  depth = 0;

  /** The entries of the value stack (vstack.ts), and whether they may live in s-registers. */
  vstack: Entry[] = [];
  vregs = false;

  /** Pushes the primary value of class `c` (`memory`: in a stack slot even at -O1+). */
  push(c: VClass, memory = false): void {
    pushValue(this, c, memory);
  }

  /** Pops into `r` (and `hi` for 64-bit integers). */
  pop(c: VClass, r: string, hi = ''): void {
    popValue(this, c, r, hi);
  }

  /** The secondary registers of a class (right operand of a binary operation). */
  static second(c: VClass): [string, string] {
    if (c === 'l') return ['a2', 'a3'];
    if (c === 'f' || c === 'd') return ['fa1', ''];
    return ['t1', ''];
  }

  // ---- memory ----

  /** Loads a value of type `t` from `off(base)` into the primary registers (aggregates: address). */
  load(t: Type, base = 'a0', off = 0): void {
    const c = vclass(t);
    if (c === 'm' || t.kind === 'array' || t.kind === 'func') return this.addi('a0', base, off);
    if (c === 'v') return;
    if (c === 'f') return this.mem('flw', 'fa0', off, base);
    if (c === 'd') return this.mem('fld', 'fa0', off, base);
    if (c === 'l') {
      if (base === 'a0') {
        this.mem('lw', 'a1', off + 4, base);
        this.mem('lw', 'a0', off, base);
      } else {
        this.mem('lw', 'a0', off, base);
        this.mem('lw', 'a1', off + 4, base);
      }
      return;
    }
    const size = sizeOf(t);
    const u = t.kind === 'ptr' || ['bool', 'char', 'uchar', 'ushort'].includes(t.kind);
    this.mem(size === 1 ? (u ? 'lbu' : 'lb') : size === 2 ? (u ? 'lhu' : 'lh') : 'lw', 'a0', off, base);
  }

  /** Stores the primary registers (value of type `t`) to `off(base)`; aggregates are copied. */
  store(t: Type, base: string, off = 0): void {
    const c = vclass(t);
    if (c === 'f') return this.mem('fsw', 'fa0', off, base);
    if (c === 'd') return this.mem('fsd', 'fa0', off, base);
    if (c === 'l') {
      this.mem('sw', 'a0', off, base);
      return this.mem('sw', 'a1', off + 4, base);
    }
    if (c === 'm') {
      if (off !== 0) this.addi(base, base, off);
      return this.copy(base, 'a0', sizeOf(t), alignOf(t));
    }
    const size = sizeOf(t);
    this.mem(size === 1 ? 'sb' : size === 2 ? 'sh' : 'sw', 'a0', off, base);
  }

  /** Copies `size` bytes from the address in `src` to the address in `dst` (uses t3-t5). */
  copy(dst: string, src: string, size: number, align: number): void {
    const w = align >= 4 ? 4 : align >= 2 ? 2 : 1;
    const [ld, sd] = w === 4 ? ['lw', 'sw'] : w === 2 ? ['lhu', 'sh'] : ['lbu', 'sb'];
    const n = Math.floor(size / w);
    if (n > 16) {
      // A loop for big copies: t3 = dst cursor, t4 = src cursor, t5 = end of src.
      const top = this.newLabel();
      this.emit(`mv t3, ${dst}`);
      this.emit(`mv t4, ${src}`);
      this.addi('t5', src, n * w);
      this.label(top);
      this.emit(`${ld} t6, 0(t4)`);
      this.emit(`${sd} t6, 0(t3)`);
      this.emit(`addi t4, t4, ${w}`);
      this.emit(`addi t3, t3, ${w}`);
      this.emit(`bltu t4, t5, ${top}`);
    } else
      for (let i = 0; i < n; i++) {
        this.emit(`${ld} t5, ${i * w}(${src})`);
        this.emit(`${sd} t5, ${i * w}(${dst})`);
      }
    for (let i = n * w; i < size; i++) {
      this.mem('lbu', 't5', i, src);
      this.mem('sb', 't5', i, dst);
    }
  }

  /** Zero-fills `size` bytes at `off(s0)`. */
  zero(off: number, size: number): void {
    let i = 0;
    if (size > 64) {
      const top = this.newLabel();
      this.addi('t3', 's0', off);
      this.addi('t4', 't3', size & ~3);
      this.label(top);
      this.emit('sw zero, 0(t3)');
      this.emit('addi t3, t3, 4');
      this.emit(`bltu t3, t4, ${top}`);
      i = size & ~3;
    }
    for (; i < size;) {
      const w = (off + i) % 4 === 0 && size - i >= 4 ? 4 : 1;
      this.mem(w === 4 ? 'sw' : 'sb', 'zero', off + i, 's0');
      i += w;
    }
  }

  expr(e: Expr): void {
    genExpr(this, e);
  }
}
