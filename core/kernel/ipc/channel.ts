// One FIPC channel: a byte ring of framed messages, send/recv wait queues, per-task capability
// ledgers (rights + quotas) and counters. Policy (rights, blocking) lives in fipc.ts.

import { FIPC_HEADER_SIZE, FIPC_NONBLOCKING } from '../abi';
import { WaitQueue } from '../sched/waitq';
import { ByteRing } from './ring';
import { writeHeader, type FipcHeader } from './message';

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
  /** Scratch for an outgoing header: enqueue writes header and payload without a joined copy. */
  private readonly out = new Uint8Array(FIPC_HEADER_SIZE);
  private readonly outView = new DataView(this.out.buffer);

  constructor(id: number, size: number, flags: number, creatorPid: number) {
    this.id = id;
    this.flags = flags;
    this.ring = new ByteRing(size);
    this.creatorPid = creatorPid;
    this.sendQ = new WaitQueue(`fipc${id}.send`);
    this.recvQ = new WaitQueue(`fipc${id}.recv`);
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
    writeHeader(this.outView, h, payload.length);
    this.ring.write(this.out);
    this.ring.write(payload);
    this.messages++;
    this.counters.sent++;
    this.counters.bytes += payload.length;
  }

  /** Payload length of the oldest message (the ring must not be empty). */
  headLength(): number {
    return this.ring.u32At(4); // the header's length field, read in place
  }

  /** Removes the oldest message, header included. */
  dequeue(): Uint8Array {
    const msg = this.ring.read(FIPC_HEADER_SIZE + this.headLength());
    this.messages--;
    this.counters.received++;
    return msg;
  }
}
