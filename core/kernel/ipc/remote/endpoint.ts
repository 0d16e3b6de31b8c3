// One node's end of a link to a peer: decodes every datagram, drops and counts malformed ones by
// reason, and routes good frames to the reliable binding of their channel.
import type { Carrier } from './carrier';
import { decodeFrame, type DropReason, type FipcMessage } from './frame';
import { ReliableBinding, type ReliableOptions } from './reliable';

export type DropCounts = Record<DropReason | 'unbound', number>;

export class RemoteEndpoint {
  readonly drops: DropCounts = {
    short: 0,
    magic: 0,
    version: 0,
    length: 0,
    crc: 0,
    header: 0,
    message: 0,
    unbound: 0,
  };
  private readonly bindings = new Map<bigint, ReliableBinding>();

  constructor(
    private readonly carrier: Carrier,
    private readonly options: ReliableOptions = {},
  ) {
    carrier.onDatagram((d) => this.onDatagram(d));
  }

  /** Binds a channel id; messages arriving for it go to `deliver`, in order, once each. */
  bind(channelId: bigint, deliver: (m: FipcMessage) => void): ReliableBinding {
    const existing = this.bindings.get(channelId);
    if (existing) return existing;
    const b = new ReliableBinding(channelId, (d) => this.carrier.send(d), deliver, this.options);
    this.bindings.set(channelId, b);
    return b;
  }

  binding(channelId: bigint): ReliableBinding | undefined {
    return this.bindings.get(channelId);
  }

  get allBindings(): ReadonlyMap<bigint, ReliableBinding> {
    return this.bindings;
  }

  tick(nowMs: number): void {
    for (const b of this.bindings.values()) b.tick(nowMs);
  }

  get totalDrops(): number {
    let n = 0;
    for (const v of Object.values(this.drops)) n += v;
    return n;
  }

  private onDatagram(d: Uint8Array): void {
    const decoded = decodeFrame(d);
    if (!decoded.ok) {
      this.drops[decoded.reason]++;
      return;
    }
    const b = this.bindings.get(decoded.frame.channelId);
    if (!b) {
      this.drops.unbound++;
      return;
    }
    b.receive(decoded.frame);
  }
}
