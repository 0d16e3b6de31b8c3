// "Link to node [127.0.0.1]:[7411] [Link]": joins the running machine's kernel to a Futura node
// (`futura fipc serve`) on this machine, or unlinks it, with the session's status or error. The
// link ends with the machine, so "linked" is shown only while the snapshot still lists the peer.
import { useSyncExternalStore, type ReactNode } from 'react';
import { useStudio } from '../../ui/context';
import type { RemotePeerInfo } from '../fipc-types';

export function FipcLinkForm({ peers }: { peers: readonly RemotePeerInfo[] }): ReactNode {
  const control = useStudio().fipcLink;
  const st = useSyncExternalStore(control.subscribe, control.get);
  const peer = st.status.linked ? peers.find((p) => p.peer === st.status.peer) : undefined;
  const linked = peer !== undefined;
  // A node that stopped answering fails the registry binding (after its retries): say so.
  const lost = peer?.channels.find((c) => c.role === 'registry' && c.error !== null)?.error ?? null;
  const line = st.busy
    ? st.status.linked
      ? 'unlinking…'
      : `linking to ${st.host}:${st.port}…`
    : (st.error ??
      (lost !== null
        ? `the node stopped answering (${lost})`
        : linked
          ? st.status.message
          : st.status.linked
            ? 'the link ended'
            : 'not linked'));
  return (
    <form
      className="fipc-link small"
      data-testid="fipc-link"
      onSubmit={(e) => {
        e.preventDefault();
        void (linked ? control.unlink() : control.link());
      }}
    >
      <span>Link to node </span>
      <span className="mono">{st.host}:</span>
      <input
        className="fipc-link-port mono"
        type="number"
        min={1}
        max={65535}
        value={linked && st.status.port !== null ? st.status.port : st.port}
        disabled={linked || st.busy}
        onChange={(e) => control.setPort(Number(e.target.value))}
        aria-label="Node UDP port"
        style={{ width: '6em' }}
      />{' '}
      <button type="submit" disabled={st.busy} data-testid="fipc-link-button">
        {linked ? 'Unlink' : 'Link'}
      </button>
      <span className={st.error || lost !== null ? 'err' : 'muted'} data-testid="fipc-link-status">
        {' '}
        {line}
      </span>
    </form>
  );
}
