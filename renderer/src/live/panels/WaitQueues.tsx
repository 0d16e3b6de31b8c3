// Wait queues: who owns each queue and who waits on it, why, and for how long. The selected
// task's waits are marked (its threads' rows, and the queues they wait on).
import type { ReactNode } from 'react';
import { taskOfTid, tidsOf } from '../../state/selection';
import { useApp } from '../../ui/context';
import type { TaskInfo, WaitQueueInfo } from '../types';
import { Empty } from './Empty';

export interface WaitQueuesViewProps {
  queues: readonly WaitQueueInfo[];
  /** Virtual milliseconds since boot, for "waiting for". */
  now: number;
  tasks: readonly TaskInfo[];
  /** Threads of the selected task. */
  focus: ReadonlySet<number>;
}

export function WaitQueuesView({ queues, now, tasks, focus }: WaitQueuesViewProps): ReactNode {
  if (queues.length === 0) return <Empty what="its wait queues" />;
  return (
    <div className="panel-fill scroll">
      {queues.map((q) => (
        <section key={q.id} className={`card${q.waiters.some((w) => focus.has(w.tid)) ? ' focus' : ''}`}>
          <header className="card-head">
            <span className="mono">{q.id}</span>
            <span className="muted">owner {q.owner}</span>
            <span className="badge">{q.waiters.length}</span>
          </header>
          {q.waiters.length === 0 ? (
            <div className="muted small">no waiters</div>
          ) : (
            <table className="grid compact">
              <tbody>
                {q.waiters.map((w) => (
                  <tr key={w.tid} className={focus.has(w.tid) ? 'focus' : undefined}>
                    <td className="num">tid {w.tid}</td>
                    <td className="muted">{taskOfTid(tasks, w.tid)?.name ?? ''}</td>
                    <td>{w.reason}</td>
                    <td className="num muted" title={w.since < 0 ? undefined : `since ${w.since} ms`}>
                      {w.since < 0 ? '—' : `${Math.max(0, now - w.since).toFixed(0)} ms`}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      ))}
    </div>
  );
}

export function WaitQueuesPanel(): ReactNode {
  const live = useApp((s) => s.live);
  const selected = useApp((s) => s.selectedPid);
  return (
    <WaitQueuesView
      queues={live?.waitQueues ?? []}
      now={live?.now ?? 0}
      tasks={live?.tasks ?? []}
      focus={tidsOf(live, selected)}
    />
  );
}
