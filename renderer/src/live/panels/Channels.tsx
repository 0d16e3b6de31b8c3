// FIPC channels: endpoints, rights, queue depth and message counters.
import type { ReactNode } from 'react';
import { useApp } from '../../ui/context';
import type { ChannelInfo } from '../types';
import { Empty } from './Empty';

export interface ChannelsViewProps {
  channels: readonly ChannelInfo[];
}

export function ChannelsView({ channels }: ChannelsViewProps): ReactNode {
  if (channels.length === 0) return <Empty what="its FIPC channels" />;
  return (
    <div className="panel-fill scroll">
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
          {channels.map((c) => (
            <tr key={c.id}>
              <td className="num">{c.id}</td>
              <td>
                {c.endpoints[0]} ⇄ {c.endpoints[1]}
              </td>
              <td className="mono">{c.rights}</td>
              <td className="num">{c.queued}</td>
              <td className="num">{c.sent}</td>
              <td className="num">{c.received}</td>
              <td className={`num${c.dropped > 0 ? ' warn' : ''}`}>{c.dropped}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function ChannelsPanel(): ReactNode {
  const live = useApp((s) => s.live);
  return <ChannelsView channels={live?.channels ?? []} />;
}
