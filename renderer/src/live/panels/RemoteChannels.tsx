// Remote FIPC: the "Link to node" form (fipc.link), then each peer node with its link counters
// (drops, CRC errors, refused messages) and its channels' sequence numbers, credits and
// retransmissions. The peers' part (fipc-remote) is rendered only when there are peers.
import type { ReactNode } from 'react';
import type { RemotePeerInfo } from '../fipc-types';
import { FipcLinkForm } from './FipcLinkForm';

export function RemoteChannels({ peers }: { peers: readonly RemotePeerInfo[] }): ReactNode {
  return (
    <section className="fipc-section fipc-remote-area">
      <h3 className="fipc-heading">Remote</h3>
      <FipcLinkForm peers={peers} />
      {peers.length > 0 && <RemotePeers peers={peers} />}
    </section>
  );
}

function RemotePeers({ peers }: { peers: readonly RemotePeerInfo[] }): ReactNode {
  return (
    <div className="fipc-remote" data-testid="fipc-remote">
      {peers.map((p) => {
        const reasons = Object.entries(p.dropReasons)
          .map(([k, n]) => `${k} ${n}`)
          .join(', ');
        return (
          <div className="card fipc-peer" key={`${p.node}-${p.peer}`} data-peer={p.peer}>
            <div className="card-head">
              <strong>
                {p.node} ↔ {p.peer}
              </strong>
              <span className={p.crcErrors > 0 ? 'warn' : 'muted'}>CRC errors {p.crcErrors}</span>
              <span className={p.drops > 0 ? 'warn' : 'muted'} title={reasons || undefined}>
                drops {p.drops}
                {reasons ? ` (${reasons})` : ''}
              </span>
              {p.refused > 0 && <span className="warn">refused {p.refused}</span>}
            </div>
            {p.channels.length === 0 ? (
              <div className="muted small">No channels bound yet.</div>
            ) : (
              <table className="fipc-table">
                <thead>
                  <tr>
                    <th className="num">Ch</th>
                    <th>Role</th>
                    <th>Service</th>
                    <th className="num" title="next to send / acked by the peer / delivered from it">
                      Seq tx/ack/rx
                    </th>
                    <th className="num" title="granted by the peer / granted to it">
                      Credits
                    </th>
                    <th className="num">In flight</th>
                    <th className="num">Sent</th>
                    <th className="num">Recv</th>
                    <th className="num">Retx</th>
                    <th className="num">Dups</th>
                    <th>Error</th>
                  </tr>
                </thead>
                <tbody>
                  {p.channels.map((c) => (
                    <tr key={c.channelId} className="fipc-remote-ch">
                      <td className="num">{c.channelId}</td>
                      <td>{c.role}</td>
                      <td>
                        {c.service ?? '—'}
                        {c.localChannel !== null && <span className="muted"> (local {c.localChannel})</span>}
                      </td>
                      <td className="num mono">
                        {c.nextSeq}/{c.ackedSeq}/{c.deliveredSeq}
                      </td>
                      <td className="num mono">
                        {c.peerCredits}/{c.ownCredits}
                      </td>
                      <td className="num">{c.inFlight}</td>
                      <td className="num">{c.sent}</td>
                      <td className="num">{c.received}</td>
                      <td className={`num${c.retransmits > 0 ? ' warn' : ''}`}>{c.retransmits}</td>
                      <td className="num">{c.duplicates}</td>
                      <td className={c.error ? 'err' : 'muted'}>{c.error ?? ''}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </div>
        );
      })}
    </div>
  );
}
