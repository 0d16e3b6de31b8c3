// -O1+: side-effect-free float/double expression trees (constants, variables, loads through pure
// addresses, + - * /, negation, conversions) evaluated straight into FP registers, with a pool of
// FP temporaries instead of the value stack.

import type { Expr, Sym } from '../ast';
import { isUnsigned } from '../types';
import { vclass } from './abi';
import type { FuncGen } from './func';
import { evalConst } from '../consteval';
import { lvalueAddr, need, operandReg } from './regexpr';

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

/** Key of an FP constant of width `s` ('s' or 'd') in FuncGen.fconstRegs (-0 distinct from 0). */
export const fconstKey = (s: string, v: number): string => `${s}:${Object.is(v, -0) ? '-0' : String(v)}`;

/** A register holding pure FP `e`: a register local itself, or `rd` after evaluating. */
export function fpOperand(g: FuncGen, e: Expr, rd: string, busy: string[] = []): string {
  const r = fpReg(g, e);
  if (r) return r;
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
  if (e.k !== 'float' && e.k !== 'var') {
    // Constant folding of sub-expressions: (double)32, -2.0, 3.0 / 32.
    const k = evalConst(e);
    if (k?.kind === 'float')
      return fpInto(g, { k: 'float', loc: e.loc, type: e.type, value: k.value }, rd, pool);
  }
  switch (e.k) {
    case 'float': {
      const hoisted = g.fconstRegs.get(fconstKey(s, e.value));
      if (hoisted) return g.emit(`fmv.${s} ${rd}, ${hoisted}`);
      const l = g.unit.fconst(e.value, s === 's' ? 4 : 8);
      g.emit(`lui t6, %hi(${l})`, `fl${s === 's' ? 'w' : 'd'} ${rd}, %lo(${l})(t6)`);
      return;
    }
    case 'var': {
      const reg = g.regs.get(e.sym);
      if (reg) return g.emit(`fmv.${s} ${rd}, ${reg}`);
      const ld = s === 's' ? 'flw' : 'fld';
      if (local(e.sym)) return g.mem(ld, rd, g.slot(e.sym), 's0');
      const at = g.globAddr.get(e.sym);
      if (at) return g.emit(`${ld} ${rd}, 0(${at})`);
      g.emit(`lui t6, %hi(${e.sym.linkName})`, `${ld} ${rd}, %lo(${e.sym.linkName})(t6)`);
      return;
    }
    case 'binary': {
      const m: Record<string, string> = { '+': 'fadd', '-': 'fsub', '*': 'fmul', '/': 'fdiv' };
      const a = fpReg(g, e.lhs) ?? rd;
      if (a === rd) fpInto(g, e.lhs, rd, pool);
      let b = fpReg(g, e.rhs) ?? '';
      let rest = pool;
      if (!b) {
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
      g.emit(
        `fcvt.${s}.${isUnsigned(e.expr.type) || e.expr.type.kind === 'ptr' ? 'wu' : 'w'} ${rd}, ${operandReg(g, e.expr, 't0')}`,
      );
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

/** The register already holding FP `e`: a register local, or a constant hoisted out of a loop. */
function fpReg(g: FuncGen, e: Expr): string | null {
  if (e.k === 'var') return g.regs.get(e.sym) ?? null;
  if (!isFP(e) || g.fconstRegs.size === 0) return null;
  const k = e.k === 'float' ? { kind: 'float' as const, value: e.value } : evalConst(e);
  return k?.kind === 'float' ? (g.fconstRegs.get(fconstKey(sfx(e), k.value)) ?? null) : null;
}

function fpOperandIn(g: FuncGen, e: Expr, rd: string, pool: string[]): string {
  const r = fpReg(g, e);
  if (r) return r;
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
