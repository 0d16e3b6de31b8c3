// Timers: pending timers in deadline order, with the time left.
import type { ReactNode } from 'react';
import { useApp } from '../../ui/context';
import type { TimerInfo } from '../types';
import { Empty } from './Empty';

export interface TimersViewProps {
  timers: readonly TimerInfo[];
  /** Virtual milliseconds since boot. */
  now: number;
}

export function TimersView({ timers, now }: TimersViewProps): ReactNode {
  if (timers.length === 0) return <Empty what="its timers" />;
  const sorted = [...timers].sort((a, b) => a.deadline - b.deadline);
  return (
    <div className="panel-fill scroll">
      <table className="grid">
        <thead>
          <tr>
            <th className="num">ID</th>
            <th>Owner</th>
            <th>Kind</th>
            <th className="num">Deadline</th>
            <th className="num">In</th>
          </tr>
        </thead>
        <tbody>
          {sorted.map((t) => (
            <tr key={t.id}>
              <td className="num">{t.id}</td>
              <td>{t.owner}</td>
              <td>{t.kind}</td>
              <td className="num">{t.deadline} ms</td>
              <td className="num">{Math.max(0, t.deadline - now)} ms</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function TimersPanel(): ReactNode {
  const live = useApp((s) => s.live);
  return <TimersView timers={live?.timers ?? []} now={live?.now ?? 0} />;
}
