// Reliable, ordered delivery for one remote binding (one channel between two nodes), over a carrier
// that may lose, duplicate, reorder or corrupt datagrams. Data frames carry per-binding sequence
// numbers from 1; the receiver answers each with an ACK frame (flags ACK) whose `seq` is the highest
// sequence delivered in order and whose `credits` is how many further frames it will buffer. The
// sender keeps at most that many frames in flight, retransmits a frame whose ACK is overdue, and
// after `maxRetries` declares the binding failed, so a message is delivered exactly once and in
// order, or the channel reports an error.
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
}

export interface BindingStats {
  sent: number;
  /** Data frames that arrived (before duplicate and order checks). */
  received: number;
  retransmits: number;
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
    this.peerCredits = this.window;
  }

  /** Sequence number of the next data frame, the highest acknowledged, and the peer's credits. */
  get sequence(): { next: number; acked: number; credits: number; inFlight: number; queued: number } {
    return {
      next: this.nextSeq,
      acked: this.peerAcked,
      credits: this.peerCredits,
      inFlight: this.inFlight.size,
      queued: this.waiting.length,
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
    if (frame.flags & FrameFlag.Ack) {
      this.onAck(frame.seq, frame.credits);
      return;
    }
    if (!frame.message) return;
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

  /** True when everything sent was acknowledged. */
  get idle(): boolean {
    return this.inFlight.size === 0 && this.waiting.length === 0;
  }

  private accept(message: FipcMessage): void {
    this.delivered++;
    this.stats.delivered++;
    this.deliver(message);
  }

  private sendAck(): void {
    this.stats.acksSent++;
    const credits = this.window - this.buffered.size;
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
