// Inline JavaScript for the common double-precision FP instructions of translated code. Each
// emitter gives a guarded fast path that mirrors the FPU's own fast path (../fpu-fast) for
// round-to-nearest-even: the result of a JavaScript double operation, plus an error-free
// transformation to tell whether it was exact (NX). Whenever that cannot be decided cheaply
// (NaN, infinities, results near the ends of the exponent range, another rounding mode, FS not
// Dirty) the guard fails and the caller's generic path (EXECFP or the interpreter) runs the
// instruction, so the architectural result and flags are always the FPU's.
//
// The region evaluates `fpOk` once per call: FS is Dirty and frm is RNE. Neither can change while
// a region runs (CSR writes and traps leave translated code). `fpNx` adds that NX is already set
// (accrued flags only grow inside a region), so an inexact result needs no proof of inexactness.

/**
 * Fast path of one instruction. `pre` always runs. With `quick`, `quickBody` runs when
 * `fpNx && quick` (NX already set, so only the result's range needs checking); otherwise `exact`
 * runs, then `body` when `fpOk && cond`.
 */
export interface FpFast {
  pre: string;
  quick?: string;
  quickBody?: string;
  exact?: string;
  cond: string;
  body: string;
}

/** Names of the generated code's integer register locals (read / written). */
export interface FpRegNames {
  read: (r: number) => string;
  write: (r: number) => string | null;
}

/** The shortest JS literal that parses back to exactly `v`. */
function lit(v: number): string {
  return v.toString();
}

const MAXP = lit(2 ** 960);
const MINP = lit(2 ** -960);
/** Twice the smallest normal double: below it a rounded result may be tiny (UF) — soft path. */
const MIN_N2 = lit(2 ** -1021);
const DBL_MAX = lit(Number.MAX_VALUE);
const SPLIT = '134217729';
const NX = 1;

const inRange = (v: string): string => `(Math.abs(${v}) >= ${MINP} && Math.abs(${v}) <= ${MAXP})`;
const finite = (v: string): string => `Math.abs(${v}) <= ${DBL_MAX}`;

/** fe = the exact error of fr = RN(a · b) (Dekker's TwoProduct, as fpu-fast's twoProdErr). */
function twoProd(a: string, b: string, p: string, out: string): string {
  return (
    `ft = ${SPLIT} * ${a}; fh = ft - (ft - ${a}); fl = ${a} - fh; ` +
    `ft = ${SPLIT} * ${b}; gh = ft - (ft - ${b}); gl = ${b} - gh; ` +
    `${out} = fh * gh - ${p} + fh * gl + fl * gh + fl * gl;`
  );
}

/** out = the exact error of s = RN(a + b) (TwoSum, as fpu-fast's twoSumErr). */
function twoSum(a: string, b: string, s: string, out: string): string {
  return `ft = ${s} - ${a}; ${out} = ${a} - (${s} - ft) + (${b} - ft);`;
}

const D = (r: number): string => `FD[${r}]`;

/** FADD.D / FSUB.D. */
function addD(rd: number, rs1: number, rs2: number, sub: boolean): FpFast {
  return {
    pre: `fa = ${D(rs1)}; fb = ${sub ? '-' : ''}${D(rs2)}; fr = fa + fb;`,
    ...quickD(rd),
    exact: twoSum('fa', 'fb', 'fr', 'fe'),
    // |a|, |b| ≤ 2^960 keeps the sum finite; an inexact sum must not be tiny.
    cond: `Math.abs(fa) <= ${MAXP} && Math.abs(fb) <= ${MAXP} && (fe === 0 || Math.abs(fr) >= ${MIN_N2})`,
    body: `${D(rd)} = fr; if (fe !== 0) FP.fflags |= ${NX};`,
  };
}

/**
 * When NX is already set, a sum, product or quotient whose JavaScript result is finite and not
 * tiny is the correctly rounded RNE result and can raise no other flag (NaN operands, invalid
 * operations, overflow, division by zero and underflow all give results outside that range).
 */
function quickD(rd: number): Pick<FpFast, 'quick' | 'quickBody'> {
  return {
    quick: `Math.abs(fr) >= ${MIN_N2} && Math.abs(fr) <= ${DBL_MAX}`,
    quickBody: `${D(rd)} = fr;`,
  };
}

/** FMUL.D: in range with TwoProduct, or an exact zero from a zero factor. */
function mulD(rd: number, rs1: number, rs2: number): FpFast {
  return {
    pre: `fa = ${D(rs1)}; fb = ${D(rs2)}; fr = fa * fb;`,
    ...quickD(rd),
    exact: `fe = 0; fk = ${inRange('fa')} && ${inRange('fb')} && ${inRange('fr')}; if (fk) { ${twoProd('fa', 'fb', 'fr', 'fe')} }`,
    cond: `(fk || (fr === 0 && (fa === 0 || fb === 0)))`,
    body: `${D(rd)} = fr; if (fe !== 0) FP.fflags |= ${NX};`,
  };
}

/** FDIV.D: the remainder a − q·b (exact by TwoProduct) says whether q is exact. */
function divD(rd: number, rs1: number, rs2: number): FpFast {
  return {
    pre: `fa = ${D(rs1)}; fb = ${D(rs2)}; fr = fa / fb;`,
    ...quickD(rd),
    exact:
      `fe = 0; fk = ${inRange('fa')} && ${inRange('fb')} && ${inRange('fr')}; ` +
      `if (fk) { fc = fr * fb; ${twoProd('fr', 'fb', 'fc', 'fe')} fe = fa - fc - fe; }`,
    cond: `(fk || (fa === 0 && ${inRange('fb')}))`,
    body: `${D(rd)} = fr; if (fe !== 0) FP.fflags |= ${NX};`,
  };
}

/**
 * FMADD/FMSUB/FNMSUB/FNMADD.D as fpu-fast's fmaF64 for RNE: a·b = p + e exactly, TwoSums give
 * r = RN(s + s1) and the remainder q; r is correctly rounded when |q| is below half the gap to
 * r's neighbour on q's side (found by stepping r's bits in the SD/SU scratch).
 */
function fmaD(opcode: number, rd: number, rs1: number, rs2: number, rs3: number): FpFast {
  const negProd = opcode === 0x4b || opcode === 0x4f;
  const negC = opcode === 0x47 || opcode === 0x4f;
  const pre = [
    `fa = ${negProd ? '-' : ''}${D(rs1)}; fb = ${D(rs2)}; fc = ${negC ? '-' : ''}${D(rs3)}; fr = fa * fb; fk = false;`,
    `if (${inRange('fa')} && ${inRange('fb')} && ${inRange('fr')} && Math.abs(fc) <= ${MAXP}) {`,
    twoProd('fa', 'fb', 'fr', 'fe'), // e
    `fs = fr + fc; ${twoSum('fr', 'fc', 'fs', 'fq')}`, // s, t
    `fa = fq + fe; ${twoSum('fq', 'fe', 'fa', 'fb')}`, // s1, e1
    `fr = fs + fa; ${twoSum('fs', 'fa', 'fr', 'fq')} fq = fq + fb;`, // r, q = e2 + e1
    `if (fr !== 0 && Math.abs(fr) <= ${DBL_MAX} && (fq === 0 || Math.abs(fr) >= ${MIN_N2})) {`,
    `if (fq === 0) fk = true; else {`,
    // The neighbour of r on q's side: one ulp away from zero when q has r's sign, else toward it.
    `SD[0] = fr; if ((fq > 0) === (fr > 0)) { SU[0] = (SU[0] + 1) >>> 0; if (SU[0] === 0) SU[1] = (SU[1] + 1) >>> 0; }`,
    `else { if (SU[0] === 0) SU[1] = (SU[1] - 1) >>> 0; SU[0] = (SU[0] - 1) >>> 0; }`,
    `fk = Math.abs(fq) * 2 < Math.abs(SD[0] - fr); }`,
    `} } else if ((fa === 0 || fb === 0) && ${finite('fa')} && ${finite('fb')} && fc !== 0 && ${finite('fc')}) { fr = fc; fq = 0; fk = true; }`,
  ].join(' ');
  return { pre, cond: 'fk', body: `${D(rd)} = fr; if (fq !== 0) FP.fflags |= ${NX};` };
}

const S = (r: number): string => `(FU[${2 * r + 1}] === 0xffffffff ? F32[${2 * r}] : NaN)`;
const FLT_MAX = lit(3.4028234663852886e38);
const FLT_MIN_N2 = lit(2 ** -125);

/**
 * Rounds fd = RN53(x) (fe ≠ 0 when x ≠ fd) to binary32 under RNE, as fpu-fast's roundF32: fround
 * is right unless fd lies exactly on a midpoint between two floats (then the sign of x − fd
 * decides: generic path); tiny and near-overflow results also take the generic path. A binary32
 * midpoint is a double whose 29 fraction bits below binary32 precision are 1000…0.
 */
function roundS(rd: number, pre: string): FpFast {
  return {
    pre: `${pre} fr = Math.fround(fd); SD[0] = fd;`,
    cond:
      `((Math.abs(fr) >= ${FLT_MIN_N2} && Math.abs(fr) < ${FLT_MAX} && ` +
      `(fr === fd || (SU[0] & 0x1fffffff) !== 0x10000000)) || (fd === 0 && fe === 0))`,
    body: `F32[${2 * rd}] = fr; FU[${2 * rd + 1}] = -1; if (fr !== fd || fe !== 0) FP.fflags |= ${NX};`,
  };
}

function arithS(f7: number, rd: number, rs1: number, rs2: number): FpFast {
  const ops = `fa = ${S(rs1)}; fb = ${f7 === 0x04 ? '-' : ''}${S(rs2)};`;
  switch (f7) {
    case 0x00:
    case 0x04:
      return roundS(rd, `${ops} fd = fa + fb; ${twoSum('fa', 'fb', 'fd', 'fe')}`);
    case 0x08:
      // 24 × 24 bits: exact in a double.
      return roundS(rd, `${ops} fd = fa * fb; fe = 0;`);
    default:
      return roundS(
        rd,
        `${ops} fd = fa / fb; fc = fd * fb; ${twoProd('fd', 'fb', 'fc', 'fe')} fe = fa - fc - fe;`,
      );
  }
}

/** FMADD/FMSUB/FNMSUB/FNMADD.S: the product is exact in a double, the sum's error by TwoSum. */
function fmaS(opcode: number, rd: number, rs1: number, rs2: number, rs3: number): FpFast {
  const negProd = opcode === 0x4b || opcode === 0x4f;
  const negC = opcode === 0x47 || opcode === 0x4f;
  return roundS(
    rd,
    `fa = ${negProd ? '-' : ''}(${S(rs1)} * ${S(rs2)}); fc = ${negC ? '-' : ''}${S(rs3)}; ` +
      `fd = fa + fc; ${twoSum('fa', 'fc', 'fd', 'fe')}`,
  );
}

/**
 * The fast path of a computational FP instruction (OP-FP or a fused multiply-add), or null when it
 * has none (the caller emits only the generic path). Static rounding modes other than RNE and the
 * invalid ones (5, 6) go to the generic path.
 */
export function fpFast(insn: number, names: FpRegNames): FpFast | null {
  const opcode = insn & 0x7f;
  const rd = (insn >>> 7) & 31;
  const rs1 = (insn >>> 15) & 31;
  const rs2 = (insn >>> 20) & 31;
  const f3 = (insn >>> 12) & 7;
  const f7 = insn >>> 25;
  const rne = f3 === 0 || f3 === 7;
  if (opcode !== 0x53) {
    const fmt = (insn >>> 25) & 3;
    if (fmt > 1 || !rne) return null;
    return fmt === 1 ? fmaD(opcode, rd, rs1, rs2, insn >>> 27) : fmaS(opcode, rd, rs1, rs2, insn >>> 27);
  }
  switch (f7) {
    case 0x00: // FADD.S
    case 0x04: // FSUB.S
    case 0x08: // FMUL.S
    case 0x0c: // FDIV.S
      return rne ? arithS(f7, rd, rs1, rs2) : null;
    case 0x68: {
      // FCVT.S.W / FCVT.S.WU: an int is exact in a double, so fround rounds it once (RNE).
      if (rs2 > 1 || !rne) return null;
      const a = names.read(rs1);
      return {
        pre: `fd = ${rs2 === 0 ? a : `${a} >>> 0`}; fr = Math.fround(fd);`,
        cond: 'true',
        body: `F32[${2 * rd}] = fr; FU[${2 * rd + 1}] = -1; if (fr !== fd) FP.fflags |= ${NX};`,
      };
    }
    case 0x50: {
      // FLE.S / FLT.S / FEQ.S on ordered (and properly boxed) operands.
      if (f3 > 2) return null;
      const op = ['<=', '<', '==='][f3]!;
      const d = names.write(rd);
      return {
        pre: `fa = ${S(rs1)}; fb = ${S(rs2)};`,
        cond: 'fa === fa && fb === fb',
        body: d ? `${d} = fa ${op} fb ? 1 : 0;` : '',
      };
    }
    case 0x01: // FADD.D
    case 0x05: // FSUB.D
      return rne ? addD(rd, rs1, rs2, f7 === 0x05) : null;
    case 0x09:
      return rne ? mulD(rd, rs1, rs2) : null;
    case 0x0d:
      return rne ? divD(rd, rs1, rs2) : null;
    case 0x11: {
      // FSGNJ.D / FSGNJN.D / FSGNJX.D: bits only, never a flag.
      if (f3 > 2) return null;
      const hb = `FU[${2 * rs2 + 1}]`;
      const sign =
        f3 === 0 ? `(${hb} & 0x80000000)` : f3 === 1 ? `(~${hb} & 0x80000000)` : `(${hb} & 0x80000000)`;
      const hi = f3 === 2 ? `FU[${2 * rs1 + 1}] ^ ${sign}` : `(FU[${2 * rs1 + 1}] & 0x7fffffff) | ${sign}`;
      return {
        pre: '',
        cond: 'true',
        body: `t = ${hi}; v = FU[${2 * rs1}] | 0; FU[${2 * rd}] = v; FU[${2 * rd + 1}] = t;`,
      };
    }
    case 0x51: {
      // FLE.D / FLT.D / FEQ.D on ordered operands (NaNs need the flags: generic path).
      if (f3 > 2) return null;
      const op = ['<=', '<', '==='][f3]!;
      const d = names.write(rd);
      return {
        pre: `fa = ${D(rs1)}; fb = ${D(rs2)};`,
        cond: 'fa === fa && fb === fb',
        body: d ? `${d} = fa ${op} fb ? 1 : 0;` : '',
      };
    }
    case 0x69: {
      // FCVT.D.W / FCVT.D.WU: exact. The rounding mode must still be a valid one.
      if (rs2 > 1 || f3 === 5 || f3 === 6) return null;
      const a = names.read(rs1);
      return { pre: '', cond: 'true', body: `${D(rd)} = ${rs2 === 0 ? a : `${a} >>> 0`};` };
    }
    case 0x70: {
      // FMV.X.W
      if (f3 !== 0 || rs2 !== 0) return null;
      const d = names.write(rd);
      return { pre: '', cond: 'true', body: d ? `${d} = FU[${2 * rs1}] | 0;` : '' };
    }
    case 0x78: // FMV.W.X
      if (f3 !== 0 || rs2 !== 0) return null;
      return { pre: '', cond: 'true', body: `FU[${2 * rd}] = ${names.read(rs1)}; FU[${2 * rd + 1}] = -1;` };
    default:
      return null;
  }
}

/** Declarations of the temporaries the fast paths use. */
export const FP_LOCALS =
  'let fa = 0.5, fb = 0.5, fc = 0.5, fd = 0.5, fr = 0.5, fe = 0.5, fs = 0.5, fq = 0.5, ft = 0.5, fh = 0.5, fl = 0.5, gh = 0.5, gl = 0.5, fk = false;';
