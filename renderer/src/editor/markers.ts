// Diagnostics → Monaco marker data. Pure (no Monaco import) so it is unit-tested under Node;
// the severities are Monaco's MarkerSeverity values.
import type { Diagnostic } from '../../../core/protocol/messages';

export const MarkerSeverity = { Hint: 1, Info: 2, Warning: 4, Error: 8 } as const;

export interface MarkerData {
  severity: number;
  message: string;
  startLineNumber: number;
  startColumn: number;
  endLineNumber: number;
  endColumn: number;
  source: string;
}

export function toMarker(d: Diagnostic): MarkerData {
  const line = Math.max(1, d.line);
  const col = Math.max(1, d.col);
  return {
    severity:
      d.severity === 'error'
        ? MarkerSeverity.Error
        : d.severity === 'warning'
          ? MarkerSeverity.Warning
          : MarkerSeverity.Info,
    message: d.message,
    startLineNumber: line,
    startColumn: col,
    endLineNumber: line,
    // Without a range, mark to the end of the word: Monaco widens a 1-column marker to it.
    endColumn: col + 1,
    source: 'futcc',
  };
}

/** Groups diagnostics by file, so each open model gets exactly its own markers. */
export function markersByFile(diags: readonly Diagnostic[]): Map<string, MarkerData[]> {
  const out = new Map<string, MarkerData[]>();
  for (const d of diags) {
    const list = out.get(d.file) ?? [];
    list.push(toMarker(d));
    out.set(d.file, list);
  }
  return out;
}

/** Problems sorted for the list: errors first, then by file, line and column. */
export function sortProblems(diags: readonly Diagnostic[]): Diagnostic[] {
  const rank = { error: 0, warning: 1, note: 2 } as const;
  return [...diags].sort(
    (a, b) =>
      rank[a.severity] - rank[b.severity] || a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col,
  );
}
