// GCC builtins expanded inline (floating-point instructions, bit tricks); the string ones become
// ordinary calls to the C library names.

import type { Expr } from '../ast';
import { operands } from './arith';
import type { FuncGen } from './func';

/** a0 = number of set bits in `r` (clobbers r, t1, t2). */
function popcount(g: FuncGen, r: string): void {
  const top = g.newLabel();
  const done = g.newLabel();
  g.emit('li t1, 0');
  g.label(top);
  g.emit(`beqz ${r}, ${done}`, 'addi t1, t1, 1', `addi t2, ${r}, -1`, `and ${r}, ${r}, t2`, `j ${top}`);
  g.label(done);
  g.emit('mv a0, t1');
}

/** a0 = count of leading zeros of `r` (32 for 0). */
function clz(g: FuncGen, r: string): void {
  const top = g.newLabel();
  const done = g.newLabel();
  g.emit('li t1, 32');
  g.label(top);
  g.emit(`beqz ${r}, ${done}`, `srli ${r}, ${r}, 1`, 'addi t1, t1, -1', `j ${top}`);
  g.label(done);
  g.emit('mv a0, t1');
}

/** a0 = trailing zeros of `r` (32 for 0): popcount((r & -r) - 1). */
function ctz(g: FuncGen, r: string): void {
  g.emit(`neg t3, ${r}`, `and t3, t3, ${r}`, 'addi t3, t3, -1');
  popcount(g, 't3');
}

function bswap32(g: FuncGen, r: string): void {
  g.emit(`slli t1, ${r}, 24`, `srli t2, ${r}, 24`, 'or t1, t1, t2');
  g.emit(`li t3, 0xff00`, `and t2, ${r}, t3`, 'slli t2, t2, 8', 'or t1, t1, t2');
  g.emit(`srli t2, ${r}, 8`, 'and t2, t2, t3', `or ${r}, t1, t2`);
}

/** Expands builtin `name`; false when it is an ordinary library call. */
export function genBuiltin(g: FuncGen, e: Expr & { k: 'call' }, name: string): boolean {
  const a = e.args;
  const arg = (i: number): Expr => a[i] as Expr;
  const sfx = e.type.kind === 'float' || arg(0)?.type.kind === 'float' ? 's' : 'd';
  const n = name.replace(/^__builtin_/, '');
  const one = (): void => g.expr(arg(0));
  switch (n) {
    case 'fabs':
    case 'fabsf':
      one();
      g.emit(`fabs.${sfx} fa0, fa0`);
      return true;
    case 'sqrt':
    case 'sqrtf':
      one();
      g.emit(`fsqrt.${sfx} fa0, fa0`);
      return true;
    case 'fmin':
    case 'fminf':
    case 'fmax':
    case 'fmaxf':
    case 'copysign':
    case 'copysignf':
      operands(g, arg(0), arg(1));
      g.emit(`${n.startsWith('copysign') ? 'fsgnj' : n.slice(0, 4)}.${sfx} fa0, fa0, fa1`);
      return true;
    case 'fma':
    case 'fmaf': {
      const c = sfx === 's' ? 'f' : 'd';
      g.expr(arg(0));
      g.push(c);
      g.expr(arg(1));
      g.push(c);
      g.expr(arg(2));
      g.emit(`fmv.${sfx} fa2, fa0`);
      g.pop(c, 'fa1');
      g.pop(c, 'fa0');
      g.emit(`fmadd.${sfx} fa0, fa0, fa1, fa2`);
      return true;
    }
    case 'nan':
    case 'nanf':
    case 'inf':
    case 'inff':
    case 'huge_val':
    case 'huge_valf': {
      const l = g.unit.fconst(n.startsWith('nan') ? NaN : Infinity, sfx === 's' ? 4 : 8);
      g.emit(`lui t6, %hi(${l})`, `${sfx === 's' ? 'flw' : 'fld'} fa0, %lo(${l})(t6)`);
      return true;
    }
    case 'isnan':
      one();
      g.emit(`feq.${sfx} a0, fa0, fa0`, 'xori a0, a0, 1');
      return true;
    case 'isinf':
      one();
      g.emit(`fclass.${sfx} a0, fa0`, 'andi a0, a0, 129', 'snez a0, a0');
      return true;
    case 'bswap16':
      one();
      g.emit('andi t1, a0, 255', 'slli t1, t1, 8', 'srli a0, a0, 8', 'andi a0, a0, 255', 'or a0, a0, t1');
      return true;
    case 'bswap32':
      one();
      bswap32(g, 'a0');
      return true;
    case 'bswap64':
      one();
      bswap32(g, 'a0');
      bswap32(g, 'a1');
      g.emit('mv t4, a0', 'mv a0, a1', 'mv a1, t4');
      return true;
    case 'popcount':
    case 'popcountl':
      one();
      popcount(g, 'a0');
      return true;
    case 'popcountll':
    case 'parityll':
      one();
      if (n === 'parityll') {
        g.emit('xor a0, a0, a1');
        popcount(g, 'a0');
        g.emit('andi a0, a0, 1');
        return true;
      }
      g.emit('mv t4, a1');
      popcount(g, 'a0');
      g.emit('mv t5, a0');
      popcount(g, 't4');
      g.emit('add a0, a0, t5');
      return true;
    case 'parity':
      one();
      popcount(g, 'a0');
      g.emit('andi a0, a0, 1');
      return true;
    case 'clz':
    case 'clzl':
      one();
      clz(g, 'a0');
      return true;
    case 'ctz':
    case 'ctzl':
      one();
      ctz(g, 'a0');
      return true;
    case 'clzll':
    case 'ctzll': {
      one();
      const lo = g.newLabel();
      const done = g.newLabel();
      const [first, second] = n === 'clzll' ? ['a1', 'a0'] : ['a0', 'a1'];
      g.emit(`beqz ${first}, ${lo}`);
      (n === 'clzll' ? clz : ctz)(g, first);
      g.emit(`j ${done}`);
      g.label(lo);
      (n === 'clzll' ? clz : ctz)(g, second);
      g.emit('addi a0, a0, 32');
      g.label(done);
      return true;
    }
    case 'ffs': {
      one();
      g.emit('snez t5, a0');
      ctz(g, 'a0');
      g.emit('addi a0, a0, 1', 'neg t5, t5', 'and a0, a0, t5');
      return true;
    }
    case 'trap':
      g.emit('ebreak');
      return true;
    case 'unreachable':
      return true;
    case 'frame_address':
      g.emit('mv a0, s0');
      return true;
    case 'return_address':
      g.emit(`lw a0, ${12 - g.hdr}(s0)`);
      return true;
    default:
      return false;
  }
}
