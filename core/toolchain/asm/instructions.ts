// Instruction statements: the base table, branches and jumps (variable-size items), explicit c.*
// mnemonics and GNU as pseudo-instructions. Automatic compression happens here for instructions
// whose immediates are known constants.
import { fitsSigned, hi20, immI, lo12 } from '../obj/fields';
import { compress32 } from './compress';
import { AsmError } from './diag';
import type { Expr } from './expr';
import type { Token } from './lexer';
import { opVariants } from './opcodes';
import { encodeOp, type ConstEval, type Encoded, type Operand } from './operands';
import { csrNumber } from './csr';
import type { AsmState } from './state';

const reg = (n: number, t: Token): Operand => ({ k: 'reg', n, t });
const ex = (e: Expr, t: Token): Operand => ({ k: 'expr', e, t });
const num = (v: number, t: Token): Operand => ex({ k: 'num', v }, t);
const mem = (e: Expr | null, base: number, t: Token): Operand => ({ k: 'mem', e, base, t });
const symE = (name: string, t: Token): Expr => ({ k: 'sym', name, line: t.line, col: t.col });
const mod = (m: 'pcrel_lo' | 'pcrel_hi' | 'hi' | 'lo', e: Expr): Expr => ({ k: 'mod', mod: m, a: e });

const BRANCH_F3: Record<string, number> = { beq: 0, bne: 1, blt: 4, bge: 5, bltu: 6, bgeu: 7 };
const LOADS = new Set(['lb', 'lh', 'lw', 'lbu', 'lhu']);
const STORES = new Set(['sb', 'sh', 'sw', 'flw', 'fld', 'fsw', 'fsd']);

export class InsnContext {
  constructor(
    readonly st: AsmState,
    readonly constEval: ConstEval,
  ) {}

  /** Encodes with the first matching table variant, reporting the first variant's mismatch. */
  encode(name: string, ops: Operand[], t: Token): Encoded {
    const variants = opVariants(name);
    if (!variants) throw new AsmError(`unknown instruction '${name}'`, t.line, t.col);
    let firstErr: AsmError | null = null;
    for (const v of variants) {
      try {
        return encodeOp(v, ops, this.constEval, t);
      } catch (e) {
        if (!(e instanceof AsmError)) throw e;
        firstErr ??= e;
      }
    }
    throw firstErr ?? new AsmError(`illegal operands for '${name}'`, t.line, t.col);
  }

  /** `compressible`: false, true (any c.* form), or the c.* forms GNU as allows for the mnemonic. */
  emitWord(enc: Encoded, compressible: boolean | string[] = true): void {
    if (enc.fix === null && compressible !== false && this.st.rvc) {
      const c =
        compressible === true
          ? compress32(enc.word)
          : compressible.map((n) => compress32(enc.word, n)).find((x) => x !== null);
      if (c) {
        this.st.emitBytes([c.half & 0xff, c.half >>> 8]);
        return;
      }
    }
    const w = enc.word;
    this.st.emitBytes(
      [w & 0xff, (w >>> 8) & 0xff, (w >>> 16) & 0xff, w >>> 24],
      enc.fix ? [{ ...enc.fix, off: 0 }] : [],
    );
  }

  op(name: string, ops: Operand[], t: Token, compressible: boolean | string[] = true): void {
    this.emitWord(this.encode(name, ops, t), compressible);
  }

  branch(f3: number, rs1: number, rs2: number, target: Operand, t: Token, forced = false): void {
    if (target.k !== 'expr') throw new AsmError('expected a branch target', target.t.line, target.t.col);
    const rvc =
      this.st.rvc &&
      (forced || (f3 >= 0 ? (f3 === 0 || f3 === 1) && rs2 === 0 && rs1 >= 8 && rs1 <= 15 : rs1 === 0));
    this.st.pushItem({
      k: 'br',
      f3,
      rs1,
      rs2,
      target: target.e,
      rvc,
      forced,
      size: forced ? 2 : 0,
      addr: 0,
      line: t.line,
      col: t.col,
    });
  }

  /** auipc rd, %pcrel_hi(sym) followed by `second` whose immediate is %pcrel_lo of the auipc. */
  pcrelPair(rd: number, sym: Expr, t: Token, second: (lo: Expr) => void): void {
    const label = this.st.tempLabel();
    this.op('auipc', [reg(rd, t), ex(mod('pcrel_hi', sym), t)], t);
    second(mod('pcrel_lo', symE(label, t)));
  }

  li(rd: number, e: Expr, t: Token): void {
    const v = this.constEval(e);
    if (v === null) {
      this.op('lui', [reg(rd, t), ex(mod('hi', e), t)], t);
      this.op('addi', [reg(rd, t), reg(rd, t), ex(mod('lo', e), t)], t);
      return;
    }
    const x = v | 0;
    if (!Number.isSafeInteger(v) || v > 0xffffffff || v < -0x80000000) {
      throw new AsmError(`li immediate ${v} does not fit in 32 bits`, t.line, t.col);
    }
    if (fitsSigned(x, 12)) {
      this.op('addi', [reg(rd, t), reg(0, t), num(x, t)], t);
      return;
    }
    const hi = hi20(x);
    this.op('lui', [reg(rd, t), num(hi, t)], t);
    const lo = lo12(x);
    if (lo !== 0) this.op('addi', [reg(rd, t), reg(rd, t), num(lo, t)], t);
  }
}

function want(ops: Operand[], kinds: string, name: string, t: Token): void {
  const ks = kinds === '' ? [] : kinds.split(',');
  if (ops.length !== ks.length || ops.some((o, i) => o.k !== ks[i])) {
    throw new AsmError(`illegal operands for '${name}'`, t.line, t.col);
  }
}
const rn = (o: Operand | undefined): number => (o && (o.k === 'reg' || o.k === 'freg') ? o.n : 0);

/** Assembles one instruction statement. */
const LABEL_AT: Record<string, number> = {
  beq: 3,
  bne: 3,
  blt: 3,
  bge: 3,
  bltu: 3,
  bgeu: 3,
  bgt: 3,
  ble: 3,
  bgtu: 3,
  bleu: 3,
  beqz: 2,
  bnez: 2,
  blez: 2,
  bgez: 2,
  bltz: 2,
  bgtz: 2,
  'c.beqz': 2,
  'c.bnez': 2,
  j: 1,
  'c.j': 1,
  'c.jal': 1,
  tail: 1,
  la: 2,
  lla: 2,
};

/** A branch, call or address target may be spelled like a register (`j f0`, `call a0`, `la t0, s1`): it is a symbol there. */
function labelOperands(name: string, ops: Operand[]): Operand[] {
  const at = LABEL_AT[name] ?? (name === 'jal' || name === 'call' ? (ops.length === 2 ? 2 : 1) : 0);
  const last = ops[at - 1];
  if (at === 0 || ops.length !== at || !last || (last.k !== 'reg' && last.k !== 'freg')) return ops;
  return [...ops.slice(0, at - 1), ex(symE(last.t.text, last.t), last.t)];
}

export function instruction(cx: InsnContext, name: string, ops0: Operand[], t: Token): void {
  const ops = labelOperands(name, ops0);
  const [a, b, c] = ops;
  const f3 = BRANCH_F3[name];
  if (f3 !== undefined) {
    want(ops, 'reg,reg,expr', name, t);
    cx.branch(f3, rn(a), rn(b), c as Operand, t);
    return;
  }
  if (name.startsWith('c.')) return compressed(cx, name, ops, t);
  if (pseudo(cx, name, ops, t)) return;
  // GNU as compresses by mnemonic: explicit jalr never, and `add rd, rs, imm` not to c.mv.
  const addImm = name === 'add' && c?.k === 'expr';
  cx.op(name, ops, t, name === 'jalr' ? false : addImm ? ['c.addi', 'c.addi4spn', 'c.addi16sp'] : true);
}

function pseudo(cx: InsnContext, name: string, ops: Operand[], t: Token): boolean {
  const [a, b, c] = ops;
  const z = reg(0, t);
  const swap2 = (op: string): void => {
    want(ops, 'reg,reg,expr', name, t);
    cx.branch(BRANCH_F3[op] ?? 0, rn(b), rn(a), c as Operand, t);
  };
  const zb = (op: string, zeroFirst: boolean): void => {
    want(ops, 'reg,expr', name, t);
    if (zeroFirst) cx.branch(BRANCH_F3[op] ?? 0, 0, rn(a), b as Operand, t);
    else cx.branch(BRANCH_F3[op] ?? 0, rn(a), 0, b as Operand, t);
  };
  switch (name) {
    case 'nop':
      want(ops, '', name, t);
      cx.op('addi', [z, z, num(0, t)], t);
      return true;
    case 'li':
      want(ops, 'reg,expr', name, t);
      cx.li(rn(a), (b as { e: Expr }).e, t);
      return true;
    case 'la':
    case 'lla':
      want(ops, 'reg,expr', name, t);
      cx.pcrelPair(rn(a), (b as { e: Expr }).e, t, (lo) =>
        cx.op('addi', [a as Operand, a as Operand, ex(lo, t)], t),
      );
      return true;
    case 'call':
    case 'tail': {
      // `call sym` links through ra itself; `call rd, sym` and `tail` use t1 as the scratch.
      const rd = ops.length === 2 || name === 'tail' ? 6 : 1;
      const target = ops[ops.length - 1];
      if (!target || target.k !== 'expr' || ops.length > 2 || (ops.length === 2 && a?.k !== 'reg')) {
        throw new AsmError(`illegal operands for '${name}'`, t.line, t.col);
      }
      const link = name === 'tail' ? 0 : ops.length === 2 ? rn(a) : 1;
      const auipc = 0x17 | (rd << 7);
      const jalr = (0x67 | (link << 7) | (rd << 15) | immI(0)) >>> 0;
      const bytes = [auipc, jalr].flatMap((w) => [w & 0xff, (w >>> 8) & 0xff, (w >>> 16) & 0xff, w >>> 24]);
      cx.st.emitBytes(bytes, [{ kind: 'call', expr: target.e, t: target.t, off: 0 }]);
      return true;
    }
    case 'mv':
      want(ops, 'reg,reg', name, t);
      cx.op('addi', [a as Operand, b as Operand, num(0, t)], t, ['c.mv']);
      return true;
    case 'not':
      want(ops, 'reg,reg', name, t);
      cx.op('xori', [a as Operand, b as Operand, num(-1, t)], t);
      return true;
    case 'neg':
      want(ops, 'reg,reg', name, t);
      cx.op('sub', [a as Operand, z, b as Operand], t);
      return true;
    case 'seqz':
      want(ops, 'reg,reg', name, t);
      cx.op('sltiu', [a as Operand, b as Operand, num(1, t)], t);
      return true;
    case 'snez':
      want(ops, 'reg,reg', name, t);
      cx.op('sltu', [a as Operand, z, b as Operand], t);
      return true;
    case 'sltz':
      want(ops, 'reg,reg', name, t);
      cx.op('slt', [a as Operand, b as Operand, z], t);
      return true;
    case 'sgt':
    case 'sgtu':
      want(ops, 'reg,reg,reg', name, t);
      cx.op(name === 'sgt' ? 'slt' : 'sltu', [a as Operand, c as Operand, b as Operand], t);
      return true;
    case 'sgtz':
      want(ops, 'reg,reg', name, t);
      cx.op('slt', [a as Operand, z, b as Operand], t);
      return true;
    case 'zext.b':
      want(ops, 'reg,reg', name, t);
      cx.op('andi', [a as Operand, b as Operand, num(255, t)], t);
      return true;
    case 'j':
      want(ops, 'expr', name, t);
      cx.branch(-1, 0, 0, a as Operand, t);
      return true;
    case 'jal':
      if (ops.length === 1) {
        want(ops, 'expr', name, t);
        cx.branch(-1, 1, 0, a as Operand, t);
      } else {
        want(ops, 'reg,expr', name, t);
        cx.branch(-1, rn(a), 0, b as Operand, t);
      }
      return true;
    case 'jr':
      if (ops.length === 1 && a?.k === 'mem') cx.op('jalr', [z, a], t);
      else {
        want(ops, 'reg', name, t);
        cx.op('jalr', [z, mem(null, rn(a), t)], t);
      }
      return true;
    case 'jalr':
      if (ops.length === 1 && a?.k === 'reg') cx.op('jalr', [reg(1, t), mem(null, rn(a), t)], t);
      else if (ops.length === 1 && a?.k === 'mem') cx.op('jalr', [reg(1, t), a], t);
      else if (ops.length === 2 && a?.k === 'reg' && b?.k === 'reg')
        cx.op('jalr', [a, mem(null, rn(b), t)], t);
      else return false;
      return true;
    case 'ret':
      want(ops, '', name, t);
      cx.op('jalr', [z, mem(null, 1, t)], t);
      return true;
    case 'beqz':
      zb('beq', false);
      return true;
    case 'bnez':
      zb('bne', false);
      return true;
    case 'blez':
      zb('bge', true);
      return true;
    case 'bgez':
      zb('bge', false);
      return true;
    case 'bltz':
      zb('blt', false);
      return true;
    case 'bgtz':
      zb('blt', true);
      return true;
    case 'bgt':
      swap2('blt');
      return true;
    case 'ble':
      swap2('bge');
      return true;
    case 'bgtu':
      swap2('bltu');
      return true;
    case 'bleu':
      swap2('bgeu');
      return true;
    case 'fence':
      if (ops.length !== 0) return false;
      cx.emitWord({ word: 0x0ff0000f, fix: null });
      return true;
    case 'unimp':
      want(ops, '', name, t);
      if (cx.st.rvc) cx.st.emitBytes([0, 0]);
      else cx.emitWord({ word: 0xc0001073, fix: null });
      return true;
  }
  return csrPseudo(cx, name, ops, t) || memPseudo(cx, name, ops, t) || fpPseudo(cx, name, ops, t);
}

function csrPseudo(cx: InsnContext, name: string, ops: Operand[], t: Token): boolean {
  const [a, b] = ops;
  const z = reg(0, t);
  const csr = (n: string): Operand => ex(symE(n, t), t);
  const counters: Record<string, string> = {
    rdcycle: 'cycle',
    rdtime: 'time',
    rdinstret: 'instret',
    rdcycleh: 'cycleh',
    rdtimeh: 'timeh',
    rdinstreth: 'instreth',
  };
  const counter = counters[name];
  if (counter !== undefined) {
    want(ops, 'reg', name, t);
    cx.op('csrrs', [a as Operand, csr(counter), z], t);
    return true;
  }
  const reads: Record<string, string> = { frcsr: 'fcsr', frrm: 'frm', frflags: 'fflags' };
  const r = reads[name];
  if (r !== undefined) {
    want(ops, 'reg', name, t);
    cx.op('csrrs', [a as Operand, csr(r), z], t);
    return true;
  }
  const writes: Record<string, string> = {
    fscsr: 'fcsr',
    fsrm: 'frm',
    fsflags: 'fflags',
    fsrmi: 'frm',
    fsflagsi: 'fflags',
  };
  const w = writes[name];
  if (w !== undefined) {
    const imm = name.endsWith('i');
    const src = ops[ops.length - 1];
    const rd = ops.length === 2 ? (a as Operand) : z;
    if (!src || ops.length > 2 || (ops.length === 2 && a?.k !== 'reg') || src.k !== (imm ? 'expr' : 'reg')) {
      throw new AsmError(`illegal operands for '${name}'`, t.line, t.col);
    }
    cx.op(imm ? 'csrrwi' : 'csrrw', [rd, csr(w), src], t);
    return true;
  }
  if (name === 'csrr') {
    want(ops, 'reg,expr', name, t);
    cx.op('csrrs', [a as Operand, b as Operand, z], t);
    return true;
  }
  const sets: Record<string, string> = {
    csrw: 'csrrw',
    csrs: 'csrrs',
    csrc: 'csrrc',
    csrwi: 'csrrwi',
    csrsi: 'csrrsi',
    csrci: 'csrrci',
  };
  const base = sets[name];
  if (base !== undefined) {
    if (ops.length !== 2 || a?.k !== 'expr')
      throw new AsmError(`illegal operands for '${name}'`, t.line, t.col);
    const useImm = base.endsWith('i') || b?.k === 'expr';
    cx.op(useImm && !base.endsWith('i') ? `${base}i` : base, [z, a, b as Operand], t);
    return true;
  }
  return false;
}

function memPseudo(cx: InsnContext, name: string, ops: Operand[], t: Token): boolean {
  const [a, b, c] = ops;
  if (LOADS.has(name) && ops.length === 2 && a?.k === 'reg' && b?.k === 'expr') {
    cx.pcrelPair(a.n, b.e, t, (lo) => cx.op(name, [a, mem(lo, a.n, t)], t));
    return true;
  }
  if (
    STORES.has(name) &&
    ops.length === 3 &&
    (a?.k === 'reg' || a?.k === 'freg') &&
    b?.k === 'expr' &&
    c?.k === 'reg'
  ) {
    cx.pcrelPair(c.n, b.e, t, (lo) => cx.op(name, [a, mem(lo, c.n, t)], t));
    return true;
  }
  return false;
}

function fpPseudo(cx: InsnContext, name: string, ops: Operand[], t: Token): boolean {
  const m = /^f(mv|abs|neg)\.(s|d)$/.exec(name);
  if (!m) return false;
  want(ops, 'freg,freg', name, t);
  const base = { mv: 'fsgnj', abs: 'fsgnjx', neg: 'fsgnjn' }[m[1] as 'mv' | 'abs' | 'neg'];
  cx.op(`${base}.${m[2]}`, [ops[0] as Operand, ops[1] as Operand, ops[1] as Operand], t);
  return true;
}

/** Explicit compressed mnemonics: map to the 32-bit equivalent and require that exact c.* form. */
function compressed(cx: InsnContext, name: string, ops: Operand[], t: Token): void {
  const [a, b] = ops;
  const sp = reg(2, t);
  const z = reg(0, t);
  const as32: Record<string, () => [string, Operand[]]> = {
    'c.nop': () => ['addi', [z, z, num(0, t)]],
    'c.addi': () => ['addi', [a as Operand, a as Operand, b as Operand]],
    'c.li': () => ['addi', [a as Operand, z, b as Operand]],
    'c.addi16sp': () => ['addi', [sp, sp, b as Operand]],
    'c.addi4spn': () => ['addi', [a as Operand, sp, ops[2] as Operand]],
    'c.lui': () => ['lui', [a as Operand, b as Operand]],
    'c.mv': () => ['add', [a as Operand, z, b as Operand]],
    'c.add': () => ['add', [a as Operand, a as Operand, b as Operand]],
    'c.sub': () => ['sub', [a as Operand, a as Operand, b as Operand]],
    'c.xor': () => ['xor', [a as Operand, a as Operand, b as Operand]],
    'c.or': () => ['or', [a as Operand, a as Operand, b as Operand]],
    'c.and': () => ['and', [a as Operand, a as Operand, b as Operand]],
    'c.andi': () => ['andi', [a as Operand, a as Operand, b as Operand]],
    'c.slli': () => ['slli', [a as Operand, a as Operand, b as Operand]],
    'c.srli': () => ['srli', [a as Operand, a as Operand, b as Operand]],
    'c.srai': () => ['srai', [a as Operand, a as Operand, b as Operand]],
    'c.jr': () => ['jalr', [z, mem(null, rn(a), t)]],
    'c.jalr': () => ['jalr', [reg(1, t), mem(null, rn(a), t)]],
    'c.ebreak': () => ['ebreak', []],
  };
  for (const [cn, base] of [
    ['lw', 'lw'],
    ['sw', 'sw'],
    ['flw', 'flw'],
    ['fsw', 'fsw'],
    ['fld', 'fld'],
    ['fsd', 'fsd'],
  ]) {
    as32[`c.${cn}`] = () => [base as string, ops];
    as32[`c.${cn}sp`] = () => [base as string, ops];
  }
  if (name === 'c.unimp') {
    want(ops, '', name, t);
    cx.st.emitBytes([0, 0]);
    return;
  }
  if (name === 'c.j' || name === 'c.jal') {
    want(ops, 'expr', name, t);
    cx.branch(-1, name === 'c.jal' ? 1 : 0, 0, a as Operand, t, true);
    return;
  }
  if (name === 'c.beqz' || name === 'c.bnez') {
    want(ops, 'reg,expr', name, t);
    if (rn(a) < 8 || rn(a) > 15) throw new AsmError(`'${name}' needs a register x8..x15`, t.line, t.col);
    cx.branch(name === 'c.bnez' ? 1 : 0, rn(a), 0, b as Operand, t, true);
    return;
  }
  const map = as32[name];
  if (!map) throw new AsmError(`unknown instruction '${name}'`, t.line, t.col);
  const [base, baseOps] = map();
  if (baseOps.some((o) => o === undefined))
    throw new AsmError(`illegal operands for '${name}'`, t.line, t.col);
  const enc = cx.encode(base, baseOps, t);
  const c = enc.fix === null ? compress32(enc.word, name) : null;
  if (!c)
    throw new AsmError(
      `illegal operands for '${name}' (not encodable as a compressed instruction)`,
      t.line,
      t.col,
    );
  cx.st.emitBytes([c.half & 0xff, c.half >>> 8]);
}

export const isCsrName = (n: string): boolean => csrNumber(n) !== undefined;
