// Random instruction generator for differential tests: one line per table entry with random
// registers and immediates, written in GNU as syntax. Deterministic for a given seed.
import { OPS } from '../../core/toolchain/asm/opcodes';

export function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 2 ** 32;
  };
}

const INT = [
  'zero',
  'ra',
  'sp',
  'gp',
  'tp',
  't0',
  't1',
  't2',
  's0',
  's1',
  'a0',
  'a1',
  'a2',
  'a3',
  'a4',
  'a5',
  'a6',
  'a7',
  's2',
  's11',
  't6',
  'x8',
  'x15',
  'fp',
];
const FP = ['ft0', 'fs0', 'fs1', 'fa0', 'fa1', 'fa5', 'f8', 'f15', 'f31', 'ft11'];
const RM = ['rne', 'rtz', 'rdn', 'rup', 'rmm', 'dyn'];
const CSRS = [
  'mstatus',
  'mepc',
  'sstatus',
  'satp',
  'fcsr',
  'cycle',
  '0x7c0',
  'mhartid',
  'sscratch',
  'fflags',
];

/** Random operand text for a letter; biased towards small values so compression triggers. */
function operand(L: string, r: () => number): string {
  const pick = <T>(a: readonly T[]): T => a[Math.floor(r() * a.length)] as T;
  const small = (): number => (r() < 0.5 ? Math.floor(r() * 64) - 32 : Math.floor(r() * 4096) - 2048);
  const reg = (): string => (r() < 0.4 ? pick(['s0', 's1', 'a0', 'a1', 'a2', 'a5', 'sp']) : pick(INT));
  switch (L) {
    case 'd':
    case 's':
    case 't':
      return reg();
    case 'D':
    case 'S':
    case 'T':
    case 'R':
      return pick(FP);
    case 'i':
      return String(small());
    case 'o':
    case 'O': {
      const off = r() < 0.5 ? Math.floor(r() * 64) * 4 : small();
      return `${off}(${reg()})`;
    }
    case 'A':
      return `(${reg()})`;
    case 'u':
      return r() < 0.5 ? String(Math.floor(r() * 64)) : `0x${Math.floor(r() * 0x100000).toString(16)}`;
    case '>':
      return String(Math.floor(r() * 32));
    case 'm':
      return pick(RM);
    case 'c':
      return pick(CSRS);
    case 'Z':
      return String(Math.floor(r() * 32));
    case 'P':
    case 'Q':
      return pick(['iorw', 'rw', 'r', 'w', 'io', 'i']);
  }
  return '0';
}

/** One random line per table variant (labels resolve inside the block), `count` rounds. */
export function randomProgram(seed: number, rounds: number): string {
  const r = rng(seed);
  const lines: string[] = ['.text', 'top:'];
  for (let k = 0; k < rounds; k++) {
    for (const op of OPS) {
      if (op.ops.includes('b') || op.ops.includes('J')) continue;
      const letters = op.ops === '' ? [] : op.ops.split(',');
      const parts = letters
        .filter((L, i) => !(L === 'm' && i === letters.length - 1 && (op.rmDefault === 0 || r() < 0.4)))
        .map((L) => operand(L, r));
      if (op.name === 'sfence.vma' && parts.length === 0 && r() < 0.5) continue;
      lines.push(`  ${op.name} ${parts.join(', ')}`);
    }
  }
  return lines.join('\n') + '\n';
}
