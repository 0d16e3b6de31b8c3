// Memory map of one task: a proportional address-space strip and a virtualised VMA table.
import { useMemo, useRef, useState, type ReactNode } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useApp } from '../../ui/context';
import { formatBytes, hex32, layoutStrip } from '../memory-layout';
import type { AddressSpace, VmaInfo } from '../types';
import { Empty } from './Empty';

export interface MemoryMapViewProps {
  spaces: readonly AddressSpace[];
  /** Task names by pid, for the selector. */
  names: ReadonlyMap<number, string>;
}

const ROW_HEIGHT = 24;

function VmaTable({ vmas }: { vmas: readonly VmaInfo[] }): ReactNode {
  const scroller = useRef<HTMLDivElement>(null);
  const virt = useVirtualizer({
    count: vmas.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
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
            const v = vmas[item.index];
            if (!v) return null;
            return (
              <div
                key={item.key}
                className="vma-row"
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
                <span>{formatBytes(v.resident)}</span>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}

export function MemoryMapView({ spaces, names }: MemoryMapViewProps): ReactNode {
  const [pid, setPid] = useState<number | null>(null);
  const space = spaces.find((s) => s.pid === pid) ?? spaces[0];
  const sorted = useMemo(() => [...(space?.vmas ?? [])].sort((a, b) => a.start - b.start), [space]);
  const strip = useMemo(() => layoutStrip(sorted), [sorted]);
  if (!space) return <Empty what="each task's memory map" />;
  return (
    <div className="panel-fill memory-map">
      <div className="panel-actions">
        <label className="muted">
          Task{' '}
          <select value={space.pid} onChange={(e) => setPid(Number(e.target.value))}>
            {spaces.map((s) => (
              <option key={s.pid} value={s.pid}>
                {s.pid} {names.get(s.pid) ?? ''}
              </option>
            ))}
          </select>
        </label>
        <span className="muted">
          {sorted.length} VMAs · {formatBytes(sorted.reduce((a, v) => a + v.resident, 0))} resident
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
              className={`strip-seg kind-${seg.vma?.kind ?? 'mmap'}`}
              style={{ left: `${seg.x * 100}%`, width: `${seg.w * 100}%` }}
              title={
                seg.vma ? `${hex32(seg.vma.start)}–${hex32(seg.vma.end)} ${seg.vma.prot} ${seg.vma.kind}` : ''
              }
            />
          ),
        )}
      </div>
      <VmaTable vmas={sorted} />
    </div>
  );
}

export function MemoryMapPanel(): ReactNode {
  const live = useApp((s) => s.live);
  const names = useMemo(() => new Map((live?.tasks ?? []).map((t) => [t.pid, t.name])), [live]);
  return <MemoryMapView spaces={live?.spaces ?? []} names={names} />;
}
