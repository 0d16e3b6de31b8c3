// Extended asm statements for the RV32 code generator.

import type { Stmt } from '../ast';
import { vclass } from './abi';
import { narrow } from './arith';
import type { FuncGen } from './func';
import { genAddr, storeBitField } from './lvalue';

/**
 * Extended asm: each register operand gets a register (the one named by a register asm
 * variable, else a temporary), inputs are loaded before the template, outputs stored after.
 */
export function genAsm(g: FuncGen, s: Stmt & { k: 'asm' }): void {
  if (s.basic) {
    g.emit(s.template);
    return;
  }
  const all = [...s.outputs, ...s.inputs];
  const free = ['t0', 't1', 't2', 't3', 't4', 't5', 't6', 'a6', 'a5', 'a4'];
  const fixed = new Set(
    all.map((o) => (o.expr.k === 'var' ? o.expr.sym.asmReg : undefined)).filter((r) => r),
  );
  const regs = all.map((o) => {
    if (/[mo]/.test(o.constraint)) return null;
    if (!/[r]/.test(o.constraint.replace(/[=+&]/g, '')) && !/^[=+&]*[0-9]+$/.test(o.constraint)) {
      g.unsupported(`asm constraint '${o.constraint}'`);
    }
    const tied = /^[=+&]*([0-9]+)$/.exec(o.constraint);
    if (tied) return `@${tied[1]}`;
    const r = o.expr.k === 'var' ? o.expr.sym.asmReg : undefined;
    if (r) return r;
    const next = free.find((x) => !fixed.has(x));
    if (!next) g.unsupported('this many asm operands');
    fixed.add(next as string);
    return next as string;
  });
  const regOf = (i: number): string => {
    const r = regs[i];
    return r && r.startsWith('@') ? (regs[Number(r.slice(1))] as string) : (r as string);
  };
  // Memory operands: their address is computed into a register too.
  const memRegs = new Map<number, string>();
  // Evaluate every input value (and "+" outputs and memory addresses), then load registers.
  const loads: Array<[number, string]> = [];
  all.forEach((o, i) => {
    const isOut = i < s.outputs.length;
    if (/[mo]/.test(o.constraint)) {
      genAddr(g, o.expr);
      g.push('i');
      const r = free.find((x) => !fixed.has(x)) as string;
      fixed.add(r);
      memRegs.set(i, r);
      loads.push([i, r]);
      return;
    }
    if (isOut && !o.constraint.includes('+')) return;
    if (vclass(o.expr.type) !== 'i') g.unsupported(`an asm operand of type '${o.expr.type.kind}'`);
    g.expr(o.expr);
    g.push('i');
    loads.push([i, regOf(i)]);
  });
  for (let k = loads.length - 1; k >= 0; k--) g.pop('i', (loads[k] as [number, string])[1]);
  const names = new Map(all.map((o, i) => [o.name, i] as const));
  const text = s.template.replace(
    /%(?:\[(\w+)\]|([0-9]+)|(%))/g,
    (m, name: string, num: string, pct: string) => {
      if (pct) return '%';
      const i = name !== undefined ? names.get(name) : Number(num);
      if (i === undefined || i >= all.length) return m;
      const mem = memRegs.get(i);
      return mem ? `0(${mem})` : regOf(i);
    },
  );
  for (const line of text.split('\n')) g.emit(line.trim());
  // Store outputs: keep every output register on the stack before computing addresses.
  const outs = s.outputs.map((o, i) => [o, i] as const).filter(([o]) => !/[mo]/.test(o.constraint));
  for (const [, i] of outs) {
    g.emit(`mv a0, ${regOf(i)}`);
    g.push('i');
  }
  for (let k = outs.length - 1; k >= 0; k--) {
    const [o] = outs[k] as (typeof outs)[number];
    if (vclass(o.expr.type) !== 'i') g.unsupported(`an asm output of type '${o.expr.type.kind}'`);
    genAddr(g, o.expr);
    g.emit('mv t1, a0');
    g.pop('i', 'a0');
    narrow(g, o.expr.type);
    if (o.expr.k === 'member' && o.expr.member.bitField) storeBitField(g, o.expr.member);
    else g.store(o.expr.type, 't1');
  }
}
