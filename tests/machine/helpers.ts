// Test helpers: a tiny assembler (hand-encoded instruction words) and board setup for both engines.
import { Board, type BoardConfig } from '../../core/machine/board';
import { bType, iType, jType, rType, sType, uType } from '../../core/machine/encode';
import type { Engine } from '../../core/machine/hart';
import { RAM_BASE } from '../../core/machine/memory';

export const ENGINES: Engine[] = ['interp', 'jit'];

/** Register numbers by ABI name. */
export const R = {
  zero: 0,
  ra: 1,
  sp: 2,
  gp: 3,
  tp: 4,
  t0: 5,
  t1: 6,
  t2: 7,
  s0: 8,
  s1: 9,
  a0: 10,
  a1: 11,
  a2: 12,
  a3: 13,
  a4: 14,
  a5: 15,
  a6: 16,
  a7: 17,
  s2: 18,
  s3: 19,
  s4: 20,
  s5: 21,
  s6: 22,
  s7: 23,
  s8: 24,
  s9: 25,
  s10: 26,
  s11: 27,
  t3: 28,
  t4: 29,
  t5: 30,
  t6: 31,
} as const;

const OPI = 0x13;
const OP = 0x33;
export const A = {
  lui: (rd: number, imm: number) => uType(0x37, rd, imm),
  auipc: (rd: number, imm: number) => uType(0x17, rd, imm),
  jal: (rd: number, off: number) => jType(rd, off),
  jalr: (rd: number, rs1: number, imm: number) => iType(0x67, rd, 0, rs1, imm),
  beq: (a: number, b: number, off: number) => bType(0, a, b, off),
  bne: (a: number, b: number, off: number) => bType(1, a, b, off),
  blt: (a: number, b: number, off: number) => bType(4, a, b, off),
  bge: (a: number, b: number, off: number) => bType(5, a, b, off),
  bltu: (a: number, b: number, off: number) => bType(6, a, b, off),
  bgeu: (a: number, b: number, off: number) => bType(7, a, b, off),
  lb: (rd: number, rs1: number, imm: number) => iType(0x03, rd, 0, rs1, imm),
  lh: (rd: number, rs1: number, imm: number) => iType(0x03, rd, 1, rs1, imm),
  lw: (rd: number, rs1: number, imm: number) => iType(0x03, rd, 2, rs1, imm),
  lbu: (rd: number, rs1: number, imm: number) => iType(0x03, rd, 4, rs1, imm),
  lhu: (rd: number, rs1: number, imm: number) => iType(0x03, rd, 5, rs1, imm),
  sb: (rs2: number, rs1: number, imm: number) => sType(0x23, 0, rs1, rs2, imm),
  sh: (rs2: number, rs1: number, imm: number) => sType(0x23, 1, rs1, rs2, imm),
  sw: (rs2: number, rs1: number, imm: number) => sType(0x23, 2, rs1, rs2, imm),
  addi: (rd: number, rs1: number, imm: number) => iType(OPI, rd, 0, rs1, imm),
  slti: (rd: number, rs1: number, imm: number) => iType(OPI, rd, 2, rs1, imm),
  sltiu: (rd: number, rs1: number, imm: number) => iType(OPI, rd, 3, rs1, imm),
  xori: (rd: number, rs1: number, imm: number) => iType(OPI, rd, 4, rs1, imm),
  ori: (rd: number, rs1: number, imm: number) => iType(OPI, rd, 6, rs1, imm),
  andi: (rd: number, rs1: number, imm: number) => iType(OPI, rd, 7, rs1, imm),
  slli: (rd: number, rs1: number, sh: number) => iType(OPI, rd, 1, rs1, sh),
  srli: (rd: number, rs1: number, sh: number) => iType(OPI, rd, 5, rs1, sh),
  srai: (rd: number, rs1: number, sh: number) => iType(OPI, rd, 5, rs1, sh | 0x400),
  add: (rd: number, a: number, b: number) => rType(OP, rd, 0, a, b, 0),
  sub: (rd: number, a: number, b: number) => rType(OP, rd, 0, a, b, 0x20),
  sll: (rd: number, a: number, b: number) => rType(OP, rd, 1, a, b, 0),
  slt: (rd: number, a: number, b: number) => rType(OP, rd, 2, a, b, 0),
  sltu: (rd: number, a: number, b: number) => rType(OP, rd, 3, a, b, 0),
  xor: (rd: number, a: number, b: number) => rType(OP, rd, 4, a, b, 0),
  srl: (rd: number, a: number, b: number) => rType(OP, rd, 5, a, b, 0),
  sra: (rd: number, a: number, b: number) => rType(OP, rd, 5, a, b, 0x20),
  or: (rd: number, a: number, b: number) => rType(OP, rd, 6, a, b, 0),
  and: (rd: number, a: number, b: number) => rType(OP, rd, 7, a, b, 0),
  mul: (rd: number, a: number, b: number) => rType(OP, rd, 0, a, b, 1),
  mulh: (rd: number, a: number, b: number) => rType(OP, rd, 1, a, b, 1),
  mulhsu: (rd: number, a: number, b: number) => rType(OP, rd, 2, a, b, 1),
  mulhu: (rd: number, a: number, b: number) => rType(OP, rd, 3, a, b, 1),
  div: (rd: number, a: number, b: number) => rType(OP, rd, 4, a, b, 1),
  divu: (rd: number, a: number, b: number) => rType(OP, rd, 5, a, b, 1),
  rem: (rd: number, a: number, b: number) => rType(OP, rd, 6, a, b, 1),
  remu: (rd: number, a: number, b: number) => rType(OP, rd, 7, a, b, 1),
  amo: (f5: number, rd: number, rs1: number, rs2: number) => rType(0x2f, rd, 2, rs1, rs2, f5 << 2),
  csrrw: (rd: number, csr: number, rs1: number) => iType(0x73, rd, 1, rs1, csr),
  csrrs: (rd: number, csr: number, rs1: number) => iType(0x73, rd, 2, rs1, csr),
  csrrc: (rd: number, csr: number, rs1: number) => iType(0x73, rd, 3, rs1, csr),
  csrrwi: (rd: number, csr: number, imm: number) => iType(0x73, rd, 5, imm, csr),
  csrrsi: (rd: number, csr: number, imm: number) => iType(0x73, rd, 6, imm, csr),
  csrrci: (rd: number, csr: number, imm: number) => iType(0x73, rd, 7, imm, csr),
  flw: (rd: number, rs1: number, imm: number) => iType(0x07, rd, 2, rs1, imm),
  fld: (rd: number, rs1: number, imm: number) => iType(0x07, rd, 3, rs1, imm),
  fsw: (rs2: number, rs1: number, imm: number) => sType(0x27, 2, rs1, rs2, imm),
  fsd: (rs2: number, rs1: number, imm: number) => sType(0x27, 3, rs1, rs2, imm),
  ecall: () => 0x0000_0073,
  ebreak: () => 0x0010_0073,
  mret: () => 0x3020_0073,
  sret: () => 0x1020_0073,
  wfi: () => 0x1050_0073,
  sfence: () => 0x1200_0073,
  fence: () => 0x0ff0_000f,
  fencei: () => 0x0000_100f,
  nop: () => 0x0000_0013,
};

/** li rd, value as lui+addi (always two words, so code offsets stay predictable). */
export function li(rd: number, value: number): number[] {
  const v = value | 0;
  const lo = (v << 20) >> 20;
  const hi = (v - lo) | 0;
  return [A.lui(rd, hi), A.addi(rd, rd, lo)];
}

export interface TestBoard {
  board: Board;
  /** Writes 32-bit words (or 16-bit parcels via writeHalves) at a physical address. */
  load(addr: number, words: number[]): void;
}

export function makeBoard(engine: Engine, config: BoardConfig = {}): Board {
  // The translator compiles every page on first entry so short test programs exercise it.
  return new Board({ ramSize: 4 * 1024 * 1024, jitHotThreshold: 0, ...config, engine });
}

export function loadWords(board: Board, addr: number, words: number[]): void {
  for (let i = 0; i < words.length; i++) board.ram.write32(addr + 4 * i, words[i]!);
  board.hart.invalidateCode(addr, words.length * 4);
}

export function loadHalves(board: Board, addr: number, halves: number[]): void {
  for (let i = 0; i < halves.length; i++) board.ram.write16(addr + 2 * i, halves[i]!);
  board.hart.invalidateCode(addr, halves.length * 2);
}

/**
 * Runs `words` in M-mode from RAM_BASE in hosted mode until the final ecall; returns the board.
 * The program is followed by an ecall automatically.
 */
export function runProgram(engine: Engine, words: number[], setup?: (b: Board) => void): Board {
  const b = makeBoard(engine);
  loadWords(b, RAM_BASE, [...words, A.ecall()]);
  b.hart.pc = RAM_BASE;
  b.hart.hosted = true;
  setup?.(b);
  const exit = b.hart.run(1_000_000);
  if (exit !== 1)
    throw new Error(
      `program stopped with exit ${exit} cause ${b.hart.exitCause} at 0x${b.hart.pc.toString(16)}`,
    );
  return b;
}

export { RAM_BASE };
