// Timers: pending timers in deadline order, with the time left; a sleeper is named by its task,
// and the selected task's sleepers are marked.
import type { ReactNode } from 'react';
import { taskOfTid, tidsOf } from '../../state/selection';
import { useApp } from '../../ui/context';
import type { TaskInfo, TimerInfo } from '../types';
import { Empty } from './Empty';

export interface TimersViewProps {
  timers: readonly TimerInfo[];
  /** Virtual milliseconds since boot. */
  now: number;
  tasks?: readonly TaskInfo[];
  /** Threads of the selected task. */
  focus?: ReadonlySet<number>;
}

function ownerOf(t: TimerInfo, tasks: readonly TaskInfo[]): string {
  if (t.tid === undefined) return t.owner;
  const task = taskOfTid(tasks, t.tid);
  return task ? `${task.name} (tid ${t.tid})` : t.owner;
}

export function TimersView({ timers, now, tasks = [], focus }: TimersViewProps): ReactNode {
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
            <tr key={t.id} className={t.tid !== undefined && focus?.has(t.tid) ? 'focus' : undefined}>
              <td className="num">{t.id}</td>
              <td>{ownerOf(t, tasks)}</td>
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
  const selected = useApp((s) => s.selectedPid);
  return (
    <TimersView
      timers={live?.timers ?? []}
      now={live?.now ?? 0}
      tasks={live?.tasks ?? []}
      focus={tidsOf(live, selected)}
    />
  );
}
