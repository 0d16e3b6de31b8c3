// -O1+: side-effect-free float/double expression trees (constants, variables, loads through pure
// addresses, + - * /, negation, conversions) evaluated straight into FP registers, with a pool of
// FP temporaries instead of the value stack.

import type { Expr, Sym } from '../ast';
import { isUnsigned } from '../types';
import { vclass } from './abi';
import type { FuncGen } from './func';
import { evalInto, lvalueAddr, need } from './regexpr';

const FPOOL = [
  'ft1',
  'ft2',
  'ft3',
  'ft4',
  'ft5',
  'ft6',
  'ft7',
  'ft8',
  'ft9',
  'ft10',
  'ft11',
  'fa1',
  'fa2',
  'fa3',
];

const isFP = (e: Expr): boolean => {
  const c = vclass(e.type);
  return c === 'f' || c === 'd';
};
const local = (s: Sym): boolean => s.isLocal && s.storage !== 'static';

function needF(g: FuncGen, e: Expr): number {
  if (!isFP(e)) return Infinity;
  switch (e.k) {
    case 'float':
      return 1;
    case 'var':
      return e.sym.asmReg && !g.regs.has(e.sym) ? Infinity : 1;
    case 'binary':
      return Math.max(needF(g, e.lhs), needF(g, e.rhs) + 1);
    case 'neg':
      return needF(g, e.expr);
    case 'cast':
      if (isFP(e.expr)) return needF(g, e.expr);
      return vclass(e.expr.type) === 'i' && need(g, e.expr) <= 8 ? 1 : Infinity;
    case 'deref':
    case 'member':
      return !e.type.volatile &&
        !(e.k === 'member' && e.member.bitField) &&
        need(g, { ...e, type: { kind: 'int' } }) <= 8
        ? 1
        : Infinity;
    default:
      return Infinity;
  }
}

export const pureF = (g: FuncGen, e: Expr): boolean => g.opt > 0 && needF(g, e) <= 8;

const sfx = (e: Expr): string => (vclass(e.type) === 'f' ? 's' : 'd');

/** A register holding pure FP `e`: a register local itself, or `rd` after evaluating. */
export function fpOperand(g: FuncGen, e: Expr, rd: string, busy: string[] = []): string {
  if (e.k === 'var' && g.regs.has(e.sym)) return g.regs.get(e.sym) as string;
  fpInto(
    g,
    e,
    rd,
    FPOOL.filter((r) => r !== rd && !busy.includes(r)),
  );
  return rd;
}

function fpInto(g: FuncGen, e: Expr, rd: string, pool: string[]): void {
  const s = sfx(e);
  switch (e.k) {
    case 'float': {
      const l = g.unit.fconst(e.value, s === 's' ? 4 : 8);
      g.emit(`lui t6, %hi(${l})`, `fl${s === 's' ? 'w' : 'd'} ${rd}, %lo(${l})(t6)`);
      return;
    }
    case 'var': {
      const reg = g.regs.get(e.sym);
      if (reg) return g.emit(`fmv.${s} ${rd}, ${reg}`);
      const ld = s === 's' ? 'flw' : 'fld';
      if (local(e.sym)) return g.mem(ld, rd, g.slot(e.sym), 's0');
      g.emit(`lui t6, %hi(${e.sym.linkName})`, `${ld} ${rd}, %lo(${e.sym.linkName})(t6)`);
      return;
    }
    case 'binary': {
      const m: Record<string, string> = { '+': 'fadd', '-': 'fsub', '*': 'fmul', '/': 'fdiv' };
      let a = rd;
      if (e.lhs.k === 'var' && g.regs.has(e.lhs.sym)) a = g.regs.get(e.lhs.sym) as string;
      else fpInto(g, e.lhs, rd, pool);
      let b: string;
      let rest = pool;
      if (e.rhs.k === 'var' && g.regs.has(e.rhs.sym)) b = g.regs.get(e.rhs.sym) as string;
      else {
        b = pool[0] as string;
        rest = pool.slice(1);
        fpInto(g, e.rhs, b, rest);
      }
      g.emit(`${m[e.op]}.${s} ${rd}, ${a}, ${b}`);
      return;
    }
    case 'neg':
      g.emit(`fneg.${s} ${rd}, ${fpOperandIn(g, e.expr, rd, pool)}`);
      return;
    case 'cast':
      if (isFP(e.expr)) {
        const from = sfx(e.expr);
        const r = fpOperandIn(g, e.expr, rd, pool);
        if (from === s) {
          if (r !== rd) g.emit(`fmv.${s} ${rd}, ${r}`);
        } else g.emit(`fcvt.${s}.${from} ${rd}, ${r}`);
        return;
      }
      evalInto(g, e.expr, 't0');
      g.emit(`fcvt.${s}.${isUnsigned(e.expr.type) || e.expr.type.kind === 'ptr' ? 'wu' : 'w'} ${rd}, t0`);
      return;
    case 'deref':
    case 'member': {
      const [base, off] = lvalueAddr(g, e, 't0', []);
      return g.mem(`fl${s === 's' ? 'w' : 'd'}`, rd, off, base);
    }
    default:
      throw new Error(`fpexpr: unexpected '${e.k}'`);
  }
}

function fpOperandIn(g: FuncGen, e: Expr, rd: string, pool: string[]): string {
  if (e.k === 'var' && g.regs.has(e.sym)) return g.regs.get(e.sym) as string;
  fpInto(g, e, rd, pool);
  return rd;
}

/** Evaluates pure FP `e` into `rd`. */
export function fpEvalInto(g: FuncGen, e: Expr, rd: string, busy: string[] = []): void {
  fpInto(
    g,
    e,
    rd,
    FPOOL.filter((r) => r !== rd && !busy.includes(r)),
  );
}
