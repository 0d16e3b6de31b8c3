// The FIPC graph: tasks on a circle, channels as edges labelled with their id and message count;
// an edge with a message in the last virtual second is lit. The layout is memoised on the graph's
// shape (which tasks, which channels link them), not on the snapshot: at 30 Hz only the labels and
// the lit edges change, and the positions stay put.
import { useMemo, type ReactNode } from 'react';
import type { FipcMessageInfo } from '../fipc-types';
import { channelActivity, graphSize, graphEdges, graphPids, layoutNodes, placeEdges } from '../fipc-graph';
import type { ChannelInfo, TaskInfo } from '../types';

export interface ChannelGraphProps {
  channels: readonly ChannelInfo[];
  tasks: readonly TaskInfo[];
  messages: readonly FipcMessageInfo[];
  /** Virtual ms of the snapshot (what "recent" is measured from). */
  now: number;
  selected: number | null;
  onSelect: (channel: number | null) => void;
}

/** A string that changes exactly when the graph's shape does. */
function shapeKey(channels: readonly ChannelInfo[], tasks: readonly TaskInfo[]): string {
  const ch = channels.map((c) =>
    c.holders.length
      ? `${c.id}:${c.holders.map((h) => `${h.pid}/${h.rights & 4}`).join(',')}`
      : `${c.id}=${c.endpoints.join(',')}`,
  );
  return `${ch.join(';')}|${tasks.map((t) => `${t.pid}=${t.name}`).join(';')}`;
}

export function ChannelGraph(p: ChannelGraphProps): ReactNode {
  const { channels, tasks } = p;
  const key = shapeKey(channels, tasks);
  // Keyed on the shape, not on identity: every snapshot brings new channel and task objects.
  const layout = useMemo(() => {
    const edges = graphEdges(channels, tasks);
    const names = new Map(tasks.map((t) => [t.pid, t.name]));
    const nodes = layoutNodes(graphPids(edges), names);
    const longest = Math.max(0, ...nodes.map((n) => n.label.length));
    return { nodes, edges: placeEdges(edges, nodes), size: graphSize(nodes.length, longest) };
  }, [key]);
  const activity = useMemo(() => channelActivity(p.messages, p.now), [p.messages, p.now]);
  const counts = useMemo(() => new Map(channels.map((c) => [c.id, c])), [channels]);

  const toggle = (channel: number): void => p.onSelect(p.selected === channel ? null : channel);

  if (layout.nodes.length === 0) return <div className="empty small">No channel links two tasks.</div>;
  // A crowded graph keeps its natural size (11px labels) and scrolls instead of shrinking.
  const crowded = layout.size.crowded;
  return (
    <div className="fipc-graph-scroll">
      <svg
        className={crowded ? 'fipc-graph crowded' : 'fipc-graph'}
        viewBox={`0 0 ${layout.size.width} ${layout.size.height}`}
        width={crowded ? layout.size.width : undefined}
        height={crowded ? layout.size.height : undefined}
        role="img"
        aria-label="Tasks and the channels between them"
        data-testid="fipc-graph"
      >
        <g className="fipc-edges">
          {layout.edges.map((e) => {
            const c = counts.get(e.channel);
            const act = activity.get(e.channel);
            const cls =
              'fipc-edge' +
              (act?.active ? ' active' : '') +
              (p.selected === e.channel ? ' selected' : '') +
              (e.from === e.to ? ' loop' : '');
            return (
              <g
                key={e.key}
                className={cls}
                data-channel={e.channel}
                role="button"
                tabIndex={0}
                aria-pressed={p.selected === e.channel}
                onClick={() => toggle(e.channel)}
                onKeyDown={(ev) => {
                  if (ev.key !== 'Enter' && ev.key !== ' ') return;
                  ev.preventDefault();
                  toggle(e.channel);
                }}
              >
                <title>
                  {`channel ${e.channel}: ${c?.sent ?? 0} sent, ${c?.received ?? 0} received, ` +
                    `${c?.queued ?? 0} queued, ${act?.recent ?? 0} in the log`}
                </title>
                <path d={e.path} />
                <text className="fipc-edge-label" x={e.lx} y={e.ly}>
                  {`#${e.channel} · ${c?.sent ?? 0}`}
                </text>
              </g>
            );
          })}
        </g>
        <g className="fipc-nodes">
          {layout.nodes.map((n) => (
            <g key={n.pid} className={`fipc-node${n.pid === 0 ? ' kernel' : ''}`}>
              <circle cx={n.x} cy={n.y} r={16} />
              <text className="fipc-node-pid" x={n.x} y={n.y} dy="0.35em">
                {n.pid}
              </text>
              <text
                className="fipc-node-label"
                x={n.lx}
                y={n.ly}
                textAnchor={n.anchor}
                dy={n.anchor === 'middle' ? undefined : '0.35em'}
                transform={n.anchor === 'middle' ? undefined : `rotate(${n.rotate} ${n.lx} ${n.ly})`}
              >
                {n.label}
              </text>
            </g>
          ))}
        </g>
      </svg>
    </div>
  );
}
