// libfutcc-rt, 64-bit integer arithmetic for RV32IM (libgcc's names and calling conventions:
// a 64-bit value travels in a register pair, low word first). One function per archive member
// so that a program defining its own wins over ours, as with libgcc.
import { fn } from './asm-util';

/** Negates the 64-bit value in (lo, hi) in place; `t` is a scratch register. */
export function neg64(lo: string, hi: string, t: string): string {
  return `  snez ${t}, ${lo}\n  neg ${lo}, ${lo}\n  neg ${hi}, ${hi}\n  sub ${hi}, ${hi}, ${t}\n`;
}

const muldi3 = fn(
  '__muldi3',
  `  mul t0, a0, a3
  mul t1, a1, a2
  add t0, t0, t1
  mulhu t1, a0, a2
  add a1, t0, t1
  mul a0, a0, a2
  ret
`,
);

// Shift counts are taken modulo 64, like the hardware shifts they stand for.
const ashldi3 = fn(
  '__ashldi3',
  `  andi a2, a2, 63
  beqz a2, 1f
  li t0, 32
  bltu a2, t0, 2f
  addi a2, a2, -32
  sll a1, a0, a2
  li a0, 0
  ret
2:
  sub t0, t0, a2
  srl t1, a0, t0
  sll a1, a1, a2
  or a1, a1, t1
  sll a0, a0, a2
1:
  ret
`,
);

function rightShift(name: string, op: 'srl' | 'sra'): string {
  const highFill = op === 'sra' ? '  srai a1, a1, 31\n' : '  li a1, 0\n';
  return fn(
    name,
    `  andi a2, a2, 63
  beqz a2, 1f
  li t0, 32
  bltu a2, t0, 2f
  addi a2, a2, -32
  ${op} a0, a1, a2
${highFill}  ret
2:
  sub t0, t0, a2
  sll t1, a1, t0
  srl a0, a0, a2
  or a0, a0, t1
  ${op} a1, a1, a2
1:
  ret
`,
  );
}

function compare(name: string, signed: boolean): string {
  const [lt, gt] = signed ? ['blt', 'bgt'] : ['bltu', 'bgtu'];
  return fn(
    name,
    `  ${lt} a1, a3, 1f
  ${gt} a1, a3, 2f
  bltu a0, a2, 1f
  bgtu a0, a2, 2f
  li a0, 1
  ret
1:
  li a0, 0
  ret
2:
  li a0, 2
  ret
`,
  );
}

// Unsigned 64/64 division: n in (a0, a1), d in (a2, a3) → quotient (a0, a1), remainder (a2, a3).
// - both high words zero: one divu/remu;
// - divisor below 2^32 (the common case): the high quotient word by divu, the low one by
//   Hacker's Delight's divlu (normalise, two 16-bit quotient digits estimated with divu and
//   corrected), about 60 instructions;
// - divisor of 2^32 or more, or zero: restoring shift-subtract over 64 bits; t4 keeps the bit
//   shifted out of the partial remainder so divisors ≥ 2^63 work. Division by zero gives an
//   all-ones quotient (as divu does).
const udivmod = fn(
  '__futcc_udivmod64',
  `  or t0, a1, a3
  bnez t0, 1f
  beqz a2, 20f
  divu t0, a0, a2
  remu a2, a0, a2
  mv a0, t0
  li a1, 0
  li a3, 0
  ret
1:
  bnez a3, 20f
  beqz a2, 20f
  remu t0, a1, a2
  divu a1, a1, a2
  # divlu: (t0:a0) / a2 with t0 < a2. t1 = s = leading zeros of a2, t2 = a2 << s.
  li t1, 0
  mv t2, a2
${[16, 8, 4, 2, 1]
  .map(
    (k) => `  srli t3, t2, ${32 - k}
  bnez t3, 10f
  addi t1, t1, ${k}
  slli t2, t2, ${k}
10:
`,
  )
  .join('')}  sll t3, t0, t1
  beqz t1, 11f
  neg t4, t1
  srl t4, a0, t4
  or t3, t3, t4
11:
  sll t4, a0, t1
  srli t5, t4, 16
  slli t6, t4, 16
  srli t6, t6, 16
  srli a4, t2, 16
  slli a5, t2, 16
  srli a5, a5, 16
  li t4, 0x10000
  divu a6, t3, a4
  mul a7, a6, a4
  sub a7, t3, a7
12:
  bgeu a6, t4, 13f
  mul t0, a6, a5
  slli a3, a7, 16
  add a3, a3, t5
  bleu t0, a3, 14f
13:
  addi a6, a6, -1
  add a7, a7, a4
  bltu a7, t4, 12b
14:
  slli t0, t3, 16
  add t0, t0, t5
  mul a3, a6, t2
  sub t0, t0, a3
  divu t3, t0, a4
  mul a7, t3, a4
  sub a7, t0, a7
15:
  bgeu t3, t4, 16f
  mul t5, t3, a5
  slli a3, a7, 16
  add a3, a3, t6
  bleu t5, a3, 17f
16:
  addi t3, t3, -1
  add a7, a7, a4
  bltu a7, t4, 15b
17:
  slli t0, t0, 16
  add t0, t0, t6
  mul a3, t3, t2
  sub t0, t0, a3
  srl a2, t0, t1
  slli a0, a6, 16
  add a0, a0, t3
  li a3, 0
  ret
20:
  li t0, 0
  li t1, 0
  li t2, 64
21:
  srli t4, t1, 31
  slli t1, t1, 1
  srli t3, t0, 31
  or t1, t1, t3
  slli t0, t0, 1
  srli t3, a1, 31
  or t0, t0, t3
  slli a1, a1, 1
  srli t3, a0, 31
  or a1, a1, t3
  slli a0, a0, 1
  bnez t4, 23f
  bltu t1, a3, 22f
  bne t1, a3, 23f
  bltu t0, a2, 22f
23:
  sltu t3, t0, a2
  sub t0, t0, a2
  sub t1, t1, a3
  sub t1, t1, t3
  ori a0, a0, 1
22:
  addi t2, t2, -1
  bnez t2, 21b
  mv a2, t0
  mv a3, t1
  ret
`,
);

const udivdi3 = fn('__udivdi3', '  tail __futcc_udivmod64\n');

const umoddi3 = fn(
  '__umoddi3',
  `  addi sp, sp, -16
  sw ra, 12(sp)
  call __futcc_udivmod64
  mv a0, a2
  mv a1, a3
  lw ra, 12(sp)
  addi sp, sp, 16
  ret
`,
);

// Signed: divide magnitudes; the quotient is negative when the signs differ, the remainder takes
// the dividend's sign (C's truncating division).
const divdi3 = fn(
  '__divdi3',
  `  addi sp, sp, -16
  sw ra, 12(sp)
  xor t5, a1, a3
  sw t5, 8(sp)
  bgez a1, 1f
${neg64('a0', 'a1', 't0')}1:
  bgez a3, 2f
${neg64('a2', 'a3', 't0')}2:
  call __futcc_udivmod64
  lw t5, 8(sp)
  bgez t5, 3f
${neg64('a0', 'a1', 't0')}3:
  lw ra, 12(sp)
  addi sp, sp, 16
  ret
`,
);

const moddi3 = fn(
  '__moddi3',
  `  addi sp, sp, -16
  sw ra, 12(sp)
  sw a1, 8(sp)
  bgez a1, 1f
${neg64('a0', 'a1', 't0')}1:
  bgez a3, 2f
${neg64('a2', 'a3', 't0')}2:
  call __futcc_udivmod64
  mv a0, a2
  mv a1, a3
  lw t5, 8(sp)
  bgez t5, 3f
${neg64('a0', 'a1', 't0')}3:
  lw ra, 12(sp)
  addi sp, sp, 16
  ret
`,
);

export const INT64_SOURCES: Record<string, string> = {
  muldi3,
  ashldi3,
  lshrdi3: rightShift('__lshrdi3', 'srl'),
  ashrdi3: rightShift('__ashrdi3', 'sra'),
  cmpdi2: compare('__cmpdi2', true),
  ucmpdi2: compare('__ucmpdi2', false),
  udivmod64: udivmod,
  udivdi3,
  umoddi3,
  divdi3,
  moddi3,
};
