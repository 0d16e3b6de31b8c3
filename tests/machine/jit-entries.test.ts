// Block starts inside a translated function: a dispatch to a start that has no function of its own
// but is a case of another one (a loop entered in its middle, as GCC lays out `while` loops) runs
// that function instead of interpreting the start until it is hot and compiling the loop again;
// rewriting that code must still take effect.
import { describe, expect, it } from 'vitest';
import { Exit } from '../../core/machine/hart';
import type { Jit } from '../../core/machine/jit/engine';
import { A, ENGINES, li, loadWords, makeBoard, R, RAM_BASE } from './helpers';

const OUTER = 12;
const INNER = 40;
const MSCRATCH = 0x340;

/**
 * for OUTER times: a0 = INNER, then enter the loop below at L2 (its second block); the loop skips
 * L2 when a0 % 4 == 0, so L2 is a branch target and the fall-through of a branch. A CSR read after
 * the loop keeps the outer loop out of the inner loop's function. With `patch`, the outer loop
 * rewrites L2's instruction (a2 += 1 → a2 += 100) when s0 == OUTER / 2.
 */
function program(enterAtL2: boolean, patch: boolean): { words: number[]; l1: number; l2: number } {
  const w: number[] = [];
  const at = (): number => 4 * w.length;
  const l2Word = A.addi(R.a2, R.a2, 1);
  w.push(...li(R.s3, A.addi(R.a2, R.a2, 100)));
  w.push(...li(R.s4, 0)); // patched below: the address of L2
  w.push(A.addi(R.s2, R.zero, OUTER / 2));
  w.push(A.addi(R.s0, R.zero, OUTER));
  const head = at();
  w.push(A.addi(R.a0, R.zero, INNER));
  const jump = w.length;
  w.push(0); // jal to L1 or L2, below
  const l1 = at();
  w.push(A.andi(R.t0, R.a0, 3));
  w.push(A.beq(R.t0, R.zero, 8)); // → skip L2
  const l2 = at();
  w.push(l2Word);
  w.push(A.addi(R.a0, R.a0, -1));
  w.push(A.bne(R.a0, R.zero, l1 - at()));
  w.push(A.csrrs(R.t1, MSCRATCH, R.zero));
  w.push(patch ? A.bne(R.s0, R.s2, 8) : A.nop());
  w.push(patch ? A.sw(R.s3, R.s4, 0) : A.nop());
  w.push(A.addi(R.s0, R.s0, -1));
  w.push(A.bne(R.s0, R.zero, head - at()));
  w.push(A.ecall());
  w[jump] = A.jal(R.zero, (enterAtL2 ? l2 : l1) - 4 * jump);
  const [lui, addi] = li(R.s4, RAM_BASE + l2);
  w[2] = lui!;
  w[3] = addi!;
  return { words: w, l1, l2 };
}

/** a2 as the guest computes it (L2 adds 100 instead of 1 once patched). */
function expectedA2(patch: boolean): number {
  let a2 = 0;
  for (let s0 = OUTER; s0 > 0; s0--) {
    const step = patch && s0 < OUTER / 2 ? 100 : 1;
    let a0 = INNER;
    a2 += step; // entered at L2
    a0--;
    while (a0 !== 0) {
      if ((a0 & 3) !== 0) a2 += step;
      a0--;
    }
  }
  return a2;
}

interface Outcome {
  exits: number[];
  x: number[];
  jit: Jit | null;
}

function run(engine: (typeof ENGINES)[number], words: number[], budget: number): Outcome {
  const b = makeBoard(engine, { jitHotThreshold: 3 });
  loadWords(b, RAM_BASE, words);
  b.hart.hosted = true;
  b.hart.pc = RAM_BASE;
  const exits: number[] = [];
  for (let k = 0; k < 100_000; k++) {
    const e = b.hart.run(budget);
    exits.push(e, b.hart.pc, b.hart.instret);
    if (e !== Exit.Budget) break;
  }
  return { exits, x: [...b.hart.x], jit: b.hart.engine as Jit | null };
}

describe('a loop entered at a block start inside its function', () => {
  it('runs as the interpreter does, for several budget slicings', () => {
    const { words } = program(true, false);
    for (const budget of [1, 7, 50, 1_000_000]) {
      const [interp, jit] = ENGINES.map((engine) => run(engine, words, budget));
      expect(jit!.exits).toEqual(interp!.exits);
      expect(jit!.x).toEqual(interp!.x);
      expect(jit!.jit).not.toBeNull();
      expect(interp!.exits.at(-3)).toBe(Exit.Ecall);
      expect(interp!.x[R.a2]).toBe(expectedA2(false));
    }
  });

  it("is served by the loop's function, not compiled again from there", () => {
    const { words, l1, l2 } = program(true, false);
    const { jit } = run('jit', words, 1_000_000);
    expect(jit!.functionAt(l1)).toBe('own');
    expect(jit!.functionAt(l2)).toBe('shared');
    // Entered at its head, the loop has no function at L2 other than the head's either.
    const atHead = run('jit', program(false, false).words, 1_000_000).jit!;
    expect(atHead.functionAt(l2)).toBe('shared');
    expect(jit!.stats.compiled).toBe(atHead.stats.compiled);
  });

  it('runs the new code after a store rewrites the start it enters at', () => {
    const { words } = program(true, true);
    for (const budget of [1, 13, 1_000_000]) {
      const [interp, jit] = ENGINES.map((engine) => run(engine, words, budget));
      expect(jit!.exits).toEqual(interp!.exits);
      expect(jit!.x).toEqual(interp!.x);
      expect(interp!.x[R.a2]).toBe(expectedA2(true));
    }
  });
});
