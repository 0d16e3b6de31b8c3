// Reliable, ordered delivery for one remote binding (one channel between two nodes), over a carrier
// that may lose, duplicate, reorder or corrupt datagrams. Data frames carry per-binding sequence
// numbers from 1; the receiver answers each with an ACK frame (flags ACK) whose `seq` is the highest
// sequence delivered in order and whose `credits` is how many further frames it will buffer. The
// sender keeps at most that many frames in flight, retransmits a frame whose ACK is overdue, and
// after `maxRetries` declares the binding failed, so a message is delivered exactly once and in
// order, or the channel reports an error. Credits also count what the receiver's reader has not
// consumed yet (`backlog`); a sender whose window is shut sends a credit probe (flags CRED, no
// message) every RTO, which the receiver answers with its current credits, so a lost window
// update cannot stall the binding.
import { FrameFlag, encodeFrame, type FipcMessage, type Frame } from './frame';

export interface ReliableOptions {
  /** Frames the receiver buffers beyond the next expected one (its advertised credits). */
  window?: number;
  /** Retransmission timeout, in the binding's clock (ms). */
  rtoMs?: number;
  /** Retransmissions of one frame before the binding fails. */
  maxRetries?: number;
  /** Frames waiting for credits before `send` refuses more (back-pressure). */
  maxQueued?: number;
  /**
   * Messages delivered but not yet consumed by whoever this binding feeds (a kernel channel that
   * was full): they count against the credits advertised, so a slow reader slows the sender.
   */
  backlog?: () => number;
  /**
   * Liveness: after this many ms without a frame from the peer, probe it every RTO; when
   * `maxRetries` probes go unanswered the binding fails, even with nothing in flight (a task
   * waiting for a reply learns that none will come). 0 or absent: off.
   */
  keepaliveMs?: number;
}

export interface BindingStats {
  sent: number;
  /** Data frames that arrived (before duplicate and order checks). */
  received: number;
  retransmits: number;
  /** Credit probes sent while the peer's window was shut. */
  probes: number;
  acksSent: number;
  acksReceived: number;
  delivered: number;
  duplicates: number;
  outOfOrder: number;
  beyondWindow: number;
}

interface InFlight {
  seq: number;
  bytes: Uint8Array;
  sentAt: number;
  retries: number;
}

export class ReliableBinding {
  readonly stats: BindingStats = {
    sent: 0,
    received: 0,
    retransmits: 0,
    probes: 0,
    acksSent: 0,
    acksReceived: 0,
    delivered: 0,
    duplicates: 0,
    outOfOrder: 0,
    beyondWindow: 0,
  };
  /** Set when the peer stopped acknowledging; no further sends are accepted. */
  error: string | null = null;

  private readonly window: number;
  private readonly rtoMs: number;
  private readonly maxRetries: number;
  private readonly maxQueued: number;
  private readonly backlog: () => number;
  private lastAdvertised: number;
  private lastProbe = 0;
  /** When the peer was last heard from, at tick resolution (NaN before the first tick). */
  private lastHeard = NaN;
  private heardSinceTick = false;
  private readonly keepaliveMs: number;

  private nextSeq = 1;
  private peerAcked = 0;
  private peerCredits: number;
  private readonly inFlight = new Map<number, InFlight>();
  private readonly waiting: FipcMessage[] = [];

  private delivered = 0;
  private readonly buffered = new Map<number, FipcMessage>();
  private now = 0;

  constructor(
    readonly channelId: bigint,
    private readonly transmit: (datagram: Uint8Array) => void,
    private readonly deliver: (message: FipcMessage) => void,
    options: ReliableOptions = {},
  ) {
    this.window = options.window ?? 32;
    this.rtoMs = options.rtoMs ?? 50;
    this.maxRetries = options.maxRetries ?? 20;
    this.maxQueued = options.maxQueued ?? 1024;
    this.backlog = options.backlog ?? (() => 0);
    this.keepaliveMs = options.keepaliveMs ?? 0;
    this.peerCredits = this.window;
    this.lastAdvertised = this.window;
  }

  /** Sequence number of the next data frame, the highest acknowledged, and the peer's credits. */
  get sequence(): {
    next: number;
    acked: number;
    credits: number;
    inFlight: number;
    queued: number;
    delivered: number;
    advertised: number;
  } {
    return {
      next: this.nextSeq,
      acked: this.peerAcked,
      credits: this.peerCredits,
      inFlight: this.inFlight.size,
      queued: this.waiting.length,
      delivered: this.delivered,
      advertised: this.lastAdvertised,
    };
  }

  /** Queues a message; false when the binding failed or too much is already waiting. */
  send(message: FipcMessage): boolean {
    if (this.error !== null || this.waiting.length >= this.maxQueued) return false;
    this.waiting.push(message);
    this.pumpSends();
    return true;
  }

  /** Handles a frame that arrived (already decoded and CRC-checked) for this binding. */
  receive(frame: Frame): void {
    this.heardSinceTick = true;
    if (frame.flags & FrameFlag.Ack) {
      this.onAck(frame.seq, frame.credits);
      return;
    }
    if (!frame.message) {
      if (frame.flags & FrameFlag.Cred) this.sendAck(); // a credit probe: say what we can take
      return;
    }
    this.stats.received++;
    const seq = frame.seq;
    if (seq <= this.delivered) {
      this.stats.duplicates++;
    } else if (seq > this.delivered + 1 + this.window) {
      this.stats.beyondWindow++;
    } else if (seq === this.delivered + 1) {
      this.accept(frame.message);
      for (
        let next = this.buffered.get(this.delivered + 1);
        next;
        next = this.buffered.get(this.delivered + 1)
      ) {
        this.buffered.delete(this.delivered + 1);
        this.accept(next);
      }
    } else if (this.buffered.has(seq)) {
      this.stats.duplicates++;
    } else {
      this.stats.outOfOrder++;
      this.buffered.set(seq, frame.message);
    }
    this.sendAck();
  }

  /** Advances the binding's clock: retransmits overdue frames, fails after too many tries. */
  tick(nowMs: number): void {
    this.now = nowMs;
    if (this.error !== null) return;
    if (Number.isNaN(this.lastHeard)) {
      // The first tick: frames sent before it were stamped with no clock yet.
      for (const f of this.inFlight.values()) f.sentAt = nowMs;
    }
    if (this.heardSinceTick || Number.isNaN(this.lastHeard)) {
      this.lastHeard = nowMs;
      this.heardSinceTick = false;
    }
    const shut = this.waiting.length > 0 && this.nextSeq > this.peerAcked + this.peerCredits;
    const silent = this.keepaliveMs > 0 && nowMs - this.lastHeard >= this.keepaliveMs;
    if (silent && nowMs - this.lastHeard >= this.keepaliveMs + this.rtoMs * this.maxRetries) {
      this.fail(`peer silent for ${nowMs - this.lastHeard} ms`);
      return;
    }
    if ((shut || silent) && this.inFlight.size === 0 && nowMs - this.lastProbe >= this.rtoMs) {
      this.lastProbe = nowMs;
      this.stats.probes++;
      this.transmit(
        encodeFrame({ flags: FrameFlag.Cred, seq: 0, credits: 0, channelId: this.channelId, message: null }),
      );
    }
    for (const f of this.inFlight.values()) {
      if (nowMs - f.sentAt < this.rtoMs) continue;
      if (f.retries >= this.maxRetries) {
        this.fail(`peer did not acknowledge seq ${f.seq} after ${f.retries} retransmissions`);
        return;
      }
      f.retries++;
      f.sentAt = nowMs;
      this.stats.retransmits++;
      this.transmit(f.bytes);
    }
  }

  /** Tells the peer that the window opened again (after the reader caught up with a backlog). */
  announce(): void {
    if (this.credits() > this.lastAdvertised) this.sendAck();
  }

  /** True when everything sent was acknowledged. */
  get idle(): boolean {
    return this.inFlight.size === 0 && this.waiting.length === 0;
  }

  private accept(message: FipcMessage): void {
    this.delivered++;
    this.stats.delivered++;
    this.deliver(message);
  }

  private credits(): number {
    return Math.max(0, this.window - this.buffered.size - this.backlog());
  }

  private sendAck(): void {
    this.stats.acksSent++;
    const credits = this.credits();
    this.lastAdvertised = credits;
    this.transmit(
      encodeFrame({
        flags: FrameFlag.Ack | FrameFlag.Cred,
        seq: this.delivered,
        credits,
        channelId: this.channelId,
        message: null,
      }),
    );
  }

  private onAck(ackSeq: number, credits: number): void {
    this.stats.acksReceived++;
    if (ackSeq >= this.nextSeq) return; // acknowledges something never sent: ignore
    if (ackSeq >= this.peerAcked) {
      for (let s = this.peerAcked + 1; s <= ackSeq; s++) this.inFlight.delete(s);
      this.peerAcked = ackSeq;
      this.peerCredits = Math.min(credits, this.window * 4);
    }
    this.pumpSends();
  }

  private pumpSends(): void {
    while (this.waiting.length > 0 && this.nextSeq <= this.peerAcked + this.peerCredits) {
      const message = this.waiting.shift()!;
      const seq = this.nextSeq++;
      const bytes = encodeFrame({ flags: 0, seq, credits: this.window, channelId: this.channelId, message });
      this.inFlight.set(seq, { seq, bytes, sentAt: this.now, retries: 0 });
      this.stats.sent++;
      this.transmit(bytes);
    }
  }

  private fail(reason: string): void {
    this.error = reason;
    this.inFlight.clear();
    this.waiting.length = 0;
  }
}
