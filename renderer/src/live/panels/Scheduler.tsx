// The scheduler: the running thread, the run queue by priority level (highest first), and the
// context switches per second over time. The selected task's threads are marked.
import type { ReactNode } from 'react';
import { useApp } from '../../ui/context';
import { latestRate, type RateHistory } from '../rates';
import type { SchedulerInfo, TaskInfo } from '../types';
import { taskOfTid, tidsOf } from '../../state/selection';
import { Chart } from './Charts';
import { Empty } from './Empty';

export interface SchedulerViewProps {
  scheduler: SchedulerInfo | null;
  tasks: readonly TaskInfo[];
  /** Threads of the selected task. */
  focus: ReadonlySet<number>;
  history: RateHistory;
}

const SWITCH_COLOR = '#bb9af7';

function ThreadChip({
  tid,
  tasks,
  focus,
}: {
  tid: number;
  tasks: readonly TaskInfo[];
  focus: boolean;
}): ReactNode {
  const name = taskOfTid(tasks, tid)?.name;
  return (
    <span
      className={`chip${focus ? ' focus' : ''}`}
      data-tid={tid}
      title={name ? `tid ${tid} (${name})` : undefined}
    >
      {tid}
      {name && <span className="chip-name"> {name}</span>}
    </span>
  );
}

function SwitchChart({ history }: { history: RateHistory }): ReactNode {
  if (history.t.length === 0) return <div className="muted small switch-chart-empty">No samples yet.</div>;
  return (
    <Chart
      className="switch-chart"
      label="context switches/s"
      color={SWITCH_COLOR}
      t={history.t}
      v={history.values.switches}
    />
  );
}

export function SchedulerView({ scheduler, tasks, focus, history }: SchedulerViewProps): ReactNode {
  if (!scheduler) return <Empty what="its run queue" />;
  const levels = [...scheduler.levels].sort((a, b) => b.priority - a.priority);
  const current = scheduler.current;
  const running = current === null ? undefined : taskOfTid(tasks, current);
  const rate = latestRate(history, 'switches');
  return (
    <div className="panel-fill scroll pad scheduler">
      <div className="kv">
        <span className="muted">Running</span>
        <span className={`mono sched-running${current !== null && focus.has(current) ? ' focus' : ''}`}>
          {current === null
            ? 'idle'
            : `tid ${current}${running ? ` · ${running.name} (pid ${running.pid}, prio ${running.priority})` : ''}`}
        </span>
        <span className="muted">Context switches</span>
        <span className="mono">
          {scheduler.switches}
          {rate !== null && <span className="muted"> · {rate.toFixed(0)}/s</span>}
        </span>
      </div>
      <SwitchChart history={history} />
      <div className="runq-title muted small">Run queue</div>
      {levels.length === 0 && <div className="muted small">empty: nothing else is ready</div>}
      {levels.map((l) => (
        <div key={l.priority} className={`runq-level${l.tids.some((t) => focus.has(t)) ? ' focus' : ''}`}>
          <span className="runq-prio">prio {l.priority}</span>
          <span className="runq-tasks">
            {l.tids.length === 0 ? (
              <span className="muted">empty</span>
            ) : (
              l.tids.map((t) => <ThreadChip key={t} tid={t} tasks={tasks} focus={focus.has(t)} />)
            )}
          </span>
        </div>
      ))}
    </div>
  );
}

export function SchedulerPanel(): ReactNode {
  const live = useApp((s) => s.live);
  const selected = useApp((s) => s.selectedPid);
  const history = useApp((s) => s.rates);
  return (
    <SchedulerView
      scheduler={live?.scheduler ?? null}
      tasks={live?.tasks ?? []}
      focus={tidsOf(live, selected)}
      history={history}
    />
  );
}
