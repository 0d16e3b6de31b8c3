// The build output: progress bar and the log, kept scrolled to the end while new lines arrive.
import { useEffect, useRef, type ReactNode } from 'react';
import { useApp } from '../ui/context';

export function OutputPanel(): ReactNode {
  const output = useApp((s) => s.output);
  const build = useApp((s) => s.build);
  const end = useRef<HTMLDivElement>(null);
  useEffect(() => {
    end.current?.scrollIntoView({ block: 'end' });
  }, [output]);
  const pct = build.total > 0 ? Math.round((100 * build.done) / build.total) : build.running ? 5 : 0;
  return (
    <div className="output panel-fill">
      <div className={`progress${build.running ? ' running' : ''}`} aria-hidden={!build.running}>
        <div className="progress-bar" style={{ width: `${build.running ? pct : 0}%` }} />
      </div>
      <div className="scroll log" data-testid="build-output">
        {output.length === 0 && <div className="empty">Build output appears here.</div>}
        {output.map((l, i) => (
          <div key={i} className={`log-line log-${l.kind}`}>
            {l.text}
          </div>
        ))}
        <div ref={end} />
      </div>
    </div>
  );
}
