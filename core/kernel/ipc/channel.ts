// One FIPC channel: a byte ring of framed messages, send/recv wait queues, per-task capability
// ledgers (rights + quotas) and counters. Policy (rights, blocking) lives in fipc.ts.

import { FIPC_HEADER_SIZE, FIPC_NONBLOCKING } from '../abi';
import { WaitQueue, type Blocked } from '../sched/waitq';
import { ByteRing } from './ring';
import type { FipcHeader } from './message';

/** A task's capability on a channel. Quotas of 0 mean unlimited; usage counts are cumulative. */
export interface Ledger {
  rights: number;
  maxMsgs: number;
  maxBytes: number;
  sentMsgs: number;
  sentBytes: number;
}

export interface ChannelCounters {
  sent: number;
  received: number;
  /** Payload bytes delivered into the ring. */
  bytes: number;
  /** Sends refused for a full ring, a quota or a closed channel. */
  drops: number;
}

export class Channel {
  readonly id: number;
  readonly flags: number;
  readonly ring: ByteRing;
  readonly sendQ: WaitQueue;
  readonly recvQ: WaitQueue;
  readonly ledgers = new Map<number, Ledger>();
  readonly counters: ChannelCounters = { sent: 0, received: 0, bytes: 0, drops: 0 };
  readonly creatorPid: number;
  messages = 0;
  closed = false;
  /** What a would-block send or recv returns (one object per channel, not one per call). */
  readonly sendBlocked: Blocked;
  readonly recvBlocked: Blocked;

  constructor(id: number, size: number, flags: number, creatorPid: number) {
    this.id = id;
    this.flags = flags;
    this.ring = new ByteRing(size);
    this.creatorPid = creatorPid;
    this.sendQ = new WaitQueue(`fipc${id}.send`);
    this.recvQ = new WaitQueue(`fipc${id}.recv`);
    this.sendBlocked = { blocked: this.sendQ };
    this.recvBlocked = { blocked: this.recvQ };
  }

  get nonblocking(): boolean {
    return (this.flags & FIPC_NONBLOCKING) !== 0;
  }

  rightsOf(pid: number): number {
    return this.ledgers.get(pid)?.rights ?? 0;
  }

  /** True when a message with this payload length could ever fit the ring. */
  fitsEver(len: number): boolean {
    return FIPC_HEADER_SIZE + len <= this.ring.size - 1;
  }

  fitsNow(len: number): boolean {
    return FIPC_HEADER_SIZE + len <= this.ring.free;
  }

  enqueue(h: FipcHeader, payload: Uint8Array): void {
    this.enqueueFrom(h.type, h.timestamp, h.srcPid, h.dstPid, h.capability, payload, 0, payload.length);
  }

  /**
   * Appends a message whose payload is src[off, off+len) (guest RAM for a user send): the header's
   * fields go straight into the ring, laid out as writeHeader does, with no header object or copy.
   */
  enqueueFrom(
    type: number,
    timestamp: number,
    srcPid: number,
    dstPid: number,
    capability: number,
    src: Uint8Array,
    off: number,
    len: number,
  ): void {
    const ring = this.ring;
    if (FIPC_HEADER_SIZE + len > ring.free) throw new Error(`fipc${this.id}: enqueue without room`);
    ring.writeU32(type);
    ring.writeU32(len);
    ring.writeU32(timestamp % 0x1_0000_0000);
    ring.writeU32(Math.floor(timestamp / 0x1_0000_0000));
    ring.writeU32(srcPid);
    ring.writeU32(dstPid);
    ring.writeU32(capability % 0x1_0000_0000);
    ring.writeU32(Math.floor(capability / 0x1_0000_0000));
    ring.writeFrom(src, off, len);
    this.messages++;
    this.counters.sent++;
    this.counters.bytes += len;
  }

  /** Payload length of the oldest message (the ring must not be empty). */
  headLength(): number {
    return this.ring.u32At(4); // the header's length field, read in place
  }

  /** Removes the oldest message, header included. */
  dequeue(): Uint8Array {
    const msg = new Uint8Array(FIPC_HEADER_SIZE + this.headLength());
    this.dequeueInto(msg, 0);
    return msg;
  }

  /**
   * Removes the oldest message into dst[off…] (room checked by the caller); its length in bytes.
   * payloadLen: headLength() when the caller has just read it.
   */
  dequeueInto(dst: Uint8Array, off: number, payloadLen = this.headLength()): number {
    const n = FIPC_HEADER_SIZE + payloadLen;
    this.ring.peek(dst, n, 0, off);
    this.ring.consume(n);
    this.messages--;
    this.counters.received++;
    return n;
  }
}
