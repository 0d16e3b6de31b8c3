// Charts: MIPS, syscalls/s and messages/s over the last few minutes (uPlot, one small chart each).
import { useEffect, useRef, type ReactNode } from 'react';
import uPlot from 'uplot';
import { useApp } from '../../ui/context';
import { CHART_SERIES, type RateHistory, type SeriesKey } from '../rates';
import { Empty } from './Empty';

export interface ChartsViewProps {
  history: RateHistory;
}

const COLORS: Record<SeriesKey, string> = {
  instructions: '#7aa2f7',
  syscalls: '#9ece6a',
  messages: '#e0af68',
};

/** One series over time; also used by the Scheduler view (with its own class). */
export function Chart({
  label,
  color,
  t,
  v,
  className = 'chart',
}: {
  label: string;
  color: string;
  t: number[];
  v: number[];
  className?: string;
}): ReactNode {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const axis = { stroke: '#8b90a0', grid: { stroke: '#2a2d36', width: 1 }, ticks: { stroke: '#2a2d36' } };
    const p = new uPlot(
      {
        width: Math.max(100, el.clientWidth),
        height: 96,
        legend: { show: false },
        cursor: { show: false },
        scales: { x: { time: false } },
        axes: [
          { ...axis, values: (_u, splits) => splits.map((v) => `${Math.round(v)}s`) },
          { ...axis, size: 48 },
        ],
        series: [{}, { label, stroke: color, width: 1.5, fill: color + '22' }],
      },
      [[], []],
      el,
    );
    plot.current = p;
    const ro = new ResizeObserver(() => p.setSize({ width: Math.max(100, el.clientWidth), height: 96 }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      p.destroy();
      plot.current = null;
    };
  }, [label, color]);

  useEffect(() => {
    // Seconds since the first sample in the window: readable, and independent of the clock.
    const t0 = t[0] ?? 0;
    plot.current?.setData([t.map((x) => x - t0), v]);
  }, [t, v]);

  const last = v[v.length - 1];
  return (
    <div className={className}>
      <div className="chart-title">
        <span style={{ color }}>{label}</span>
        <span className="mono">{last === undefined ? '—' : last.toFixed(label === 'MIPS' ? 2 : 0)}</span>
      </div>
      <div ref={host} />
    </div>
  );
}

export function ChartsView({ history }: ChartsViewProps): ReactNode {
  if (history.t.length === 0) return <Empty what="its performance charts" />;
  return (
    <div className="panel-fill scroll pad">
      {CHART_SERIES.map((s) => (
        <Chart key={s.key} label={s.label} color={COLORS[s.key]} t={history.t} v={history.values[s.key]} />
      ))}
    </div>
  );
}

export function ChartsPanel(): ReactNode {
  const history = useApp((s) => s.rates);
  return <ChartsView history={history} />;
}
