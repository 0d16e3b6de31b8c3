// The Problems list: the last build's diagnostics; clicking one opens the file at that spot.
import type { ReactNode } from 'react';
import { useApp, useStudio } from '../ui/context';

export function ProblemsPanel(): ReactNode {
  const studio = useStudio();
  const problems = useApp((s) => s.problems);
  const result = useApp((s) => s.build.result);
  if (problems.length === 0) {
    return (
      <div className="empty">
        {result ? 'No problems in the last build.' : 'Build (Ctrl+Shift+B) to see errors and warnings here.'}
      </div>
    );
  }
  return (
    <div className="panel-fill scroll">
      <table className="grid problems">
        <tbody>
          {problems.map((d, i) => (
            <tr
              key={i}
              className={`problem sev-${d.severity}`}
              onClick={() => void studio.openFile(d.file, { line: d.line, col: d.col })}
              tabIndex={0}
              onKeyDown={(e) =>
                e.key === 'Enter' && void studio.openFile(d.file, { line: d.line, col: d.col })
              }
            >
              <td className="sev">{d.severity === 'error' ? '✖' : d.severity === 'warning' ? '▲' : 'ℹ'}</td>
              <td className="msg">{d.message}</td>
              <td className="loc">
                {d.file}:{d.line}:{d.col}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
