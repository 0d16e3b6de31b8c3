// RVC: maps a 32-bit RV32GC instruction word to its 16-bit equivalent when one exists, following
// the choices GNU as makes for automatic compression. `only` restricts the result to one c.* form
// (for explicit c.* mnemonics).
import { fitsSigned, immCB, immCJ } from '../obj/fields';

export interface Compressed {
  half: number;
  name: string;
}

const isC = (r: number): boolean => r >= 8 && r <= 15;
const bit = (v: number, hi: number, lo = hi): number => (v >>> lo) & ((1 << (hi - lo + 1)) - 1);

/** Field layout helpers of the compressed formats. */
const ciw = (f3: number, nzuimm: number, rd: number): number =>
  (f3 << 13) |
  (bit(nzuimm, 5, 4) << 11) |
  (bit(nzuimm, 9, 6) << 7) |
  (bit(nzuimm, 2) << 6) |
  (bit(nzuimm, 3) << 5) |
  ((rd - 8) << 2);
const clw = (f3: number, off: number, rs1: number, r2: number, op: number): number =>
  (f3 << 13) |
  (bit(off, 5, 3) << 10) |
  ((rs1 - 8) << 7) |
  (bit(off, 2) << 6) |
  (bit(off, 6) << 5) |
  ((r2 - 8) << 2) |
  op;
const cld = (f3: number, off: number, rs1: number, r2: number): number =>
  (f3 << 13) | (bit(off, 5, 3) << 10) | ((rs1 - 8) << 7) | (bit(off, 7, 6) << 5) | ((r2 - 8) << 2);
const ci = (f3: number, imm: number, rd: number, op: number): number =>
  (f3 << 13) | (bit(imm, 5) << 12) | (rd << 7) | (bit(imm, 4, 0) << 2) | op;
const ca = (f6: number, rd: number, f2: number, rs2: number): number =>
  (f6 << 10) | ((rd - 8) << 7) | (f2 << 5) | ((rs2 - 8) << 2) | 1;
const cr = (f4: number, rd: number, rs2: number): number => (f4 << 12) | (rd << 7) | (rs2 << 2) | 2;

function candidates(w: number): Compressed[] {
  const out: Compressed[] = [];
  const op = w & 0x7f;
  const rd = bit(w, 11, 7);
  const f3 = bit(w, 14, 12);
  const rs1 = bit(w, 19, 15);
  const rs2 = bit(w, 24, 20);
  const f7 = bit(w, 31, 25);
  const immI = w >> 20;
  const immS = ((w >> 25) << 5) | rd;
  const add = (name: string, half: number): void => void out.push({ name, half: half & 0xffff });
  switch (op) {
    case 0x13: {
      if (f3 === 0) {
        if (rd === 0 && rs1 === 0 && immI === 0) add('c.nop', 0x0001);
        if (rd === rs1 && rd !== 0 && immI !== 0 && fitsSigned(immI, 6)) add('c.addi', ci(0, immI, rd, 1));
        if (rs1 === 0 && rd !== 0 && fitsSigned(immI, 6)) add('c.li', ci(2, immI, rd, 1));
        if (rd === 2 && rs1 === 2 && immI !== 0 && immI % 16 === 0 && fitsSigned(immI, 10)) {
          const v = immI;
          add(
            'c.addi16sp',
            (3 << 13) |
              (bit(v, 9) << 12) |
              (2 << 7) |
              (bit(v, 4) << 6) |
              (bit(v, 6) << 5) |
              (bit(v, 8, 7) << 3) |
              (bit(v, 5) << 2) |
              1,
          );
        }
        if (rs1 === 2 && isC(rd) && immI > 0 && immI < 1024 && immI % 4 === 0)
          add('c.addi4spn', ciw(0, immI, rd));
        if (immI === 0 && rd !== 0 && rs1 !== 0) add('c.mv', cr(8, rd, rs1));
      }
      if (f3 === 1 && f7 === 0 && rd === rs1 && rd !== 0 && rs2 !== 0) add('c.slli', ci(0, rs2, rd, 2));
      if (f3 === 5 && rd === rs1 && isC(rd) && rs2 !== 0 && (f7 === 0 || f7 === 0x20)) {
        add(
          f7 === 0 ? 'c.srli' : 'c.srai',
          (4 << 13) | ((f7 === 0 ? 0 : 1) << 10) | ((rd - 8) << 7) | (rs2 << 2) | 1,
        );
      }
      if (f3 === 7 && rd === rs1 && isC(rd) && fitsSigned(immI, 6)) {
        add(
          'c.andi',
          (4 << 13) | (bit(immI, 5) << 12) | (2 << 10) | ((rd - 8) << 7) | (bit(immI, 4, 0) << 2) | 1,
        );
      }
      break;
    }
    case 0x37: {
      const v = w >> 12;
      if (rd !== 0 && rd !== 2 && v !== 0 && fitsSigned(v, 6)) add('c.lui', ci(3, v, rd, 1));
      break;
    }
    case 0x33: {
      if (f7 === 0 && f3 === 0) {
        if (rs1 === 0 && rd !== 0 && rs2 !== 0) add('c.mv', cr(8, rd, rs2));
        if (rd === rs1 && rd !== 0 && rs2 !== 0) add('c.add', cr(9, rd, rs2));
        else if (rd === rs2 && rd !== 0 && rs1 !== 0) add('c.add', cr(9, rd, rs1));
      }
      const ops: Record<string, number> = { '32,0': 0, '0,4': 1, '0,6': 2, '0,7': 3 };
      const sel = ops[`${f7},${f3}`];
      if (sel !== undefined && isC(rd) && isC(rs1) && isC(rs2)) {
        if (rd === rs1) add(['c.sub', 'c.xor', 'c.or', 'c.and'][sel] ?? '', ca(0x23, rd, sel, rs2));
        else if (rd === rs2 && sel !== 0)
          add(['c.sub', 'c.xor', 'c.or', 'c.and'][sel] ?? '', ca(0x23, rd, sel, rs1));
      }
      break;
    }
    case 0x03:
    case 0x07: {
      const fp = op === 0x07;
      if (f3 === 2 && (rd !== 0 || fp)) {
        if (rs1 === 2 && immI >= 0 && immI < 256 && immI % 4 === 0) {
          add(
            fp ? 'c.flwsp' : 'c.lwsp',
            ((fp ? 3 : 2) << 13) |
              (bit(immI, 5) << 12) |
              (rd << 7) |
              (bit(immI, 4, 2) << 4) |
              (bit(immI, 7, 6) << 2) |
              2,
          );
        }
        if (isC(rs1) && isC(rd) && immI >= 0 && immI < 128 && immI % 4 === 0)
          add(fp ? 'c.flw' : 'c.lw', clw(fp ? 3 : 2, immI, rs1, rd, 0));
      }
      if (f3 === 3 && fp) {
        if (rs1 === 2 && immI >= 0 && immI < 512 && immI % 8 === 0) {
          add(
            'c.fldsp',
            (1 << 13) |
              (bit(immI, 5) << 12) |
              (rd << 7) |
              (bit(immI, 4, 3) << 5) |
              (bit(immI, 8, 6) << 2) |
              2,
          );
        }
        if (isC(rs1) && isC(rd) && immI >= 0 && immI < 256 && immI % 8 === 0)
          add('c.fld', cld(1, immI, rs1, rd));
      }
      break;
    }
    case 0x23:
    case 0x27: {
      const fp = op === 0x27;
      if (f3 === 2) {
        if (rs1 === 2 && immS >= 0 && immS < 256 && immS % 4 === 0) {
          add(
            fp ? 'c.fswsp' : 'c.swsp',
            ((fp ? 7 : 6) << 13) | (bit(immS, 5, 2) << 9) | (bit(immS, 7, 6) << 7) | (rs2 << 2) | 2,
          );
        }
        if (isC(rs1) && isC(rs2) && immS >= 0 && immS < 128 && immS % 4 === 0)
          add(fp ? 'c.fsw' : 'c.sw', clw(fp ? 7 : 6, immS, rs1, rs2, 0));
      }
      if (f3 === 3 && fp) {
        if (rs1 === 2 && immS >= 0 && immS < 512 && immS % 8 === 0) {
          add('c.fsdsp', (5 << 13) | (bit(immS, 5, 3) << 10) | (bit(immS, 8, 6) << 7) | (rs2 << 2) | 2);
        }
        if (isC(rs1) && isC(rs2) && immS >= 0 && immS < 256 && immS % 8 === 0)
          add('c.fsd', cld(5, immS, rs1, rs2));
      }
      break;
    }
    case 0x67:
      if (f3 === 0 && immI === 0 && rs1 !== 0) {
        if (rd === 0) add('c.jr', cr(8, rs1, 0));
        if (rd === 1) add('c.jalr', cr(9, rs1, 0));
      }
      break;
    case 0x73:
      if (w === 0x00100073) add('c.ebreak', 0x9002);
      break;
  }
  return out;
}

/** Preferred compressed form (GNU as order), or the one named by `only`. */
export function compress32(word: number, only?: string): Compressed | null {
  const c = candidates(word >>> 0);
  if (only !== undefined) return c.find((x) => x.name === only) ?? null;
  return c[0] ?? null;
}

/** Encodes c.beqz/c.bnez (rs1 in x8..x15) with a byte offset. */
export const cBranch = (bne: boolean, rs1: number, off: number): number =>
  ((bne ? 7 : 6) << 13) | ((rs1 - 8) << 7) | immCB(off) | 1;
/** Encodes c.j / c.jal (RV32) with a byte offset. */
export const cJump = (link: boolean, off: number): number => ((link ? 1 : 5) << 13) | immCJ(off) | 1;
