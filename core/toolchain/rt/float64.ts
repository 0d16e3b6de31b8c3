// libfutcc-rt, conversions between 64-bit integers and float/double for RV32IMAFD (ilp32d:
// floating-point arguments and results in fa0). Semantics are libgcc's (soft-fp):
//  - float → integer truncates toward zero; out of range saturates to the limit of the sign
//    (NaN too, by its sign bit); negative → unsigned gives 0.
//  - integer → float rounds once, to nearest-even in the default rounding mode.
import { fn } from './asm-util';

/** Loads the double 2^exp (exp in -1022..1023) into `freg`, using t0 and a stack slot. */
function loadPow2(freg: string, exp: number): string {
  return `  li t0, ${((1023 + exp) << 20) >>> 0}
  addi sp, sp, -16
  sw t0, 4(sp)
  sw zero, 0(sp)
  fld ${freg}, 0(sp)
  addi sp, sp, 16
`;
}

// double → uint64 the way libgcc2 does it: hi = trunc(a / 2^32), lo = trunc(a - hi·2^32), each
// through fcvt.wu.d (so NaN and too-large values give all ones, negatives 0, per the hardware).
function fixUnsigned(name: string, single: boolean): string {
  return fn(
    name,
    `${single ? '  fcvt.d.s fa0, fa0\n' : ''}${loadPow2('ft0', -32)}${loadPow2('ft1', 32)}  fmul.d ft2, fa0, ft0
  fcvt.wu.d a1, ft2, rtz
  fcvt.d.wu ft2, a1
  fnmsub.d ft2, ft2, ft1, fa0
  fcvt.wu.d a0, ft2, rtz
  ret
`,
  );
}

// Signed: negative values convert their magnitude and negate the result (libgcc2's __fixdfdi).
function fixSigned(name: string, unsignedName: string, single: boolean): string {
  const x = single ? 's' : 'd';
  return fn(
    name,
    `  fcvt.${x}.w ft0, zero
  flt.${x} t0, fa0, ft0
  bnez t0, 1f
  tail ${unsignedName}
1:
  fneg.${x} fa0, fa0
  addi sp, sp, -16
  sw ra, 12(sp)
  call ${unsignedName}
  lw ra, 12(sp)
  addi sp, sp, 16
  snez t0, a0
  neg a0, a0
  neg a1, a1
  sub a1, a1, t0
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

// (u)int64 → float (libgcc2's method). Below 2^53 the value is exact as a double and one
// fcvt.s.d rounds it. Above, the low 11 bits become a sticky bit at bit 11: the value is then
// exact as a double and the sticky bit still sits below the float's rounding position.
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
    `${sign}  lui t0, 0x200
  bltu a1, t0, 2f
  andi t1, a0, 0x7ff
  beqz t1, 2f
  andi a0, a0, -2048
  li t1, 0x800
  or a0, a0, t1
2:
  fcvt.d.wu ft0, a1
  fcvt.d.wu ft1, a0
${loadPow2('ft2', 32)}  fmadd.d ft0, ft0, ft2, ft1
  fcvt.s.d fa0, ft0
${finish}  ret
`,
  );
}

export const FLOAT_SOURCES: Record<string, string> = {
  fixdfdi: fixSigned('__fixdfdi', '__fixunsdfdi', false),
  fixunsdfdi: fixUnsigned('__fixunsdfdi', false),
  fixsfdi: fixSigned('__fixsfdi', '__fixunssfdi', true),
  fixunssfdi: fixUnsigned('__fixunssfdi', true),
  floatdidf: floatToDouble('__floatdidf', true),
  floatundidf: floatToDouble('__floatundidf', false),
  floatdisf: floatToSingle('__floatdisf', true),
  floatundisf: floatToSingle('__floatundisf', false),
};
