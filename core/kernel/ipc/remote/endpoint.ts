// One node's end of a link to a peer: decodes every datagram, drops and counts malformed ones by
// reason, and routes good frames to the reliable binding of their channel.
import type { Carrier } from './carrier';
import { decodeFrame, encodeFrame, FrameFlag, type DropReason, type FipcMessage } from './frame';
import { ReliableBinding, type ReliableOptions } from './reliable';
import { TokenBucket } from './token-bucket';

export type DropCounts = Record<DropReason | 'unbound' | 'rateLimited', number>;

export interface EndpointOptions extends ReliableOptions {
  /** Inbound frames per second each binding accepts from the peer (and the burst above it). */
  rateLimit?: { framesPerSecond: number; burst: number };
}

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
    rateLimited: 0,
  };
  private readonly bindings = new Map<bigint, ReliableBinding>();
  private readonly buckets = new Map<bigint, TokenBucket>();
  private now = 0;

  constructor(
    readonly carrier: Carrier,
    private readonly options: EndpointOptions = {},
  ) {
    carrier.onDatagram((d) => this.onDatagram(d));
  }

  /**
   * Called with the channel id of a good frame that has no binding; it may bind the id (a node
   * exporting a service on first use). Frames still unbound afterwards are dropped and counted.
   */
  onUnbound: ((channelId: bigint) => void) | null = null;
  /** Called when the peer says it is leaving (a FIN frame). */
  onFin: (() => void) | null = null;

  /** Binds a channel id; messages arriving for it go to `deliver`, in order, once each. */
  bind(
    channelId: bigint,
    deliver: (m: FipcMessage) => void,
    extra: Partial<ReliableOptions> = {},
  ): ReliableBinding {
    const existing = this.bindings.get(channelId);
    if (existing) return existing;
    const b = new ReliableBinding(channelId, (d) => this.carrier.send(d), deliver, {
      ...this.options,
      ...extra,
    });
    this.bindings.set(channelId, b);
    const rl = this.options.rateLimit;
    if (rl) this.buckets.set(channelId, new TokenBucket(rl.framesPerSecond, rl.burst, this.now));
    return b;
  }

  /** Sets (rate > 0) or lifts (rate 0) the inbound frame rate limit of one binding. */
  setRate(channelId: bigint, framesPerSecond: number, burst: number): void {
    if (framesPerSecond > 0) this.buckets.set(channelId, new TokenBucket(framesPerSecond, burst, this.now));
    else this.buckets.delete(channelId);
  }

  binding(channelId: bigint): ReliableBinding | undefined {
    return this.bindings.get(channelId);
  }

  get allBindings(): ReadonlyMap<bigint, ReliableBinding> {
    return this.bindings;
  }

  tick(nowMs: number): void {
    this.now = nowMs;
    for (const b of this.bindings.values()) b.tick(nowMs);
  }

  /** Tells the peer this end is leaving the link. */
  sayGoodbye(): void {
    this.carrier.send(
      encodeFrame({ flags: FrameFlag.Fin, seq: 0, credits: 0, channelId: 0n, message: null }),
    );
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
    if (decoded.frame.flags & FrameFlag.Fin) {
      this.onFin?.();
      return;
    }
    let b = this.bindings.get(decoded.frame.channelId);
    if (!b && this.onUnbound) {
      this.onUnbound(decoded.frame.channelId);
      b = this.bindings.get(decoded.frame.channelId);
    }
    if (!b) {
      this.drops.unbound++;
      return;
    }
    const bucket = this.buckets.get(decoded.frame.channelId);
    if (bucket && !bucket.take(this.now)) {
      this.drops.rateLimited++;
      return;
    }
    b.receive(decoded.frame);
  }
}
