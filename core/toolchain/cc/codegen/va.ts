// <stdarg.h> intrinsics. A va_list is a pointer into one contiguous argument area: the a0-a7 save
// area the variadic prologue fills (just below s0), followed by the caller's stack arguments.

import type { Expr } from '../ast';
import { alignOf, isRecord, sizeOf } from '../types';
import type { FuncGen } from './func';
import { genAddr } from './lvalue';

export function genVa(g: FuncGen, e: Expr & { k: 'va_start' | 'va_arg' | 'va_end' | 'va_copy' }): void {
  switch (e.k) {
    case 'va_start':
      genAddr(g, e.ap);
      g.addi('t1', 's0', g.vaStart);
      g.emit('sw t1, 0(a0)');
      return;
    case 'va_end':
      g.expr(e.ap);
      return;
    case 'va_copy':
      genAddr(g, e.dst);
      g.push('i');
      g.expr(e.src);
      g.pop('i', 't1');
      g.emit('sw a0, 0(t1)');
      return;
    case 'va_arg': {
      const t = e.type;
      const size = sizeOf(t);
      genAddr(g, e.ap);
      g.emit('lw t1, 0(a0)');
      if (size > 8 && isRecord(t)) {
        // Passed by reference: the slot holds a pointer to the caller's copy.
        g.emit('addi t2, t1, 4', 'sw t2, 0(a0)', 'lw a0, 0(t1)');
        return;
      }
      if (alignOf(t) === 8) g.emit('addi t1, t1, 7', 'andi t1, t1, -8');
      g.emit(`addi t2, t1, ${Math.ceil(size / 4) * 4}`, 'sw t2, 0(a0)', 'mv a0, t1');
      return g.load(t);
    }
  }
}
