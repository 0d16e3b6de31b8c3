// The kernel's log of recent FIPC messages, for the IDE's FIPC view: a fixed ring of the last few
// hundred sends (sequence number, virtual time, channel, type, size, sender and receiver). The send
// path writes one slot of preallocated typed arrays and allocates nothing; records are built only
// when a snapshot asks for them.
import { FIPC_RIGHT_RECV } from '../abi';

/** How many messages the kernel remembers (a power of two: the slot is seq & mask). */
export const MSGLOG_CAPACITY = 256;

/** No receiving task (a channel nobody else can read, or one whose readers are gone). */
export const NO_PID = -1;

export interface LoggedMessage {
  /** 1 for the first message since boot, then consecutive. */
  seq: number;
  /** Virtual milliseconds since boot when it was sent. */
  timeMs: number;
  channel: number;
  type: number;
  /** Payload bytes. */
  size: number;
  srcPid: number;
  /** The receiving endpoint's owner, or NO_PID. */
  dstPid: number;
}

/** What the log needs of a channel: its capability holders (pid → rights). */
interface Holders {
  readonly id: number;
  readonly ledgers: ReadonlyMap<number, { rights: number }>;
}

/**
 * The task that will receive a message `src` sends on a channel: the addressed pid when the header
 * names one, else the first holder of RECV other than the sender (the sender itself for a channel
 * only it can read), or NO_PID.
 */
export function receiverOf(ch: Holders, src: number, addressed = 0): number {
  if (addressed > 0) return addressed;
  let self = NO_PID;
  // keys() and get() rather than entries: every send runs this, and the entry pairs were its
  // garbage (most of the kernel's allocation in a FIPC ping-pong).
  const ledgers = ch.ledgers;
  for (const pid of ledgers.keys()) {
    if ((ledgers.get(pid)!.rights & FIPC_RIGHT_RECV) === 0) continue;
    if (pid !== src) return pid;
    self = pid;
  }
  return self;
}

export class MsgLog {
  readonly capacity: number;
  /** Messages recorded since boot (the last one's seq). */
  total = 0;
  private readonly mask: number;
  private readonly times: Float64Array;
  private readonly channels: Int32Array;
  private readonly types: Uint32Array;
  private readonly sizes: Uint32Array;
  private readonly srcs: Int32Array;
  private readonly dsts: Int32Array;

  constructor(capacity = MSGLOG_CAPACITY) {
    if (!Number.isInteger(capacity) || capacity < 1 || (capacity & (capacity - 1)) !== 0)
      throw new RangeError(`MsgLog capacity must be a power of two, not ${capacity}`);
    this.capacity = capacity;
    this.mask = capacity - 1;
    this.times = new Float64Array(capacity);
    this.channels = new Int32Array(capacity);
    this.types = new Uint32Array(capacity);
    this.sizes = new Uint32Array(capacity);
    this.srcs = new Int32Array(capacity);
    this.dsts = new Int32Array(capacity);
  }

  /** Records one send on `ch` (the hook in Fipc: a slot write, no allocation). */
  record(ch: Holders, src: number, type: number, size: number, timeMs: number, addressed = 0): void {
    const i = this.total & this.mask;
    this.total++;
    this.times[i] = timeMs;
    this.channels[i] = ch.id;
    this.types[i] = type;
    this.sizes[i] = size;
    this.srcs[i] = src;
    this.dsts[i] = receiverOf(ch, src, addressed);
  }

  /** Sequence number of the oldest message still held (total + 1 when empty). */
  get oldestSeq(): number {
    return Math.max(1, this.total - this.capacity + 1);
  }

  /**
   * Up to `max` of the newest messages with a seq above `afterSeq`, oldest first (messages that
   * have already left the ring are simply missing: the caller sees the gap in seq).
   */
  recent(max = this.capacity, afterSeq = 0): LoggedMessage[] {
    const from = Math.max(this.oldestSeq, afterSeq + 1, this.total - Math.max(0, max) + 1);
    const out: LoggedMessage[] = [];
    for (let seq = from; seq <= this.total; seq++) {
      const i = (seq - 1) & this.mask;
      out.push({
        seq,
        timeMs: this.times[i]!,
        channel: this.channels[i]!,
        type: this.types[i]!,
        size: this.sizes[i]!,
        srcPid: this.srcs[i]!,
        dstPid: this.dsts[i]!,
      });
    }
    return out;
  }
}
