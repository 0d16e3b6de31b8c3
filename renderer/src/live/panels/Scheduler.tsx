// The scheduler: the running task and the run queue by priority level.
import type { ReactNode } from 'react';
import { useApp } from '../../ui/context';
import type { SchedulerInfo } from '../types';
import { Empty } from './Empty';

export interface SchedulerViewProps {
  scheduler: SchedulerInfo | null;
}

export function SchedulerView({ scheduler }: SchedulerViewProps): ReactNode {
  if (!scheduler) return <Empty what="its run queue" />;
  const levels = [...scheduler.levels].sort((a, b) => b.priority - a.priority);
  return (
    <div className="panel-fill scroll pad">
      <div className="kv">
        <span className="muted">Running</span>
        <span className="mono">{scheduler.current === null ? 'idle' : `tid ${scheduler.current}`}</span>
        <span className="muted">Context switches</span>
        <span className="mono">{scheduler.switches}</span>
      </div>
      {levels.map((l) => (
        <div key={l.priority} className="runq-level">
          <span className="runq-prio">prio {l.priority}</span>
          <span className="runq-tasks">
            {l.tids.length === 0 ? (
              <span className="muted">empty</span>
            ) : (
              l.tids.map((t) => (
                <span key={t} className="chip">
                  {t}
                </span>
              ))
            )}
          </span>
        </div>
      ))}
    </div>
  );
}

export function SchedulerPanel(): ReactNode {
  const live = useApp((s) => s.live);
  return <SchedulerView scheduler={live?.scheduler ?? null} />;
}
