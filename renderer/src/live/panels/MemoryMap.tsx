// Memory map of the selected task: a proportional address-space strip and a virtualised VMA
// table. Changes since the previous snapshot are marked (live/vma-diff.ts): a new or grown VMA
// flashes, a removed one stays a moment struck through, a resident count that moved is tinted.
import { useEffect, useMemo, useReducer, useRef, type ReactNode } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useApp, useStudio } from '../../ui/context';
import { formatBytes, hex32, layoutStrip } from '../memory-layout';
import { nextExpiry, vmaRows, type VmaRow, type VmaTrack } from '../vma-diff';
import { Empty } from './Empty';

export interface MemoryMapViewProps {
  /** The shown task's VMAs and their recent changes. */
  track: VmaTrack | null;
  /** The task selected app-wide (the map shows another when it has none, e.g. a zombie). */
  selected: number | null;
  /** Every task with a memory map, for the selector. */
  pids: readonly number[];
  /** Task names by pid. */
  names: ReadonlyMap<number, string>;
  onSelect: (pid: number) => void;
}

const ROW_HEIGHT = 24;

const changeClass = (r: VmaRow): string =>
  (r.change ? ` vma-${r.change}` : '') + (r.resident > 0 ? ' res-up' : r.resident < 0 ? ' res-down' : '');

function VmaTable({ rows }: { rows: readonly VmaRow[] }): ReactNode {
  const scroller = useRef<HTMLDivElement>(null);
  const virt = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    getItemKey: (i) => rows[i]?.id ?? i,
    overscan: 10,
  });
  return (
    <div className="vma-table">
      <div className="vma-row vma-head">
        <span>Start</span>
        <span>End</span>
        <span>Size</span>
        <span>Prot</span>
        <span>Kind</span>
        <span>Resident</span>
      </div>
      <div className="scroll vma-body" ref={scroller}>
        <div style={{ height: virt.getTotalSize(), position: 'relative' }}>
          {virt.getVirtualItems().map((item) => {
            const r = rows[item.index];
            if (!r) return null;
            const v = r.vma;
            return (
              <div
                key={item.key}
                className={`vma-row${changeClass(r)}`}
                data-change={r.change ?? undefined}
                style={{
                  position: 'absolute',
                  top: 0,
                  left: 0,
                  right: 0,
                  height: ROW_HEIGHT,
                  transform: `translateY(${item.start}px)`,
                }}
              >
                <span className="mono">{hex32(v.start)}</span>
                <span className="mono">{hex32(v.end)}</span>
                <span>{formatBytes(v.end - v.start)}</span>
                <span className="mono">{v.prot}</span>
                <span>
                  <span className={`kind-swatch kind-${v.kind}`} />
                  {v.name ?? v.kind}
                </span>
                <span
                  className="vma-resident"
                  title={
                    r.resident === 0
                      ? undefined
                      : `${r.resident > 0 ? '+' : '−'}${formatBytes(Math.abs(r.resident))} since the last snapshot`
                  }
                >
                  {formatBytes(v.resident)}
                  {r.resident !== 0 && <span className="res-delta">{r.resident > 0 ? ' ▲' : ' ▼'}</span>}
                </span>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}

/** Re-renders when the next highlight expires, so marks fade out even when no snapshot comes. */
function useExpiryTick(track: VmaTrack | null): number {
  const [tick, bump] = useReducer((n: number) => n + 1, 0);
  useEffect(() => {
    const at = nextExpiry(track, Date.now());
    if (at === null) return;
    const timer = setTimeout(bump, Math.max(0, at - Date.now()) + 20);
    return () => clearTimeout(timer);
  }, [track, tick]);
  return tick;
}

export function MemoryMapView({ track, selected, pids, names, onSelect }: MemoryMapViewProps): ReactNode {
  const tick = useExpiryTick(track);
  // `tick` is a dependency only to read the clock again when a mark expires.
  const rows = useMemo(() => vmaRows(track, Date.now()), [track, tick]);
  const live = useMemo(() => rows.filter((r) => r.change !== 'removed').map((r) => r.vma), [rows]);
  const strip = useMemo(() => layoutStrip(live), [live]);
  const marked = useMemo(
    () => new Set(rows.filter((r) => r.change === 'new' || r.change === 'grown').map((r) => r.vma)),
    [rows],
  );
  if (!track) return <Empty what="each task's memory map" />;
  return (
    <div className="panel-fill memory-map">
      <div className="panel-actions">
        <label className="muted">
          Task{' '}
          <select value={track.pid} onChange={(e) => onSelect(Number(e.target.value))}>
            {pids.map((pid) => (
              <option key={pid} value={pid}>
                {pid} {names.get(pid) ?? ''}
              </option>
            ))}
          </select>
        </label>
        {selected !== null && selected !== track.pid && (
          <span className="muted small" data-testid="memory-no-space">
            {names.get(selected) ?? `pid ${selected}`} has no address space
          </span>
        )}
        <span className="muted">
          {live.length} VMAs · {formatBytes(live.reduce((a, v) => a + v.resident, 0))} resident
        </span>
      </div>
      <div className="strip" role="img" aria-label="Address space">
        {strip.map((seg, i) =>
          seg.kind === 'gap' ? (
            <div
              key={i}
              className="strip-gap"
              style={{ left: `${seg.x * 100}%`, width: `${seg.w * 100}%` }}
            />
          ) : (
            <div
              key={i}
              className={`strip-seg kind-${seg.vma?.kind ?? 'mmap'}${seg.vma && marked.has(seg.vma) ? ' strip-changed' : ''}`}
              style={{ left: `${seg.x * 100}%`, width: `${seg.w * 100}%` }}
              title={
                seg.vma ? `${hex32(seg.vma.start)}–${hex32(seg.vma.end)} ${seg.vma.prot} ${seg.vma.kind}` : ''
              }
            />
          ),
        )}
      </div>
      <VmaTable rows={rows} />
    </div>
  );
}

export function MemoryMapPanel(): ReactNode {
  const studio = useStudio();
  const track = useApp((s) => s.vmaTrack);
  const selected = useApp((s) => s.selectedPid);
  const spaces = useApp((s) => s.live?.spaces);
  const tasks = useApp((s) => s.live?.tasks);
  const pids = useMemo(() => (spaces ?? []).map((s) => s.pid), [spaces]);
  const names = useMemo(() => new Map((tasks ?? []).map((t) => [t.pid, t.name])), [tasks]);
  return (
    <MemoryMapView
      track={track}
      selected={selected}
      pids={pids}
      names={names}
      onSelect={(pid) => studio.selectTask(pid)}
    />
  );
}
