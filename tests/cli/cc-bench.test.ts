// The bench section of futcc (bench/futcc.ts): its two figures, measured in quick mode.
import { describe, expect, it } from 'vitest';
import { futccSection } from '../../bench/futcc';
import { oracleIt, RV_GCC } from '../support/oracle';

const ctx = { options: { quick: true, timeBudgetSeconds: 60 }, progress: (): void => {} };
let once: ReturnType<typeof futccSection.run> | null = null;
/** The section runs once for both tests (it builds and runs bench.c). */
const result = (): ReturnType<typeof futccSection.run> => (once ??= futccSection.run(ctx));

describe('bench: futcc section', () => {
  it('reports compile throughput in lines per second', async () => {
    const r = await result();
    expect(typeof r.figures.compile_lines_per_s).toBe('number');
    expect(r.figures.compile_lines_per_s as number).toBeGreaterThan(0);
    expect(r.rows.some(([label]) => label === 'compile speed')).toBe(true);
  });

  oracleIt('compares bench.c instructions per round with GCC -O2', [RV_GCC], async () => {
    const r = await result();
    const ratio = r.figures.futcc_vs_gcc_instructions;
    if (ratio === null) expect(r.figures.futcc_vs_gcc_note).toMatch(/futcc/);
    else {
      expect(Number.isFinite(ratio)).toBe(true);
      // futcc does not beat GCC -O2 by an order of magnitude, nor lose by one.
      expect(ratio as number).toBeGreaterThan(0.1);
      expect(ratio as number).toBeLessThan(20);
    }
  });
});
