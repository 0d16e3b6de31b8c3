// Diagnostics shared by every toolchain stage (preprocessor, compiler, assembler, linker).
// One shape everywhere so the IDE can turn any of them into editor markers and a Problems list.

export type Severity = 'error' | 'warning' | 'note';

export interface Diagnostic {
  file: string;
  /** 1-based line. */
  line: number;
  /** 1-based column (in characters of the source line). */
  col: number;
  severity: Severity;
  message: string;
  /** Exclusive 1-based end column on the same line, for a `^~~~` range. */
  endCol?: number;
}

/** Thrown by a sink when its error limit is reached; stages catch it and stop early. */
export class TooManyErrors extends Error {
  constructor(limit: number) {
    super(`too many errors emitted (limit ${limit}), stopping now`);
  }
}

/** Collects diagnostics in emission order, with an error limit (GCC's -fmax-errors). */
export class DiagnosticSink {
  readonly items: Diagnostic[] = [];
  private errors = 0;
  private warnings = 0;
  /** Set to true to turn every warning into an error (-Werror). */
  werror = false;

  /** `errorLimit` 0 means unlimited. */
  constructor(readonly errorLimit = 100) {}

  get errorCount(): number {
    return this.errors;
  }

  get warningCount(): number {
    return this.warnings;
  }

  hasErrors(): boolean {
    return this.errors > 0;
  }

  /** True once the error limit has been reached: callers should stop producing more. */
  full(): boolean {
    return this.errorLimit > 0 && this.errors >= this.errorLimit;
  }

  report(d: Diagnostic): void {
    if (this.full()) return;
    const item = d.severity === 'warning' && this.werror ? { ...d, severity: 'error' as const } : d;
    this.items.push(item);
    if (item.severity === 'error') this.errors++;
    else if (item.severity === 'warning') this.warnings++;
  }

  error(file: string, line: number, col: number, message: string, endCol?: number): void {
    this.report({ file, line, col, severity: 'error', message, endCol });
  }

  warning(file: string, line: number, col: number, message: string, endCol?: number): void {
    this.report({ file, line, col, severity: 'warning', message, endCol });
  }

  note(file: string, line: number, col: number, message: string, endCol?: number): void {
    this.report({ file, line, col, severity: 'note', message, endCol });
  }
}

/** Sorts by file, line, column, keeping emission order for ties (a note stays after its error). */
export function sortDiagnostics(list: readonly Diagnostic[]): Diagnostic[] {
  return list
    .map((d, i) => ({ d, i }))
    .sort((a, b) => {
      if (a.d.file !== b.d.file) return a.d.file < b.d.file ? -1 : 1;
      return a.d.line - b.d.line || a.d.col - b.d.col || a.i - b.i;
    })
    .map((x) => x.d);
}

/**
 * GCC's format: `file:line:col: error: message`, then the source line and a caret line
 * (`    ^~~~`). `sourceText` is the whole file's text (omit it to print only the header).
 */
export function formatDiagnostic(d: Diagnostic, sourceText?: string): string {
  const head = `${d.file}:${d.line}:${d.col}: ${d.severity}: ${d.message}`;
  if (sourceText === undefined) return head;
  const lines = sourceText.split(/\r\n|\n|\r/);
  const text = lines[d.line - 1];
  if (text === undefined) return head;
  // Tabs in the prefix are kept so the caret lines up in a terminal the same way as the source.
  const prefix = Array.from(text.slice(0, Math.max(0, d.col - 1)), (c) => (c === '\t' ? '\t' : ' ')).join('');
  const width = d.endCol !== undefined && d.endCol > d.col ? d.endCol - d.col : 1;
  const caret = `${prefix}^${'~'.repeat(width - 1)}`;
  return `${head}\n ${text}\n ${caret}`;
}

/** Formats every diagnostic, looking up sources by file name. */
export function formatDiagnostics(
  list: readonly Diagnostic[],
  sourceOf: (file: string) => string | undefined,
): string {
  return list.map((d) => formatDiagnostic(d, sourceOf(d.file))).join('\n');
}
