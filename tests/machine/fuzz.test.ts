// Differential fuzzing: random straight-line and forward-branching programs (ALU, M, loads/stores
// with misaligned offsets, branches, jal) run on the interpreter and the translator, in budget
// slices; registers, memory, pc, instret and exits must agree.
import { describe, expect, it } from 'vitest';
import { Exit } from '../../core/machine/hart';
import { A, ENGINES, li, loadWords, makeBoard, R, RAM_BASE } from './helpers';

const FULL = process.env.FUTURA_FULL === '1';
const DATA = RAM_BASE + 0x10_0000;

function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
}

const ALU_R = [
  'add',
  'sub',
  'sll',
  'slt',
  'sltu',
  'xor',
  'srl',
  'sra',
  'or',
  'and',
  'mul',
  'mulh',
  'mulhsu',
  'mulhu',
  'div',
  'divu',
  'rem',
  'remu',
] as const;
const ALU_I = ['addi', 'slti', 'sltiu', 'xori', 'ori', 'andi'] as const;
const LOADS = ['lb', 'lh', 'lw', 'lbu', 'lhu'] as const;
const STORES = ['sb', 'sh', 'sw'] as const;
const BRANCHES = ['beq', 'bne', 'blt', 'bge', 'bltu', 'bgeu'] as const;

function program(seed: number, n: number): number[] {
  const r = rng(seed);
  const pick = <T>(a: readonly T[]): T => a[r() % a.length]!;
  const rd = (): number => {
    const v = 1 + (r() % 31);
    return v === R.s0 ? R.s1 : v;
  };
  const rs = (): number => r() % 32;
  const words: number[] = [...li(R.s0, DATA + 0x800)];
  for (let i = 0; i < n; i++) {
    const left = n - i;
    const k = r() % 16;
    if (k < 6) words.push(A[pick(ALU_R)](rd(), rs(), rs()));
    else if (k < 9) words.push(A[pick(ALU_I)](rd(), rs(), (r() % 4096) - 2048));
    else if (k === 9) words.push(A.slli(rd(), rs(), r() % 32), A.srai(rd(), rs(), r() % 32));
    else if (k === 10) words.push(A.lui(rd(), r() & 0xfffff000));
    else if (k === 11) words.push(A[pick(LOADS)](rd(), R.s0, (r() % 2000) - 1000));
    else if (k === 12) words.push(A[pick(STORES)](rs(), R.s0, (r() % 2000) - 1000));
    else if (k === 13 && left > 2)
      words.push(A[pick(BRANCHES)](rs(), rs(), 4 * (1 + (r() % Math.min(6, left - 1)))));
    else if (k === 14 && left > 2) words.push(A.jal(rd(), 4 * (1 + (r() % Math.min(6, left - 1)))));
    else words.push(A.auipc(rd(), r() & 0xfffff000));
  }
  words.push(A.ecall());
  return words;
}

describe('interpreter vs translator on random programs', () => {
  const count = FULL ? 400 : 40;
  it(`${count} programs agree at every budget slice`, () => {
    for (let p = 0; p < count; p++) {
      const words = program(p * 7919 + 13, 120);
      const budget = 1 + (p % 37);
      const states = ENGINES.map((engine) => {
        const b = makeBoard(engine);
        loadWords(b, RAM_BASE, words);
        b.hart.hosted = true;
        b.hart.pc = RAM_BASE;
        const trace: number[] = [];
        for (let k = 0; k < 1000; k++) {
          const e = b.hart.run(budget);
          trace.push(e, b.hart.pc, b.hart.instret);
          if (e !== Exit.Budget) break;
        }
        return { trace, x: [...b.hart.x], mem: [...b.ram.readBytes(DATA, 0x1000)] };
      });
      expect(states[1]!.trace, `program ${p}`).toEqual(states[0]!.trace);
      expect(states[1]!.x, `program ${p}`).toEqual(states[0]!.x);
      expect(states[1]!.mem, `program ${p}`).toEqual(states[0]!.mem);
      expect(states[0]!.trace.at(-3)).toBe(Exit.Ecall);
    }
  });
});
