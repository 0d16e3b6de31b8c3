// The FIPC view: the channel table (endpoints, rights, queue depth, counters), a graph of tasks and
// the channels between them, the live log of recent messages and, when this node has peers, its
// remote channels. Selecting a channel (a row or an edge) marks it and filters the log.
import { useMemo, useState, type ReactNode } from 'react';
import { useApp } from '../../ui/context';
import type { FipcMessageInfo, RemotePeerInfo } from '../fipc-types';
import type { ChannelInfo, TaskInfo } from '../types';
import { ChannelGraph } from './ChannelGraph';
import { Empty } from './Empty';
import { MessageLog } from './MessageLog';
import { RemoteChannels } from './RemoteChannels';

export interface ChannelsViewProps {
  channels: readonly ChannelInfo[];
  tasks?: readonly TaskInfo[];
  messages?: readonly FipcMessageInfo[];
  remote?: readonly RemotePeerInfo[];
  /** Virtual ms of the snapshot. */
  now?: number;
}

const NONE: readonly never[] = [];

const taskLabel = (pid: number, names: ReadonlyMap<number, string>): string =>
  pid === 0 ? 'kernel' : names.has(pid) ? `${names.get(pid)} (${pid})` : `pid ${pid}`;

/** The holders by name, the owner (ADMIN) first; the session's own endpoint labels otherwise. */
function endpointsLabel(c: ChannelInfo, names: ReadonlyMap<number, string>): string {
  if (c.holders.length === 0) return `${c.endpoints[0]} ⇄ ${c.endpoints[1]}`;
  const label = (pid: number): string => taskLabel(pid, names);
  const owner = c.holders.find((h) => h.rights & 4) ?? c.holders[0]!;
  const others = c.holders.filter((h) => h !== owner).map((h) => label(h.pid));
  return others.length ? `${label(owner.pid)} ⇄ ${others.join(', ')}` : label(owner.pid);
}

/** Rights per task, e.g. "2:sra 3:s--" (send, receive, admin); the session's text otherwise. */
function rightsLabel(c: ChannelInfo): string {
  if (c.holders.length === 0) return c.rights;
  const bits = (r: number): string => `${r & 1 ? 's' : '-'}${r & 2 ? 'r' : '-'}${r & 4 ? 'a' : '-'}`;
  return c.holders.map((h) => `${h.pid}:${bits(h.rights)}`).join(' ');
}

function ChannelTable(p: {
  channels: readonly ChannelInfo[];
  names: ReadonlyMap<number, string>;
  selected: number | null;
  onSelect: (id: number | null) => void;
}): ReactNode {
  return (
    <table className="grid">
      <thead>
        <tr>
          <th className="num">ID</th>
          <th>Endpoints</th>
          <th>Rights</th>
          <th className="num">Queued</th>
          <th className="num">Sent</th>
          <th className="num">Received</th>
          <th className="num">Dropped</th>
        </tr>
      </thead>
      <tbody>
        {p.channels.map((c) => (
          <tr
            key={c.id}
            className={p.selected === c.id ? 'focus' : undefined}
            onClick={() => p.onSelect(p.selected === c.id ? null : c.id)}
          >
            <td className="num">{c.id}</td>
            <td>{endpointsLabel(c, p.names)}</td>
            <td className="mono" title={c.holders.map((h) => taskLabel(h.pid, p.names)).join(', ')}>
              {rightsLabel(c)}
            </td>
            <td className="num">
              {c.queued}
              {c.queuedBytes ? <span className="muted"> ({c.queuedBytes} B)</span> : null}
            </td>
            <td className="num">{c.sent}</td>
            <td className="num">{c.received}</td>
            <td className={`num${c.dropped > 0 ? ' warn' : ''}`}>{c.dropped}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function ChannelsView(props: ChannelsViewProps): ReactNode {
  const { channels, tasks = NONE, messages = NONE, remote = NONE, now = 0 } = props;
  const [selected, setSelected] = useState<number | null>(null);
  const names = useMemo(() => new Map(tasks.map((t) => [t.pid, t.name])), [tasks]);
  if (channels.length === 0 && messages.length === 0 && remote.length === 0)
    return <Empty what="its FIPC channels" />;
  return (
    <div className="panel-fill scroll fipc-view">
      <section className="fipc-section">
        <ChannelTable channels={channels} names={names} selected={selected} onSelect={setSelected} />
      </section>
      <div className="fipc-columns">
        <section className="fipc-section">
          <h3 className="fipc-heading">Graph</h3>
          <ChannelGraph
            channels={channels}
            tasks={tasks}
            messages={messages}
            now={now}
            selected={selected}
            onSelect={setSelected}
          />
        </section>
        <section className="fipc-section">
          <h3 className="fipc-heading">Recent messages</h3>
          <MessageLog messages={messages} channel={selected} onClearFilter={() => setSelected(null)} />
        </section>
      </div>
      <RemoteChannels peers={remote} />
    </div>
  );
}

export function ChannelsPanel(): ReactNode {
  const live = useApp((s) => s.live);
  return (
    <ChannelsView
      channels={live?.channels ?? NONE}
      tasks={live?.tasks ?? NONE}
      messages={live?.messages ?? NONE}
      remote={live?.remote ?? NONE}
      now={live?.now ?? 0}
    />
  );
}
