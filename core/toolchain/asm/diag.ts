// Structured diagnostics of the assembler, linker and archiver: the shape DESIGN.md §3 sends to the
// editor (file, line, col, severity, message). Errors abort the current tool run via ToolError.

export type Severity = 'error' | 'warning' | 'note';

export interface Diagnostic {
  file: string;
  /** 1-based; 0 when the diagnostic is not about a source line (e.g. a link error). */
  line: number;
  /** 1-based; 0 when unknown. */
  col: number;
  severity: Severity;
  message: string;
}

/** Renders a diagnostic the way GNU tools do: `file:line:col: error: message`. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.line > 0 ? `${d.file}:${d.line}:${d.col > 0 ? `${d.col}:` : ''}` : `${d.file}:`;
  return `${where} ${d.severity}: ${d.message}`;
}

/** Thrown for errors; carries every diagnostic collected so far (the last one is the cause). */
export class ToolError extends Error {
  constructor(readonly diagnostics: Diagnostic[]) {
    super(diagnostics.map(formatDiagnostic).join('\n'));
    this.name = 'ToolError';
  }
}

/** A located error raised inside the assembler; the driver turns it into a Diagnostic. */
export class AsmError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly col: number,
  ) {
    super(message);
    this.name = 'AsmError';
  }
}
