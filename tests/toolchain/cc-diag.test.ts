import { describe, it, expect } from 'vitest';
import { DiagnosticSink, formatDiagnostic, sortDiagnostics } from '../../core/toolchain/diag';

describe('diagnostics', () => {
  it('formats like GCC with a caret range', () => {
    const src = 'int main(void) {\n  return y;\n}\n';
    const s = formatDiagnostic(
      { file: 'a.c', line: 2, col: 10, endCol: 11, severity: 'error', message: "'y' undeclared" },
      src,
    );
    expect(s).toBe("a.c:2:10: error: 'y' undeclared\n   return y;\n          ^");
    const r = formatDiagnostic(
      { file: 'a.c', line: 1, col: 5, endCol: 9, severity: 'warning', message: 'w' },
      src,
    );
    expect(r.split('\n')[2]).toBe('     ^~~~');
  });
  it('keeps only the header when the line is unknown', () => {
    expect(formatDiagnostic({ file: 'x', line: 9, col: 1, severity: 'note', message: 'n' }, 'a')).toBe(
      'x:9:1: note: n',
    );
  });
  it('counts and stops at the error limit; -Werror promotes warnings', () => {
    const sink = new DiagnosticSink(2);
    sink.warning('f', 1, 1, 'w');
    sink.error('f', 2, 1, 'e1');
    expect(sink.full()).toBe(false);
    sink.error('f', 3, 1, 'e2');
    sink.error('f', 4, 1, 'e3');
    expect(sink.errorCount).toBe(2);
    expect(sink.warningCount).toBe(1);
    expect(sink.full()).toBe(true);
    const w = new DiagnosticSink();
    w.werror = true;
    w.warning('f', 1, 1, 'w');
    expect(w.items[0]?.severity).toBe('error');
    expect(w.hasErrors()).toBe(true);
  });
  it('sorts stably by position', () => {
    const d = sortDiagnostics([
      { file: 'b', line: 1, col: 1, severity: 'error', message: '1' },
      { file: 'a', line: 2, col: 1, severity: 'error', message: '2' },
      { file: 'a', line: 2, col: 1, severity: 'note', message: '3' },
      { file: 'a', line: 1, col: 4, severity: 'error', message: '4' },
    ]);
    expect(d.map((x) => x.message)).toEqual(['4', '2', '3', '1']);
  });
});
