// The FIPC core as the syscall layer sees it (ABI.md §FIPC, syscalls 600–607): channels by id,
// per-task rights (deny by default), quotas, the service registry, and blocking expressed as
// results: -EAGAIN for non-blocking channels, or { blocked: queue } to sleep on and then retry.

import {
  FIPC_BLOCKING,
  FIPC_CHANNEL_CONTROL,
  FIPC_CHANNEL_METRICS,
  FIPC_EVENT_DISCONNECT,
  FIPC_EVENT_MESSAGE,
  FIPC_FIRST_USER_CHANNEL,
  FIPC_HEADER_SIZE,
  FIPC_MAX_PAYLOAD,
  FIPC_NONBLOCKING,
  FIPC_QUEUE_DEFAULT,
  FIPC_QUEUE_MAX,
  FIPC_QUEUE_MIN,
  FIPC_RECV_MAX,
  FIPC_RECV_MIN,
  FIPC_RIGHT_ADMIN,
  FIPC_RIGHT_RECV,
  FIPC_RIGHT_SEND,
} from '../abi';
import { EAGAIN, EEXIST, EINVAL, ENOENT, ENOSPC, EPERM, EPIPE } from '../errno';
import type { Blocked, WaitQueue } from '../sched/waitq';
import { Channel, type ChannelCounters } from './channel';
import { MsgLog } from './msglog';

export const FIPC_ALL_RIGHTS = 15;
/** The kernel's own pid: holder of the reserved channels. */
export const KERNEL_PID = 0;
export const SERVICE_NAME_MAX = 63;

export interface FipcOptions {
  /** Milliseconds on the virtual clock, stamped into message headers. */
  now?: () => number;
  /** Called with each thread id taken off a channel's wait queue; the scheduler makes it ready. */
  wake?: (tid: number) => void;
}

export interface ChannelSnapshot {
  id: number;
  size: number;
  used: number;
  messages: number;
  nonblocking: boolean;
  closed: boolean;
  creatorPid: number;
  counters: ChannelCounters;
  holders: { pid: number; rights: number }[];
  sendWaiters: number[];
  recvWaiters: number[];
  services: string[];
}

export class Fipc {
  private readonly channels = new Map<number, Channel>();
  private readonly services = new Map<string, number>();
  private nextId = FIPC_FIRST_USER_CHANNEL;
  /** Messages ever enqueued / dequeued on any channel (destroyed ones included). */
  messagesSent = 0;
  messagesReceived = 0;
  /** The last few hundred sends, for the IDE's FIPC view. */
  readonly log = new MsgLog();
  private readonly now: () => number;
  private readonly wakeFn: (tid: number) => void;

  constructor(opts: FipcOptions = {}) {
    this.now = opts.now ?? (() => 0);
    this.wakeFn = opts.wake ?? (() => {});
    for (const id of [FIPC_CHANNEL_METRICS, FIPC_CHANNEL_CONTROL]) {
      const ch = new Channel(id, 4096, FIPC_NONBLOCKING, KERNEL_PID);
      ch.ledgers.set(KERNEL_PID, this.ledger(FIPC_ALL_RIGHTS));
      this.channels.set(id, ch);
    }
  }

  /** fipc_create(flags, queueBytes) → channel id; the creator holds SEND|RECV|ADMIN. */
  create(pid: number, flags: number, queueBytes: number): number {
    if (flags & ~(FIPC_BLOCKING | FIPC_NONBLOCKING) || flags === (FIPC_BLOCKING | FIPC_NONBLOCKING))
      return -EINVAL;
    const size = queueBytes === 0 ? FIPC_QUEUE_DEFAULT : queueBytes;
    if (!Number.isInteger(size) || size < FIPC_QUEUE_MIN || size > FIPC_QUEUE_MAX) return -EINVAL;
    const id = this.nextId++;
    const ch = new Channel(id, size, flags, pid);
    ch.ledgers.set(pid, this.ledger(FIPC_RIGHT_SEND | FIPC_RIGHT_RECV | FIPC_RIGHT_ADMIN));
    this.channels.set(id, ch);
    return id;
  }

  /** fipc_send: 0, -errno, or Blocked (a full blocking channel). */
  send(pid: number, id: number, type: number, payload: Uint8Array, dstPid = 0): number | Blocked {
    return this.sendFrom(pid, id, type, payload, 0, payload.length, dstPid);
  }

  /** send() with the payload src[off, off+len) (the syscall passes guest RAM: no copy-in buffer). */
  sendFrom(
    pid: number,
    id: number,
    type: number,
    src: Uint8Array,
    off: number,
    len: number,
    dstPid = 0,
  ): number | Blocked {
    const ch = this.channels.get(id);
    if (!ch) return -ENOENT;
    const led = ch.ledgers.get(pid);
    if (!led || (led.rights & FIPC_RIGHT_SEND) === 0) return -EPERM;
    if (len > FIPC_MAX_PAYLOAD || !ch.fitsEver(len)) return -EINVAL;
    if (ch.closed) return this.drop(ch, -EPIPE);
    if (
      (led.maxMsgs !== 0 && led.sentMsgs + 1 > led.maxMsgs) ||
      (led.maxBytes !== 0 && led.sentBytes + len > led.maxBytes)
    )
      return this.drop(ch, -ENOSPC);
    if (!ch.fitsNow(len)) {
      if (ch.nonblocking) return this.drop(ch, -EAGAIN);
      return ch.sendBlocked;
    }
    ch.enqueueFrom(type, this.now(), pid, dstPid, led.rights, src, off, len);
    led.sentMsgs++;
    led.sentBytes += len;
    this.messagesSent++;
    this.log.record(ch, pid, type, len, this.now(), dstPid);
    this.wakeAll(ch.recvQ);
    return 0;
  }

  /** fipc_recv: the message (header + payload), -errno, or Blocked (an empty blocking channel). */
  recv(pid: number, id: number, bufLen: number): Uint8Array | number | Blocked {
    const ch = this.receivable(pid, id, bufLen);
    if (!(ch instanceof Channel)) return ch;
    if (FIPC_HEADER_SIZE + ch.headLength() > bufLen) return -EINVAL; // the message stays queued
    const msg = ch.dequeue();
    this.received(ch);
    return msg;
  }

  /**
   * recv() copying the message into dst[off…] (guest RAM the caller checked has bufLen bytes of
   * room): its length, -errno, or Blocked.
   */
  recvInto(pid: number, id: number, bufLen: number, dst: Uint8Array, off: number): number | Blocked {
    const ch = this.receivable(pid, id, bufLen);
    if (!(ch instanceof Channel)) return ch;
    const len = ch.headLength();
    if (FIPC_HEADER_SIZE + len > bufLen) return -EINVAL; // the message stays queued
    const n = ch.dequeueInto(dst, off, len);
    this.received(ch);
    return n;
  }

  /** recv's checks up to the message's size: the channel when it holds a message for the caller. */
  private receivable(pid: number, id: number, bufLen: number): Channel | number | Blocked {
    const ch = this.channels.get(id);
    if (!ch) return -ENOENT;
    if ((ch.rightsOf(pid) & FIPC_RIGHT_RECV) === 0) return -EPERM;
    if (bufLen < FIPC_RECV_MIN || bufLen > FIPC_RECV_MAX) return -EINVAL;
    if (ch.messages === 0) {
      if (ch.closed) return -EPIPE;
      if (ch.nonblocking) return -EAGAIN;
      return ch.recvBlocked;
    }
    return ch; // the caller checks the oldest message fits bufLen
  }

  private received(ch: Channel): void {
    this.messagesReceived++;
    this.wakeAll(ch.sendQ);
  }

  /** fipc_close: drops the caller's rights; an ADMIN holder closing disconnects the channel for all. */
  close(pid: number, id: number): number {
    const ch = this.channels.get(id);
    if (!ch) return -ENOENT;
    if (id < FIPC_FIRST_USER_CHANNEL && pid !== KERNEL_PID) return -EPERM;
    const rights = ch.rightsOf(pid);
    if (rights === 0) return -EPERM;
    ch.ledgers.delete(pid);
    if (rights & FIPC_RIGHT_ADMIN) this.disconnect(ch);
    if (ch.ledgers.size === 0) this.destroy(ch);
    return 0;
  }

  /** fipc_poll: ready events (MESSAGE 1, DISCONNECT 2) masked. */
  poll(pid: number, id: number, mask: number): number {
    const ch = this.channels.get(id);
    if (!ch) return -ENOENT;
    if (ch.rightsOf(pid) === 0) return -EPERM;
    const ev = (ch.messages > 0 ? FIPC_EVENT_MESSAGE : 0) | (ch.closed ? FIPC_EVENT_DISCONNECT : 0);
    return ev & mask;
  }

  /** fipc_grant(id, pid, rights): adds rights for another task; the granter needs ADMIN. */
  grant(granter: number, id: number, target: number, rights: number): number {
    const ch = this.channels.get(id);
    if (!ch) return -ENOENT;
    if ((ch.rightsOf(granter) & FIPC_RIGHT_ADMIN) === 0) return -EPERM;
    if (rights & ~FIPC_ALL_RIGHTS || target < 0) return -EINVAL;
    const led = ch.ledgers.get(target);
    if (led) led.rights |= rights;
    else if (rights) ch.ledgers.set(target, this.ledger(rights));
    return 0;
  }

  /** Takes rights away at once: blocked threads are woken so their retry sees it. */
  revoke(admin: number, id: number, target: number, rights: number): number {
    const ch = this.channels.get(id);
    if (!ch) return -ENOENT;
    if ((ch.rightsOf(admin) & FIPC_RIGHT_ADMIN) === 0) return -EPERM;
    const led = ch.ledgers.get(target);
    if (led) led.rights &= ~rights;
    this.wakeAll(ch.sendQ);
    this.wakeAll(ch.recvQ);
    return 0;
  }

  /** Sets a task's quotas on a channel (0 = unlimited) and resets its usage; needs ADMIN. */
  setQuota(admin: number, id: number, target: number, maxMsgs: number, maxBytes: number): number {
    const ch = this.channels.get(id);
    if (!ch) return -ENOENT;
    if ((ch.rightsOf(admin) & FIPC_RIGHT_ADMIN) === 0) return -EPERM;
    const led = ch.ledgers.get(target);
    if (!led) return -ENOENT;
    if (maxMsgs < 0 || maxBytes < 0) return -EINVAL;
    Object.assign(led, { maxMsgs, maxBytes, sentMsgs: 0, sentBytes: 0 });
    return 0;
  }

  /** fipc_register(name, id): publishes a channel the caller administers. */
  register(pid: number, name: string, id: number): number {
    const ch = this.channels.get(id);
    if (!ch) return -ENOENT;
    if ((ch.rightsOf(pid) & FIPC_RIGHT_ADMIN) === 0) return -EPERM;
    if (name.length === 0 || name.length > SERVICE_NAME_MAX || name.includes('\0')) return -EINVAL;
    if (this.services.has(name)) return -EEXIST;
    this.services.set(name, id);
    return 0;
  }

  /** fipc_connect(name) → channel id; the caller is granted SEND on it (to make requests). */
  connect(pid: number, name: string): number {
    const id = this.services.get(name);
    const ch = id === undefined ? undefined : this.channels.get(id);
    if (!ch || ch.closed) return -ENOENT;
    const led = ch.ledgers.get(pid);
    if (led) led.rights |= FIPC_RIGHT_SEND;
    else ch.ledgers.set(pid, this.ledger(FIPC_RIGHT_SEND));
    return ch.id;
  }

  /** fork: the child gets the parent's rights (and quota state) on every channel. */
  inherit(parent: number, child: number): void {
    for (const ch of this.channels.values()) {
      const led = ch.ledgers.get(parent);
      if (led) ch.ledgers.set(child, { ...led });
    }
  }

  /** A task is gone: its rights go, channels it administered disconnect, orphans are destroyed. */
  forgetTask(pid: number): void {
    for (const ch of [...this.channels.values()]) {
      const rights = ch.rightsOf(pid);
      if (rights === 0 && !ch.ledgers.has(pid)) continue;
      ch.ledgers.delete(pid);
      if (rights & FIPC_RIGHT_ADMIN && !this.hasAdmin(ch)) this.disconnect(ch);
      if (ch.ledgers.size === 0) this.destroy(ch);
    }
  }

  /** Kernel-originated message (metrics on channel 1, control replies): no rights, never blocks. */
  kernelSend(id: number, type: number, payload: Uint8Array): number {
    const ch = this.channels.get(id);
    if (!ch) return -ENOENT;
    if (!ch.fitsEver(payload.length)) return -EINVAL;
    if (!ch.fitsNow(payload.length)) return this.drop(ch, -EAGAIN);
    ch.enqueue(
      { type, length: payload.length, timestamp: this.now(), srcPid: KERNEL_PID, dstPid: 0, capability: 0 },
      payload,
    );
    this.messagesSent++;
    this.log.record(ch, KERNEL_PID, type, payload.length, this.now());
    this.wakeAll(ch.recvQ);
    return 0;
  }

  rightsOf(pid: number, id: number): number {
    return this.channels.get(id)?.rightsOf(pid) ?? 0;
  }

  channel(id: number): Channel | undefined {
    return this.channels.get(id);
  }

  lookup(name: string): number | undefined {
    return this.services.get(name);
  }

  snapshot(): ChannelSnapshot[] {
    const names = new Map<number, string[]>();
    for (const [n, id] of this.services) names.set(id, [...(names.get(id) ?? []), n]);
    return [...this.channels.values()].map((ch) => ({
      id: ch.id,
      size: ch.ring.size,
      used: ch.ring.used,
      messages: ch.messages,
      nonblocking: ch.nonblocking,
      closed: ch.closed,
      creatorPid: ch.creatorPid,
      counters: { ...ch.counters },
      holders: [...ch.ledgers].map(([pid, l]) => ({ pid, rights: l.rights })),
      sendWaiters: ch.sendQ.snapshot(),
      recvWaiters: ch.recvQ.snapshot(),
      services: names.get(ch.id) ?? [],
    }));
  }

  private ledger(rights: number) {
    return { rights, maxMsgs: 0, maxBytes: 0, sentMsgs: 0, sentBytes: 0 };
  }

  private drop(ch: Channel, err: number): number {
    ch.counters.drops++;
    return err;
  }

  private hasAdmin(ch: Channel): boolean {
    for (const l of ch.ledgers.values()) if (l.rights & FIPC_RIGHT_ADMIN) return true;
    return false;
  }

  private disconnect(ch: Channel): void {
    ch.closed = true;
    this.wakeAll(ch.sendQ);
    this.wakeAll(ch.recvQ);
  }

  private destroy(ch: Channel): void {
    if (ch.id < FIPC_FIRST_USER_CHANNEL) return; // reserved channels live forever
    this.disconnect(ch);
    this.channels.delete(ch.id);
    for (const [n, id] of this.services) if (id === ch.id) this.services.delete(n);
  }

  private wakeAll(q: WaitQueue): void {
    // The waiters present now, one at a time in FIFO order, rather than q.wakeAll(): no array per
    // send. A thread that joins q while they are woken stays queued, as with wakeAll.
    for (let n = q.size; n > 0; n--) this.wakeFn(q.wakeOne()!);
  }
}
