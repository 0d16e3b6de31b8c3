// The live log of recent FIPC messages, newest first and capped: virtual time, channel, type in hex,
// payload size, sender → receiver. Rows are memoised by sequence number: a message never changes,
// so at 30 Hz only the rows that arrived since the last snapshot render.
import { memo, type ReactNode } from 'react';
import { formatTime, hexType, logRows } from '../fipc-log';
import type { FipcMessageInfo } from '../fipc-types';

export interface MessageLogProps {
  messages: readonly FipcMessageInfo[];
  /** Show only this channel's messages. */
  channel: number | null;
  onClearFilter: () => void;
}

function RowView({ m }: { m: FipcMessageInfo }): ReactNode {
  return (
    <tr className="fipc-msg" data-seq={m.seq}>
      <td className="num muted">{formatTime(m.time)}</td>
      <td className="num">{m.channel}</td>
      <td className="mono">{hexType(m.type)}</td>
      <td className="num">{m.size}</td>
      <td className="fipc-route">
        {m.src} <span className="muted">→</span> {m.dst}
      </td>
    </tr>
  );
}

// Each snapshot brings new message objects: compare what a row shows, not identity.
const Row = memo(
  RowView,
  (a, b) => a.m.seq === b.m.seq && a.m.time === b.m.time && a.m.src === b.m.src && a.m.dst === b.m.dst,
);

export function MessageLog({ messages, channel, onClearFilter }: MessageLogProps): ReactNode {
  const shown = logRows(messages, channel);
  return (
    <div className="fipc-log-wrap">
      {channel !== null && (
        <div className="fipc-filter small">
          Channel {channel} only{' '}
          <button type="button" className="icon-btn" onClick={onClearFilter}>
            show all
          </button>
        </div>
      )}
      {shown.length === 0 ? (
        <div className="empty small">No messages yet.</div>
      ) : (
        <table className="fipc-table fipc-log" data-testid="fipc-log">
          <thead>
            <tr>
              <th className="num">Time</th>
              <th className="num">Ch</th>
              <th>Type</th>
              <th className="num">Size</th>
              <th>From → To</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((m) => (
              <Row key={m.seq} m={m} />
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
