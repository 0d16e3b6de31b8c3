// Processes: every task with its state, priority, CPU time and share, and parent. Clicking a row
// (or Enter/arrows on it) selects the task app-wide: the Memory Map shows it, the Wait Queues
// and Scheduler views mark its threads. Kill sends SIGKILL to the selected task (machine.kill),
// also on a paused machine, and shows what happened.
import { useSyncExternalStore, type KeyboardEvent, type ReactNode } from 'react';
import { useApp, useStudio } from '../../ui/context';
import type { TaskInfo } from '../types';
import { Empty } from './Empty';
import { killButton, type KillState } from './ProcessesKill';

export interface ProcessesViewProps {
  tasks: readonly TaskInfo[];
  selected: number | null;
  onSelect: (pid: number) => void;
  /** The Kill action on the selected task, and the last kill's outcome; absent: no Kill button. */
  onKill?: (task: TaskInfo) => void;
  kill?: KillState;
}

/** Kill [selected task]  outcome */
function KillBar({
  task,
  onKill,
  kill,
}: {
  task: TaskInfo | undefined;
  onKill: (task: TaskInfo) => void;
  kill: KillState | undefined;
}): ReactNode {
  const b = killButton(task, kill);
  return (
    <div className="process-actions small">
      <button
        type="button"
        data-testid="process-kill"
        disabled={b.disabled}
        title={b.title}
        onClick={() => task && onKill(task)}
      >
        {b.label}
      </button>
      <span className={kill?.error ? 'err' : 'muted'} data-testid="process-kill-status">
        {' '}
        {kill?.message ?? ''}
      </span>
    </div>
  );
}

/** Virtual milliseconds as seconds with millisecond precision ("—" when not counted). */
export function formatCpuTime(ms: number | undefined): string {
  if (ms === undefined) return '—';
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(3)} s`;
}

export function ProcessesView({ tasks, selected, onSelect, onKill, kill }: ProcessesViewProps): ReactNode {
  if (tasks.length === 0) return <Empty what="its processes" />;
  const names = new Map(tasks.map((t) => [t.pid, t.name]));
  const onKey = (e: KeyboardEvent<HTMLTableRowElement>, i: number): void => {
    const to =
      e.key === 'ArrowDown'
        ? tasks[i + 1]
        : e.key === 'ArrowUp'
          ? tasks[i - 1]
          : e.key === 'Enter' || e.key === ' '
            ? tasks[i]
            : undefined;
    if (!to) return;
    e.preventDefault();
    onSelect(to.pid);
    const row = e.currentTarget.parentElement?.querySelector<HTMLElement>(`tr[data-pid="${to.pid}"]`);
    row?.focus();
  };
  return (
    <div className="panel-fill scroll">
      {onKill && <KillBar task={tasks.find((t) => t.pid === selected)} onKill={onKill} kill={kill} />}
      <table className="grid processes">
        <thead>
          <tr>
            <th className="num">PID</th>
            <th>Name</th>
            <th>State</th>
            <th className="num">Prio</th>
            <th className="num">CPU time</th>
            <th className="num">CPU</th>
            <th className="num">Parent</th>
          </tr>
        </thead>
        <tbody>
          {tasks.map((t, i) => (
            <tr
              key={t.pid}
              data-pid={t.pid}
              className={`task-row${t.pid === selected ? ' selected' : ''}`}
              aria-selected={t.pid === selected}
              tabIndex={0}
              onClick={() => onSelect(t.pid)}
              onKeyDown={(e) => onKey(e, i)}
            >
              <td className="num">{t.pid}</td>
              <td>{t.name}</td>
              <td>
                <span className={`pill state-${t.state}`}>{t.state}</span>
              </td>
              <td className="num">{t.priority}</td>
              <td className="num">{formatCpuTime(t.cpuMs)}</td>
              <td className="num">{(t.cpu * 100).toFixed(1)}%</td>
              <td className="num" title={t.parent === null ? undefined : names.get(t.parent)}>
                {t.parent ?? '—'}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function ProcessesPanel(): ReactNode {
  const studio = useStudio();
  const tasks = useApp((s) => s.live?.tasks);
  const selected = useApp((s) => s.selectedPid);
  const kill = useSyncExternalStore(studio.kill.subscribe, studio.kill.get);
  return (
    <ProcessesView
      tasks={tasks ?? []}
      selected={selected}
      onSelect={(pid) => studio.selectTask(pid)}
      onKill={(t) => void studio.kill.kill(t)}
      kill={kill}
    />
  );
}
