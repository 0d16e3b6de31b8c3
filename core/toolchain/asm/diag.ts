// Diagnostics of the assembler, linker and archiver, in the toolchain's shared shape
// (core/toolchain/diag.ts: file, line, col, severity, message). Link errors are not about a
// source line: they carry line 0 and col 0.
import type { Diagnostic } from '../diag';

export type { Diagnostic, Severity } from '../diag';

/** Renders like GNU tools: `file:line:col: error: message`, or `file: error: message` for line 0. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.line > 0 ? `${d.file}:${d.line}:${d.col > 0 ? `${d.col}:` : ''}` : `${d.file}:`;
  return `${where} ${d.severity}: ${d.message}`;
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
