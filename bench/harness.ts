// Runs the benchmark sections in order and merges their figures into one flat object. A new
// measurement is a new BenchSection appended to SECTIONS; its keys join the JSON output.
import { cpuSection } from './cpu';
import { futccSection } from './futcc';
import { gdbSection } from './gdb';
import { kernelSection } from './kernel';
import { remoteSection } from './remote';
import { sessionSection } from './session';
import type { BenchContext, BenchSection, Figure } from './section';

export const SECTIONS: readonly BenchSection[] = [
  cpuSection,
  remoteSection,
  kernelSection,
  sessionSection,
  futccSection,
  gdbSection,
];

export interface BenchReport {
  figures: Record<string, Figure>;
  /** Sections that threw (their figures are missing). */
  failed: string[];
  tables: Array<{ section: string; rows: Array<[string, string]> }>;
}

export async function runBench(
  ctx: BenchContext,
  sections: readonly BenchSection[] = SECTIONS,
): Promise<BenchReport> {
  const report: BenchReport = { figures: {}, failed: [], tables: [] };
  for (const section of sections) {
    let result;
    try {
      result = await section.run(ctx);
    } catch (e) {
      // One broken section must not cost the figures of the others.
      const msg = e instanceof Error ? e.message : String(e);
      ctx.progress(`${section.name}: FAILED: ${msg}`);
      report.tables.push({ section: section.name, rows: [['error', msg]] });
      report.failed.push(section.name);
      continue;
    }
    for (const [key, value] of Object.entries(result.figures)) {
      if (key in report.figures) throw new Error(`bench: sections disagree on the figure '${key}'`);
      report.figures[key] = value;
    }
    report.tables.push({ section: section.name, rows: result.rows });
  }
  return report;
}

/** The human-readable table: one block per section, labels aligned. */
export function formatTables(report: BenchReport): string {
  const width = Math.max(0, ...report.tables.flatMap((t) => t.rows.map(([label]) => label.length)));
  const lines: string[] = [];
  for (const t of report.tables) {
    lines.push(`== ${t.section}`);
    for (const [label, value] of t.rows) lines.push(`  ${label.padEnd(width)}  ${value}`);
  }
  return `${lines.join('\n')}\n`;
}
