// libfutcc-rt, conversions between 64-bit integers and float/double for RV32IMAFD (ilp32d:
// floating-point arguments and results in fa0). Semantics are libgcc's (soft-fp):
//  - float → integer truncates toward zero; out of range saturates to the limit of the sign
//    (NaN too, by its sign bit); negative → unsigned gives 0.
//  - integer → float rounds once, to nearest-even in the default rounding mode.
import { fn } from './asm-util';

interface FloatFormat {
  /** Mantissa bits (without the hidden bit). */
  mant: number;
  bias: number;
  /** Instructions putting the raw bits into t1 (high word) and t0 (low word). */
  load: string;
}

const DOUBLE: FloatFormat = {
  mant: 52,
  bias: 1023,
  load: `  addi sp, sp, -16
  fsd fa0, 0(sp)
  lw t0, 0(sp)
  lw t1, 4(sp)
  addi sp, sp, 16
`,
};

const SINGLE: FloatFormat = {
  mant: 23,
  bias: 127,
  // A float's 32 bits go in the high word, so both formats share the code below.
  load: `  fmv.x.w t1, fa0
  li t0, 0
`,
};

/**
 * float/double → (un)signed 64-bit. With (t1:t0) the raw bits left-aligned in 64 bits, the
 * significand (hidden bit included) is extracted as a 64-bit integer M in (a1:a0) and shifted
 * by e - bias - mant.
 */
function fixToInt64(name: string, f: FloatFormat, signed: boolean): string {
  const expBits = f.mant === 52 ? 11 : 8;
  // Field positions within the high word.
  const manHi = f.mant === 52 ? 20 : 23;
  const limit = f.bias + (signed ? 63 : 64);
  const overflow = signed
    ? `  li a0, -1
  srli a1, a0, 1
  bgez t6, 9f
  li a0, 0
  li a1, 1
  slli a1, a1, 31
9:
  ret
`
    : `  li a0, -1
  li a1, -1
  ret
`;
  return fn(
    name,
    `${f.load}  srai t6, t1, 31
  slli t2, t1, 1
  srli t2, t2, ${32 - expBits}
${signed ? '' : '  bltz t6, 8f\n'}  li t3, ${f.bias}
  blt t2, t3, 8f
  li t3, ${limit}
  bge t2, t3, 7f
  # M = hidden bit | mantissa, as a 64-bit integer (a1:a0).
  slli a1, t1, ${32 - manHi}
  srli a1, a1, ${32 - manHi}
  li t3, 1
  slli t3, t3, ${manHi}
  or a1, a1, t3
  mv a0, t0
${
  f.mant === 23
    ? `  # A float's significand sits in the high word: move it down.
  mv a0, a1
  li a1, 0
`
    : ''
}  # shift = e - bias - mant: left when positive, right when negative.
  addi t2, t2, -${f.bias + f.mant}
  bltz t2, 3f
  beqz t2, 5f
  li t3, 32
  bltu t2, t3, 2f
  addi t2, t2, -32
  sll a1, a0, t2
  li a0, 0
  j 5f
2:
  sub t3, t3, t2
  srl t4, a0, t3
  sll a1, a1, t2
  or a1, a1, t4
  sll a0, a0, t2
  j 5f
3:
  neg t2, t2
  li t3, 32
  bltu t2, t3, 4f
  addi t2, t2, -32
  srl a0, a1, t2
  li a1, 0
  j 5f
4:
  sub t3, t3, t2
  sll t4, a1, t3
  srl a0, a0, t2
  or a0, a0, t4
  srl a1, a1, t2
5:
${
  signed
    ? `  bgez t6, 6f
  snez t3, a0
  neg a0, a0
  neg a1, a1
  sub a1, a1, t3
6:
`
    : ''
}  ret
7:
${overflow}8:
  li a0, 0
  li a1, 0
  ret
`,
  );
}

// (u)int64 → double: hi·2^32 and lo are exact doubles; one fadd rounds their exact sum once.
function floatToDouble(name: string, signed: boolean): string {
  return fn(
    name,
    `  fcvt.d.${signed ? 'w' : 'wu'} ft0, a1
  fcvt.d.wu ft1, a0
  lui t0, 0x41f00
  addi sp, sp, -16
  sw t0, 4(sp)
  sw zero, 0(sp)
  fld ft2, 0(sp)
  addi sp, sp, 16
  fmadd.d fa0, ft0, ft2, ft1
  ret
`,
  );
}

// (u)int64 → float. Below 2^32 one fcvt.s.wu rounds once. Above, the value is cut to its top
// 53 bits with a sticky bit for what was dropped (exact as a double), then scaled by 2^11 and
// rounded once to float; 53 bits leave room for the round and sticky positions of a float.
function floatToSingle(name: string, signed: boolean): string {
  const sign = signed
    ? `  srai t6, a1, 31
  bgez a1, 1f
  snez t0, a0
  neg a0, a0
  neg a1, a1
  sub a1, a1, t0
1:
`
    : '';
  const finish = signed
    ? `  bgez t6, 3f
  fneg.s fa0, fa0
3:
`
    : '';
  return fn(
    name,
    `${sign}  bnez a1, 2f
  fcvt.s.wu fa0, a0
${finish}  ret
2:
  andi t1, a0, 0x7ff
  snez t1, t1
  srli a0, a0, 11
  slli t2, a1, 21
  or a0, a0, t2
  or a0, a0, t1
  srli a1, a1, 11
  fcvt.d.wu ft0, a1
  fcvt.d.wu ft1, a0
  lui t0, 0x41f00
  addi sp, sp, -16
  sw t0, 4(sp)
  sw zero, 0(sp)
  fld ft2, 0(sp)
  li t0, 0x40a00000
  sw t0, 4(sp)
  fld ft3, 0(sp)
  addi sp, sp, 16
  fmadd.d ft0, ft0, ft2, ft1
  fmul.d ft0, ft0, ft3
  fcvt.s.d fa0, ft0
${finish}  ret
`,
  );
}

export const FLOAT_SOURCES: Record<string, string> = {
  fixdfdi: fixToInt64('__fixdfdi', DOUBLE, true),
  fixunsdfdi: fixToInt64('__fixunsdfdi', DOUBLE, false),
  fixsfdi: fixToInt64('__fixsfdi', SINGLE, true),
  fixunssfdi: fixToInt64('__fixunssfdi', SINGLE, false),
  floatdidf: floatToDouble('__floatdidf', true),
  floatundidf: floatToDouble('__floatundidf', false),
  floatdisf: floatToSingle('__floatdisf', true),
  floatundisf: floatToSingle('__floatundisf', false),
};
