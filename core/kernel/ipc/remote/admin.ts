// The control path (channel 2) over a remote link: a peer's 'ADMI' requests on binding 2 are
// checked by handleAdminRequest (admin token, HMAC over the lease, constant-time) and change what
// that peer may do to this node's channels — its policy:
//   CapBind(target, lease)   the peer may send into channel `target` (rights must include SEND), up to
//                            max_msgs messages and max_bytes bytes (0 = unlimited); this also opens
//                            channels that are not registered services
//   CapUnbind(target)        drops that lease (registered services stay reachable)
//   CapRevoke(target)        the peer may no longer send into `target`, service or not
//   RateSet(target, r, b)    at most r frames/s (burst b) from the peer on binding `target`; excess
//                            frames are dropped before the reliable layer, so the sender retransmits
//                            (slows down) instead of losing messages; r = 0 lifts the limit
import { FIPC_FIRST_USER_CHANNEL, FIPC_RIGHT_SEND } from '../../abi';
import { EINVAL, ENOENT } from '../../errno';
import type { CapabilityControl } from './control';

export interface Lease {
  lease: bigint;
  rights: number;
  maxMsgs: number;
  maxBytes: number;
  sentMsgs: number;
  sentBytes: number;
}

export type Admission = 'ok' | 'revoked' | 'no-right' | 'quota';

/** What one peer may send into which local channel. */
export class PeerPolicy {
  readonly leases = new Map<number, Lease>();
  readonly revoked = new Set<number>();
  readonly refused: Record<Exclude<Admission, 'ok'>, number> = { revoked: 0, 'no-right': 0, quota: 0 };

  /** Whether a message of `len` bytes may go into channel `id` (a service when `isService`). */
  admit(id: number, len: number, isService: boolean): Admission {
    let v: Admission = 'ok';
    const l = this.leases.get(id);
    if (this.revoked.has(id)) v = 'revoked';
    else if (l) {
      if ((l.rights & FIPC_RIGHT_SEND) === 0) v = 'no-right';
      else if (
        (l.maxMsgs !== 0 && l.sentMsgs + 1 > l.maxMsgs) ||
        (l.maxBytes !== 0 && l.sentBytes + len > l.maxBytes)
      )
        v = 'quota';
    } else if (!isService) v = 'no-right';
    if (v !== 'ok') this.refused[v]++;
    return v;
  }

  /** Counts a delivered message against the lease. */
  charge(id: number, len: number): void {
    const l = this.leases.get(id);
    if (!l) return;
    l.sentMsgs++;
    l.sentBytes += len;
  }

  /** True when a lease lets the peer send into `id` (so frames for it get a binding). */
  opens(id: number): boolean {
    return !this.revoked.has(id) && ((this.leases.get(id)?.rights ?? 0) & FIPC_RIGHT_SEND) !== 0;
  }
}

const clampU32 = (v: bigint): number => Number(v > 0xffff_ffffn ? 0xffff_ffffn : v);

/** The CapabilityControl a peer's verified admin requests act on. */
export function peerControl(
  policy: PeerPolicy,
  channelExists: (id: number) => boolean,
  setRate: (id: bigint, rate: number, burst: number) => void,
): CapabilityControl {
  const target = (t: bigint): number | null =>
    t >= BigInt(FIPC_FIRST_USER_CHANNEL) && t <= 0xffff_ffffn ? Number(t) : null;
  return {
    bind(t, lease) {
      const id = target(t);
      if (id === null) return -EINVAL;
      if (!channelExists(id)) return -ENOENT;
      policy.leases.set(id, {
        lease: lease.lease,
        rights: clampU32(lease.rights),
        maxMsgs: clampU32(lease.maxMsgs),
        maxBytes: clampU32(lease.maxBytes),
        sentMsgs: 0,
        sentBytes: 0,
      });
      policy.revoked.delete(id);
      return 0;
    },
    unbind(t) {
      const id = target(t);
      if (id === null) return -EINVAL;
      return policy.leases.delete(id) ? 0 : -ENOENT;
    },
    revoke(t) {
      const id = target(t);
      if (id === null) return -EINVAL;
      policy.leases.delete(id);
      policy.revoked.add(id);
      return 0;
    },
    setRate(t, rate, burst) {
      const id = target(t);
      if (id === null) return -EINVAL;
      setRate(t, clampU32(rate), Math.max(1, clampU32(burst)));
      return 0;
    },
  };
}
