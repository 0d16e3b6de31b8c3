// The shape every benchmark section shares: it runs, reports progress, and contributes named
// figures to the one flat JSON object `futura bench --json` prints, plus rows for the table.
import type { Engine } from '../core/machine/hart';

export type Figure = number | string | boolean | null;

export interface BenchOptions {
  /** A small size for tests and smoke runs. */
  quick: boolean;
  /** Override the workload size (benchmark rounds). */
  rounds?: number;
  /** Execution engine of the hart (default: the board's). */
  engine?: Engine;
  /** Wall-clock seconds the hart may run before the measurement is cut short. */
  timeBudgetSeconds: number;
}

export interface BenchContext {
  readonly options: BenchOptions;
  /** A progress line for stderr. */
  progress(message: string): void;
}

export interface SectionResult {
  /** Keys of the JSON object; unique across sections. null = not measured (e.g. tool missing). */
  figures: Record<string, Figure>;
  /** Label / value lines of the human-readable table. */
  rows: Array<[string, string]>;
}

export interface BenchSection {
  readonly name: string;
  run(ctx: BenchContext): Promise<SectionResult>;
}
