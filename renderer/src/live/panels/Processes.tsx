// Processes: every task with its state, priority, CPU share and parent.
import type { ReactNode } from 'react';
import { useApp } from '../../ui/context';
import type { TaskInfo } from '../types';
import { Empty } from './Empty';

export interface ProcessesViewProps {
  tasks: readonly TaskInfo[];
}

export function ProcessesView({ tasks }: ProcessesViewProps): ReactNode {
  if (tasks.length === 0) return <Empty what="its processes" />;
  return (
    <div className="panel-fill scroll">
      <table className="grid">
        <thead>
          <tr>
            <th className="num">PID</th>
            <th>Name</th>
            <th>State</th>
            <th className="num">Prio</th>
            <th className="num">CPU</th>
            <th className="num">Parent</th>
          </tr>
        </thead>
        <tbody>
          {tasks.map((t) => (
            <tr key={t.pid}>
              <td className="num">{t.pid}</td>
              <td>{t.name}</td>
              <td>
                <span className={`pill state-${t.state}`}>{t.state}</span>
              </td>
              <td className="num">{t.priority}</td>
              <td className="num">{(t.cpu * 100).toFixed(1)}%</td>
              <td className="num">{t.parent ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function ProcessesPanel(): ReactNode {
  const live = useApp((s) => s.live);
  return <ProcessesView tasks={live?.tasks ?? []} />;
}
