// Wait queues: who owns each queue and who waits on it, why, and for how long.
import type { ReactNode } from 'react';
import { useApp } from '../../ui/context';
import type { WaitQueueInfo } from '../types';
import { Empty } from './Empty';

export interface WaitQueuesViewProps {
  queues: readonly WaitQueueInfo[];
  /** Virtual milliseconds since boot, for "waiting for". */
  now: number;
}

export function WaitQueuesView({ queues, now }: WaitQueuesViewProps): ReactNode {
  if (queues.length === 0) return <Empty what="its wait queues" />;
  return (
    <div className="panel-fill scroll">
      {queues.map((q) => (
        <section key={q.id} className="card">
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
                  <tr key={w.tid}>
                    <td className="num">tid {w.tid}</td>
                    <td>{w.reason}</td>
                    <td className="num muted">{Math.max(0, now - w.since).toFixed(0)} ms</td>
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
  return <WaitQueuesView queues={live?.waitQueues ?? []} now={live?.now ?? 0} />;
}
