// The C extension for RV32: each 16-bit instruction expands to the 32-bit instruction it stands
// for, so the interpreter and translator only know the base encodings. 0 means illegal/reserved.
import { bType, iType, jType, rType, sType, uType } from './encode';

const OP_LOAD = 0x03;
const OP_LOAD_FP = 0x07;
const OP_IMM = 0x13;
const OP_STORE = 0x23;
const OP_STORE_FP = 0x27;
const OP = 0x33;
const OP_LUI = 0x37;
const OP_JALR = 0x67;
const EBREAK = 0x0010_0073;

/** Sign-extends the low `bits` bits of v. */
function sext(v: number, bits: number): number {
  const s = 32 - bits;
  return (v << s) >> s;
}

function bit(c: number, i: number): number {
  return (c >>> i) & 1;
}

/** Expands one compressed instruction (low 16 bits of `c`; bits 1:0 ≠ 3). Returns 0 if illegal. */
export function expandCompressed(c: number): number {
  const f3 = (c >>> 13) & 7;
  const rdFull = (c >>> 7) & 31;
  const rs2Full = (c >>> 2) & 31;
  const rdP = 8 + ((c >>> 2) & 7); // rd' / rs2'
  const rs1P = 8 + ((c >>> 7) & 7); // rs1' / rd'
  switch (c & 3) {
    case 0: {
      // Offsets of C.LW/C.SW/C.FLW/C.FSW and of C.FLD/C.FSD.
      const wOff = (((c >>> 10) & 7) << 3) | (bit(c, 6) << 2) | (bit(c, 5) << 6);
      const dOff = (((c >>> 10) & 7) << 3) | (((c >>> 5) & 3) << 6);
      switch (f3) {
        case 0: {
          const imm =
            (((c >>> 11) & 3) << 4) | (((c >>> 7) & 0xf) << 6) | (bit(c, 6) << 2) | (bit(c, 5) << 3);
          return imm === 0 ? 0 : iType(OP_IMM, rdP, 0, 2, imm);
        }
        case 1:
          return iType(OP_LOAD_FP, rdP, 3, rs1P, dOff);
        case 2:
          return iType(OP_LOAD, rdP, 2, rs1P, wOff);
        case 3:
          return iType(OP_LOAD_FP, rdP, 2, rs1P, wOff);
        case 5:
          return sType(OP_STORE_FP, 3, rs1P, rdP, dOff);
        case 6:
          return sType(OP_STORE, 2, rs1P, rdP, wOff);
        case 7:
          return sType(OP_STORE_FP, 2, rs1P, rdP, wOff);
        default:
          return 0;
      }
    }
    case 1: {
      const imm6 = sext((bit(c, 12) << 5) | ((c >>> 2) & 0x1f), 6);
      switch (f3) {
        case 0:
          return iType(OP_IMM, rdFull, 0, rdFull, imm6);
        case 1:
        case 5:
          return jType(f3 === 1 ? 1 : 0, jOffset(c));
        case 2:
          return iType(OP_IMM, rdFull, 0, 0, imm6);
        case 3: {
          if (rdFull === 2) {
            const imm = sext(
              (bit(c, 12) << 9) |
                (bit(c, 6) << 4) |
                (bit(c, 5) << 6) |
                (((c >>> 3) & 3) << 7) |
                (bit(c, 2) << 5),
              10,
            );
            return imm === 0 ? 0 : iType(OP_IMM, 2, 0, 2, imm);
          }
          return imm6 === 0 ? 0 : uType(OP_LUI, rdFull, imm6 << 12);
        }
        case 4: {
          const f2 = (c >>> 10) & 3;
          if (f2 === 0 || f2 === 1) {
            if (bit(c, 12)) return 0; // shamt[5] = 1 is reserved on RV32
            return rType(OP_IMM, rs1P, 5, rs1P, (c >>> 2) & 0x1f, f2 === 1 ? 0x20 : 0);
          }
          if (f2 === 2) return iType(OP_IMM, rs1P, 7, rs1P, imm6);
          if (bit(c, 12)) return 0; // C.SUBW/C.ADDW are RV64-only
          switch ((c >>> 5) & 3) {
            case 0:
              return rType(OP, rs1P, 0, rs1P, rdP, 0x20);
            case 1:
              return rType(OP, rs1P, 4, rs1P, rdP, 0);
            case 2:
              return rType(OP, rs1P, 6, rs1P, rdP, 0);
            default:
              return rType(OP, rs1P, 7, rs1P, rdP, 0);
          }
        }
        default: {
          // C.BEQZ / C.BNEZ
          const off = sext(
            (bit(c, 12) << 8) |
              (((c >>> 10) & 3) << 3) |
              (((c >>> 5) & 3) << 6) |
              (((c >>> 3) & 3) << 1) |
              (bit(c, 2) << 5),
            9,
          );
          return bType(f3 === 6 ? 0 : 1, rs1P, 0, off);
        }
      }
    }
    case 2: {
      switch (f3) {
        case 0:
          if (bit(c, 12)) return 0;
          return rType(OP_IMM, rdFull, 1, rdFull, rs2Full, 0);
        case 1: {
          const off = (bit(c, 12) << 5) | (((c >>> 5) & 3) << 3) | (((c >>> 2) & 7) << 6);
          return iType(OP_LOAD_FP, rdFull, 3, 2, off);
        }
        case 2:
        case 3: {
          const off = (bit(c, 12) << 5) | (((c >>> 4) & 7) << 2) | (((c >>> 2) & 3) << 6);
          if (f3 === 2 && rdFull === 0) return 0;
          return iType(f3 === 2 ? OP_LOAD : OP_LOAD_FP, rdFull, 2, 2, off);
        }
        case 4:
          if (!bit(c, 12)) {
            if (rs2Full === 0) return rdFull === 0 ? 0 : iType(OP_JALR, 0, 0, rdFull, 0);
            return rType(OP, rdFull, 0, 0, rs2Full, 0);
          }
          if (rs2Full === 0) return rdFull === 0 ? EBREAK : iType(OP_JALR, 1, 0, rdFull, 0);
          return rType(OP, rdFull, 0, rdFull, rs2Full, 0);
        case 5: {
          const off = (((c >>> 10) & 7) << 3) | (((c >>> 7) & 7) << 6);
          return sType(OP_STORE_FP, 3, 2, rs2Full, off);
        }
        default: {
          const off = (((c >>> 9) & 0xf) << 2) | (((c >>> 7) & 3) << 6);
          return sType(f3 === 6 ? OP_STORE : OP_STORE_FP, 2, 2, rs2Full, off);
        }
      }
    }
    default:
      return 0;
  }
}

function jOffset(c: number): number {
  return sext(
    (bit(c, 12) << 11) |
      (bit(c, 11) << 4) |
      (((c >>> 9) & 3) << 8) |
      (bit(c, 8) << 10) |
      (bit(c, 7) << 6) |
      (bit(c, 6) << 7) |
      (((c >>> 3) & 7) << 1) |
      (bit(c, 2) << 5),
    12,
  );
}

/** Lazily filled table of expansions for all 65536 halfwords (−1 = not yet expanded). */
const table = new Int32Array(65536).fill(-1);

export function expandCached(c: number): number {
  let v = table[c]!;
  if (v === -1) {
    v = expandCompressed(c) | 0;
    table[c] = v;
  }
  return v;
}
