// The state of a kernel's remote channels as plain data (numbers, strings, booleans, arrays: JSON
// as is), for the session protocol and the IDE's FIPC view: per peer its link counters (drops by
// reason, CRC errors), per channel the sequence numbers, credits and retransmissions.
import type { Kernel } from '../../boot/kernel';
import { bridgeOf, type RemoteBridge } from './bridge';
import type { DropCounts } from './endpoint';
import { REGISTRY_BINDING } from './node';

export interface RemoteChannelSnapshot {
  /** The binding's channel id on the wire (the channel's id on the peer for imports). */
  channelId: number;
  /** 'import': a local proxy of a peer's service; 'export': a local service the peer sends into;
   *  'registry': the signed registry traffic (and control requests, binding 2); 'binding': bound but
   *  not used yet. */
  role: 'import' | 'export' | 'registry' | 'binding';
  /** The service name (imports: the name looked up; exports: the local service). */
  service: string | null;
  /** The local kernel channel: the proxy for imports, the service channel for exports. */
  localChannel: number | null;
  /** Next sequence number to send, highest acknowledged by the peer, highest delivered from it. */
  nextSeq: number;
  ackedSeq: number;
  deliveredSeq: number;
  /** Credits the peer last advertised, and the credits this node last advertised. */
  peerCredits: number;
  ownCredits: number;
  inFlight: number;
  queued: number;
  /** Messages from the peer waiting for room in the local channel. */
  backlog: number;
  sent: number;
  received: number;
  delivered: number;
  retransmits: number;
  duplicates: number;
  outOfOrder: number;
  beyondWindow: number;
  /** Messages from the peer that had nowhere to go. */
  undeliverable: number;
  /** Why the binding failed (the channel then reports DISCONNECT), or null. */
  error: string | null;
}

export interface RemotePeerSnapshot {
  /** This node and the peer, by name. */
  node: string;
  peer: string;
  /** Frames dropped before reaching a binding, by reason ('crc' = payload CRC, 'header' = header check). */
  drops: DropCounts;
  /** drops.crc + drops.header: frames whose checksums did not match. */
  crcErrors: number;
  /** Messages the control path's policy refused (revoked channel, no SEND right, quota spent). */
  refused: { revoked: number; noRight: number; quota: number };
  channels: RemoteChannelSnapshot[];
}

/** Every peer of the kernel's bridge and its channels; [] for a kernel without remote links. */
export function remoteChannelsSnapshot(kernel: Kernel): RemotePeerSnapshot[] {
  const bridge = bridgeOf(kernel);
  return bridge ? bridgeSnapshot(bridge) : [];
}

export function bridgeSnapshot(bridge: RemoteBridge): RemotePeerSnapshot[] {
  return bridge.node.peerNames.map((peer) => {
    const ep = bridge.node.peer(peer)!;
    const refused = bridge.policy(peer).refused;
    const channels: RemoteChannelSnapshot[] = [];
    for (const [id, b] of ep.allBindings) {
      const route = bridge.routes.get(`${peer}/${id}`);
      const seq = b.sequence;
      const st = b.stats;
      let role: RemoteChannelSnapshot['role'] = 'binding';
      let service: string | null = null;
      let localChannel: number | null = null;
      if (id === REGISTRY_BINDING || id === 2n) role = 'registry';
      else if (route?.proxy) {
        role = 'import';
        service = route.proxy.name;
        localChannel = route.proxy.localId;
      } else if (route?.exportedTo != null) {
        role = 'export';
        localChannel = route.exportedTo;
        service = bridge.serviceOf(route.exportedTo);
      }
      channels.push({
        channelId: Number(id),
        role,
        service,
        localChannel,
        nextSeq: seq.next,
        ackedSeq: seq.acked,
        deliveredSeq: seq.delivered,
        peerCredits: seq.credits,
        ownCredits: seq.advertised,
        inFlight: seq.inFlight,
        queued: seq.queued,
        backlog: route?.backlog.length ?? 0,
        sent: st.sent,
        received: st.received,
        delivered: st.delivered,
        retransmits: st.retransmits,
        duplicates: st.duplicates,
        outOfOrder: st.outOfOrder,
        beyondWindow: st.beyondWindow,
        undeliverable: route?.undeliverable ?? 0,
        error: b.error,
      });
    }
    return {
      node: bridge.name,
      peer,
      drops: { ...ep.drops },
      crcErrors: ep.drops.crc + ep.drops.header,
      refused: { revoked: refused.revoked, noRight: refused['no-right'], quota: refused.quota },
      channels,
    };
  });
}
