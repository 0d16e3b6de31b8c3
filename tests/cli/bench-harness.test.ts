// The benchmark harness: sections' figures merge into one flat object, a failing section is
// reported without losing the others, and two sections may not claim the same key.
import { describe, expect, it } from 'vitest';
import { formatTables, runBench } from '../../bench/harness';
import type { BenchContext, BenchSection } from '../../bench/section';

function ctx(log: string[]): BenchContext {
  return { options: { quick: true, timeBudgetSeconds: 1 }, progress: (m) => log.push(m) };
}
const section = (name: string, figures: Record<string, number>): BenchSection => ({
  name,
  run: async () => ({ figures, rows: [[`${name} row`, 'value']] }),
});
const broken: BenchSection = {
  name: 'broken',
  run: async () => {
    throw new Error('no such device');
  },
};

describe('bench harness', () => {
  it('merges figures and keeps going after a failing section', async () => {
    const log: string[] = [];
    const report = await runBench(ctx(log), [section('a', { x: 1 }), broken, section('b', { y: 2 })]);
    expect(report.figures).toEqual({ x: 1, y: 2 });
    expect(report.failed).toEqual(['broken']);
    expect(log.join('\n')).toMatch(/broken: FAILED: no such device/);
    const table = formatTables(report);
    expect(table).toMatch(/== a\n {2}a row {2}value\n== broken\n {2}error +no such device\n== b/);
  });

  it('refuses two sections with the same key', async () => {
    await expect(runBench(ctx([]), [section('a', { x: 1 }), section('b', { x: 2 })])).rejects.toThrow(
      /sections disagree on the figure 'x'/,
    );
  });
});
