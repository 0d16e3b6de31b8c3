// Integer decoder: words under the integer major opcodes (and unused or RV64-only ones) must be
// accepted or rejected exactly as the unprivileged spec's opcode map says, on both engines. A
// rejected word traps as an illegal instruction before anything else (a reserved AMO at a
// misaligned address is illegal, not misaligned), with the word in tval and the hart untouched.
// Shift-immediates with shamt[5] set (shifts by ≥ 32 on RV64) are reserved on RV32.
// Zicsr forms are left to the CSR tests (legality depends on the CSR); FP has fpu-decode.test.
import { describe, expect, it } from 'vitest';
import { Exit } from '../../core/machine/hart';
import type { Engine } from '../../core/machine/hart';
import { Rng } from '../fixtures/fpu/vectors';
import { A, ENGINES, loadWords, makeBoard, RAM_BASE } from './helpers';

const RANDOM = process.env.FUTURA_FULL === '1' ? 20_000 : 2_000;
const DATA = RAM_BASE + 0x10_0000;
const AMO_F5 = new Set([0x00, 0x01, 0x02, 0x03, 0x04, 0x08, 0x0c, 0x10, 0x14, 0x18, 0x1c]);
const SYSTEM_WORDS = new Set([A.ecall(), A.ebreak(), A.mret(), A.sret(), A.wfi()]);
/** Major opcodes the test draws from: RV32IMA ones, SYSTEM, and unused or RV64-only ones. */
const OPCODES = [0x37, 0x17, 0x6f, 0x67, 0x63, 0x03, 0x23, 0x13, 0x33, 0x0f, 0x2f, 0x73];
const UNUSED = [0x0b, 0x1b, 0x2b, 0x3b, 0x5b, 0x57, 0x6b, 0x77, 0x7b];

/** The spec's view of which encodings exist, written from its opcode map (not from interp.ts). */
function legal(insn: number): boolean {
  const f3 = (insn >>> 12) & 7;
  const f7 = insn >>> 25;
  switch (insn & 0x7f) {
    case 0x37: // LUI
    case 0x17: // AUIPC
    case 0x6f: // JAL
      return true;
    case 0x67: // JALR
      return f3 === 0;
    case 0x63: // BEQ BNE - - BLT BGE BLTU BGEU
      return f3 !== 2 && f3 !== 3;
    case 0x03: // LB LH LW - LBU LHU - -
      return f3 <= 2 || f3 === 4 || f3 === 5;
    case 0x23: // SB SH SW
      return f3 <= 2;
    case 0x13: // OP-IMM: SLLI needs funct7 0; SRLI/SRAI funct7 0 / 0100000 (shamt[5] = 0)
      if (f3 === 1) return f7 === 0;
      if (f3 === 5) return f7 === 0 || f7 === 0x20;
      return true;
    case 0x33: // OP: base (funct7 0), SUB/SRA (0100000), M extension (0000001)
      return f7 === 0 || f7 === 1 || (f7 === 0x20 && (f3 === 0 || f3 === 5));
    case 0x0f: // FENCE, FENCE.I (their other fields are ignored)
      return f3 <= 1;
    case 0x2f: {
      // A: only .W; LR.W needs rs2 = 0
      const f5 = insn >>> 27;
      return f3 === 2 && AMO_F5.has(f5) && (f5 !== 2 || ((insn >>> 20) & 31) === 0);
    }
    case 0x73: // ECALL EBREAK MRET SRET WFI exactly, SFENCE.VMA with rd = 0 (CSR forms not drawn)
      return SYSTEM_WORDS.has(insn >>> 0) || (insn & 0xfe00_7fff) >>> 0 === 0x1200_0073;
    default:
      return false;
  }
}

/** Words near the edges of the map: every funct3 with the funct7 values that matter. */
function nearMisses(rng: Rng): number[] {
  const words: number[] = [];
  const field = (): number => rng.u32() & 0x01ff_8f80; // rs2, rs1, rd random
  for (const op of [...OPCODES, ...UNUSED])
    for (let f3 = 0; f3 < 8; f3++)
      for (const f7 of [0x00, 0x01, 0x02, 0x10, 0x20, 0x21, 0x40, 0x7f])
        if (op !== 0x73 || f3 === 0 || f3 === 4) words.push(((f7 << 25) | field() | (f3 << 12) | op) >>> 0);
  for (let f5 = 0; f5 < 32; f5++)
    for (const rs2 of [0, 1 + rng.below(31)])
      for (const f3 of [2, 3]) {
        const aqrl = rng.below(4) << 25;
        words.push(((f5 << 27) | aqrl | (rs2 << 20) | (rng.u32() & 0xf8f80) | (f3 << 12) | 0x2f) >>> 0);
      }
  // SYSTEM: the exact privileged words with one stray bit (funct3 kept: the others are Zicsr),
  // and sfence.vma with rd ≠ 0.
  for (const w of SYSTEM_WORDS)
    for (let bit = 7; bit < 32; bit++) if (bit < 12 || bit > 14) words.push((w ^ (1 << bit)) >>> 0);
  words.push(0x1200_00f3, 0x12b5_0073);
  return words;
}

function randomWords(rng: Rng, n: number): number[] {
  const words: number[] = [];
  while (words.length < n) {
    let w = (rng.u32() & ~0x7f) | rng.pick(rng.below(8) === 0 ? UNUSED : OPCODES);
    if ((w & 0x7f) === 0x73 && ((w >>> 12) & 7) % 4 !== 0) continue; // Zicsr: not here
    if (rng.below(2) === 0) w = (w & 0x01ff_ffff) | (rng.pick([0, 0, 1, 0x20, 0x20, 0x10, 0x21]) << 25);
    words.push(w >>> 0);
  }
  return words;
}

interface Verdict {
  word: number;
  accepted: boolean;
  problem?: string;
}

/**
 * Runs `word` followed by an ecall in hosted M-mode on one board (reset between words). A word is
 * rejected when the run stops at it with an illegal-instruction exit before it retires.
 */
function judge(engine: Engine, words: number[]): Verdict[] {
  const b = makeBoard(engine);
  const h = b.hart;
  const rng = new Rng(0xdec0de ^ words.length);
  return words.map((word) => {
    loadWords(b, RAM_BASE, [word, A.ecall()]);
    h.priv = 3;
    h.mstatus = 0;
    h.mepc = 0;
    h.sepc = 0;
    h.hosted = true;
    h.halted = false;
    h.updateMode();
    h.mmu.clearReservation();
    // Addresses near DATA, a quarter of them misaligned, so accesses mostly work and AMOs can
    // also be misaligned (which must not win over an illegal encoding).
    for (let r = 1; r < 32; r++) h.x[r] = DATA + (rng.below(4) === 0 ? 1 + rng.below(3) : 0);
    const before = h.x.slice();
    h.pc = RAM_BASE;
    const instret = h.instret;
    const exit = h.run(2);
    const stoppedHere = h.pc === RAM_BASE && h.instret === instret;
    if (exit === Exit.Illegal && stoppedHere) {
      const same = h.x.every((v, k) => v === before[k]);
      const problem =
        h.exitTval !== word ? `tval 0x${h.exitTval.toString(16)}` : same ? undefined : 'registers changed';
      return { word, accepted: false, ...(problem ? { problem } : {}) };
    }
    return { word, accepted: true };
  });
}

describe.each(ENGINES)('integer decoder (%s)', (engine) => {
  it(`accepts exactly the RV32IMA / Zifencei / privileged encodings (edges + ${RANDOM} random words)`, () => {
    const rng = new Rng(0x5eed_1e9a);
    const words = [...nearMisses(rng), ...randomWords(rng, RANDOM)];
    const wrong: string[] = [];
    let accepted = 0;
    for (const v of judge(engine, words)) {
      if (v.accepted) accepted++;
      const expected = legal(v.word);
      if (v.accepted !== expected || v.problem)
        wrong.push(
          `0x${v.word.toString(16).padStart(8, '0')}: ${v.accepted ? 'accepted' : 'rejected'}` +
            `${v.problem ? ` (${v.problem})` : ''}, spec says ${expected ? 'legal' : 'reserved'}`,
        );
    }
    expect(wrong.slice(0, 20)).toEqual([]);
    // Both sides of the map must be well represented for the comparison to mean something.
    expect(accepted).toBeGreaterThan(words.length / 4);
    expect(words.length - accepted).toBeGreaterThan(words.length / 4);
  });

  it('shift-immediates with shamt[5] set are illegal; shifts by 31 are not', () => {
    const slli = (sh: number): number => ((sh << 20) | (10 << 15) | (1 << 12) | (10 << 7) | 0x13) >>> 0;
    const srai = (sh: number): number =>
      ((0x20 << 25) | (sh << 20) | (10 << 15) | (5 << 12) | (10 << 7) | 0x13) >>> 0;
    const verdicts = judge(engine, [slli(31), slli(32), slli(63), srai(31), srai(32), srai(33)]);
    expect(verdicts.map((v) => v.accepted)).toEqual([true, false, false, true, false, false]);
  });
});
