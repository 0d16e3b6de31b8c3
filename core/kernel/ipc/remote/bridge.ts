// Remote channels in the kernel: a bridge joins a kernel's FIPC to its RemoteNode's peers through
// the kernel's public API only (Fipc as the pid-0 kernel, the onSyscall hook, the run loop).
//
// Import: a guest's fipc_connect(NAME) that fails with -ENOENT makes the bridge look NAME up on
// every peer (signed registry requests). On an answer it creates a local proxy channel, held by the
// kernel and registered as NAME, so the guest's retry connects to it. What the guest sends into the
// proxy the bridge takes out (after each fipc_send and on every pump) and puts on the reliable
// binding for (peer, remote channel id): delivered exactly once and in order, or the binding fails,
// and then the proxy is closed, so the guest's sends fail with -EPIPE and fipc_poll reports
// DISCONNECT.
//
// Export: a frame that arrives on binding X from a peer goes into this kernel's channel X — only
// when X is a registered service here (never a proxy, never channels 1 and 2). A full channel
// keeps the message in the binding's backlog, which shrinks the credits advertised to the sender.
import type { Kernel } from '../../boot/kernel';
import {
  FIPC_BLOCKING,
  FIPC_CHANNEL_CONTROL,
  FIPC_FIRST_USER_CHANNEL,
  FIPC_RECV_MAX,
  FIPC_RIGHT_SEND,
  SYS,
} from '../../abi';
import { EAGAIN, ENOENT, EPERM } from '../../errno';
import { isBlocked } from '../../sched/waitq';
import type { SysResult } from '../../sys/types';
import type { Thread } from '../../task';
import { KERNEL_PID, SERVICE_NAME_MAX } from '../fipc';
import { decodeHeader } from '../message';
import { PeerPolicy, peerControl } from './admin';
import { ADMIN_MSG_TYPE, ADMIN_REPLY_TYPE, encodeAdminReply, handleAdminRequest } from './control';
import type { RemoteCrypto } from './crypto';
import type { FipcMessage } from './frame';
import type { RemoteNode } from './node';
import type { ReliableBinding } from './reliable';

export interface BridgeOptions {
  /** This node's name (transcripts, snapshots). */
  name: string;
  /** Ring size of proxy channels (default 8192). */
  queueBytes?: number;
  /** Messages taken out of a proxy while its binding still has this many waiting for credits. */
  maxQueued?: number;
  /** A name no peer had is not asked for again for this long (ms of the bridge clock). */
  negativeCacheMs?: number;
  /**
   * The control path: peers' ADMI requests on binding 2 are checked with these keys (admin token,
   * lease HMAC). Without them every request is refused with -EPERM.
   */
  admin?: { adminToken: Uint8Array; adminKey: Uint8Array; crypto: RemoteCrypto };
  /** Probe a silent peer after this long, and fail its channels when it stays silent (default 200). */
  keepaliveMs?: number;
  /** One line per notable event (imports, exports, failures), for transcripts. */
  onEvent?: (line: string) => void;
  /** Each message that crosses the bridge (for transcripts and dumps). */
  onMessage?: (dir: 'out' | 'in', route: RouteInfo, m: FipcMessage) => void;
}

export interface RouteInfo {
  peer: string;
  channelId: bigint;
}

/** A (peer, channel id) pair: one reliable binding, both directions. */
export interface Route extends RouteInfo {
  binding: ReliableBinding;
  /** Messages from the peer waiting for room in the local channel. */
  backlog: FipcMessage[];
  /** Messages from the peer that had nowhere to go (channel gone or not exported). */
  undeliverable: number;
  /** The proxy sending over this route, if any. */
  proxy: Proxy | null;
  /** Local channel fed by this route once a message arrived (the exported service). */
  exportedTo: number | null;
}

export interface Proxy {
  name: string;
  localId: number;
  route: Route;
  /** Why the proxy was closed; null while it works. */
  error: string | null;
}

const bridges = new WeakMap<Kernel, RemoteBridge>();

/** The bridge attached to a kernel, if any (session and view code start from the kernel). */
export function bridgeOf(kernel: Kernel): RemoteBridge | undefined {
  return bridges.get(kernel);
}

export class RemoteBridge {
  readonly routes = new Map<string, Route>();
  readonly proxies = new Map<number, Proxy>();
  readonly stats = { imports: 0, failedImports: 0, forwarded: 0, delivered: 0, undeliverable: 0 };
  private kernel: Kernel | null = null;
  private now = 0;
  /** Names being looked up, and names no peer had (until when). */
  private readonly pendingImports = new Set<string>();
  private readonly notFound = new Map<string, number>();
  /** Local channel id → the service name the kernel connected to (to deliver into it). */
  private readonly exported = new Map<number, string>();
  /** What each peer may send where (the control path changes it). */
  readonly policies = new Map<string, PeerPolicy>();
  /** Every proxy channel ever made (ids are never reused), working or failed. */
  private readonly proxyIds = new Set<number>();

  constructor(
    readonly node: RemoteNode,
    private readonly opts: BridgeOptions,
  ) {
    node.registry.resolver = (name) => this.publishedId(name);
  }

  get name(): string {
    return this.opts.name;
  }

  /** Joins the bridge to a kernel built with `onSyscall: bridge.onSyscall`. */
  attach(kernel: Kernel): void {
    this.kernel = kernel;
    bridges.set(kernel, this);
  }

  /** Makes a peer's frames for unbound channels reach this kernel's exported services. */
  watchPeer(peer: string): void {
    const ep = this.node.peer(peer);
    if (!ep) throw new Error(`bridge ${this.name}: no peer ${peer}`);
    const policy = this.policy(peer);
    ep.onUnbound = (id) => {
      if (id === BigInt(FIPC_CHANNEL_CONTROL)) {
        const control = ep.bind(id, (m) => {
          const rc = this.onAdmin(peer, m);
          if (rc !== null)
            control.send({ ...m, type: ADMIN_REPLY_TYPE, srcPid: KERNEL_PID, data: encodeAdminReply(rc) });
        });
        return;
      }
      if (id < BigInt(FIPC_FIRST_USER_CHANNEL) || id > 0xffff_ffffn) return;
      if (policy.opens(Number(id)) || this.exportName(Number(id))) this.route(peer, id);
    };
  }

  /** A peer is gone: its proxies report DISCONNECT to their tasks and its routes are dropped. */
  forgetPeer(peer: string): void {
    for (const [key, r] of this.routes) {
      if (r.peer !== peer) continue;
      if (r.proxy) this.failProxy(r.proxy, `peer ${peer} went away`);
      this.routes.delete(key);
    }
    this.policies.delete(peer);
    this.node.removePeer(peer);
  }

  policy(peer: string): PeerPolicy {
    let p = this.policies.get(peer);
    if (!p) {
      p = new PeerPolicy();
      this.policies.set(peer, p);
    }
    return p;
  }

  /** A control request from a peer: the rc to reply with, or null for a message that is not one. */
  private onAdmin(peer: string, m: FipcMessage): number | null {
    if (m.type !== ADMIN_MSG_TYPE) return null;
    const admin = this.opts.admin;
    if (!admin) return -EPERM;
    const k = this.kernel;
    const ep = this.node.peer(peer);
    const control = peerControl(
      this.policy(peer),
      (id) => k?.fipc.channel(id)?.closed === false,
      (id, rate, burst) => ep?.setRate(id, rate, burst),
    );
    const { verdict, rc } = handleAdminRequest(m.data, admin, admin.crypto, control);
    this.event(`control request from ${peer}: ${verdict}, rc ${rc}`);
    return rc;
  }

  /** The kernel's syscall hook: imports on a failed connect, forwards after a send to a proxy. */
  readonly onSyscall = (th: Thread, nr: number, args: readonly number[], result: SysResult): void => {
    if (nr === SYS.fipc_connect && result === -ENOENT) {
      const name = th.task.mm?.readString(args[0]! >>> 0, SERVICE_NAME_MAX);
      if (typeof name === 'string') this.importService(name);
    } else if (nr === SYS.fipc_send) {
      const proxy = this.proxies.get(args[0]!);
      if (proxy) this.drain(proxy);
    }
  };

  /** Advances the clock of the bindings (retransmission) and moves what can move. */
  tick(nowMs: number): void {
    this.now = nowMs;
    this.node.tick(nowMs);
    this.pump();
  }

  /** Moves messages: proxies → bindings, backlogs → local channels; closes failed proxies. */
  pump(): boolean {
    let moved = false;
    for (const r of this.routes.values()) {
      if (r.backlog.length === 0) continue;
      const before = r.backlog.length;
      while (r.backlog.length > 0 && this.deliverLocal(r, r.backlog[0]!) !== 'full') r.backlog.shift();
      if (r.backlog.length !== before) {
        moved = true;
        r.binding.announce();
      }
    }
    for (const p of this.proxies.values()) if (this.drain(p)) moved = true;
    return moved;
  }

  /** Looks a service up on the peers and publishes a proxy for it when one has it. */
  importService(name: string): void {
    if (this.pendingImports.has(name) || (this.notFound.get(name) ?? -Infinity) > this.now) return;
    const peers = this.node.peerNames;
    if (peers.length === 0) return;
    this.pendingImports.add(name);
    let unanswered = peers.length;
    let done = false;
    const miss = (): void => {
      if (done || --unanswered > 0) return;
      done = true;
      this.pendingImports.delete(name);
      this.stats.failedImports++;
      this.notFound.set(name, this.now + (this.opts.negativeCacheMs ?? 50));
      this.event(`no peer has ${JSON.stringify(name)}`);
    };
    for (const peer of peers) {
      this.node.lookupThen(
        peer,
        name,
        (id) => {
          if (done) return;
          if (id === null) return miss();
          done = true;
          this.pendingImports.delete(name);
          this.createProxy(name, peer, id);
        },
        miss,
      );
    }
  }

  private createProxy(name: string, peer: string, remoteId: bigint): void {
    const k = this.kernel;
    if (!k) return;
    const id = k.fipc.create(KERNEL_PID, FIPC_BLOCKING, this.opts.queueBytes ?? 0);
    if (id < 0) return;
    if (k.fipc.register(KERNEL_PID, name, id) < 0) {
      k.fipc.close(KERNEL_PID, id); // a local service took the name meanwhile
      return;
    }
    const route = this.route(peer, remoteId);
    const proxy: Proxy = { name, localId: id, route, error: null };
    route.proxy = proxy;
    this.proxies.set(id, proxy);
    this.proxyIds.add(id);
    this.stats.imports++;
    this.event(`${name} → channel ${id}, bridged to ${peer} channel ${remoteId}`);
    if (route.binding.error !== null) this.failProxy(proxy, route.binding.error);
  }

  private route(peer: string, channelId: bigint): Route {
    const key = `${peer}/${channelId}`;
    const existing = this.routes.get(key);
    if (existing) return existing;
    const ep = this.node.peer(peer);
    if (!ep) throw new Error(`bridge ${this.name}: no peer ${peer}`);
    const r: Route = {
      peer,
      channelId,
      binding: null as unknown as ReliableBinding, // set just below; the callbacks run later
      backlog: [],
      undeliverable: 0,
      proxy: null,
      exportedTo: null,
    };
    r.binding = ep.bind(channelId, (m) => this.inbound(r, m), {
      backlog: () => r.backlog.length,
      keepaliveMs: this.opts.keepaliveMs ?? 200,
    });
    this.routes.set(key, r);
    return r;
  }

  /** Takes messages out of a proxy channel onto its binding; false when nothing moved. */
  private drain(p: Proxy): boolean {
    const k = this.kernel;
    if (!k || p.error !== null) return false;
    const b = p.route.binding;
    if (b.error !== null) {
      this.failProxy(p, b.error);
      return true;
    }
    let moved = false;
    const limit = this.opts.maxQueued ?? 32;
    while (b.sequence.queued < limit) {
      const r = k.fipc.recv(KERNEL_PID, p.localId, FIPC_RECV_MAX);
      if (!(r instanceof Uint8Array)) break;
      const h = decodeHeader(r);
      const m: FipcMessage = {
        type: h.type,
        timestamp: h.timestamp,
        srcPid: h.srcPid,
        dstPid: h.dstPid,
        capability: h.capability,
        data: r.slice(32),
      };
      moved = true;
      this.stats.forwarded++;
      this.opts.onMessage?.('out', p.route, m);
      if (!b.send(m)) {
        this.failProxy(p, b.error ?? 'binding refused the message');
        break;
      }
    }
    return moved;
  }

  private failProxy(p: Proxy, why: string): void {
    if (p.error !== null) return;
    p.error = why;
    this.proxies.delete(p.localId);
    // Closing as the ADMIN holder disconnects the channel: sends fail with -EPIPE, poll sees DISCONNECT.
    this.kernel?.fipc.close(KERNEL_PID, p.localId);
    this.event(`${p.name} (channel ${p.localId}) to ${p.route.peer} failed: ${why}`);
  }

  private inbound(r: Route, m: FipcMessage): void {
    this.opts.onMessage?.('in', r, m);
    if (r.backlog.length > 0 || this.deliverLocal(r, m) === 'full') r.backlog.push(m);
  }

  private deliverLocal(r: Route, m: FipcMessage): 'ok' | 'full' | 'dropped' {
    const k = this.kernel;
    const id = Number(r.channelId);
    const inRange = r.channelId >= BigInt(FIPC_FIRST_USER_CHANNEL) && r.channelId <= 0xffff_ffffn;
    const name = inRange ? this.exportName(id) : null;
    const policy = this.policy(r.peer);
    const ch = k?.fipc.channel(id);
    if (!k || !inRange || !ch || policy.admit(id, m.data.length, name !== null) !== 'ok') {
      r.undeliverable++;
      this.stats.undeliverable++;
      return 'dropped';
    }
    let rc: number | 'full';
    if (name !== null) {
      const sent = k.fipc.send(KERNEL_PID, id, m.type, m.data, m.dstPid);
      rc = isBlocked(sent) || sent === -EAGAIN ? 'full' : sent;
    } else {
      rc = this.enqueueLeased(id, m);
    }
    if (rc === 'full') return 'full';
    if (rc !== 0) {
      r.undeliverable++;
      this.stats.undeliverable++;
      return 'dropped';
    }
    policy.charge(id, m.data.length);
    if (r.exportedTo === null) this.event(`${r.peer} reaches ${name ?? 'leased'} channel ${id}`);
    r.exportedTo = id;
    this.stats.delivered++;
    return 'ok';
  }

  /** Delivery into a channel a lease opened (no service name, so no kernel rights on it). */
  private enqueueLeased(id: number, m: FipcMessage): number | 'full' {
    const k = this.kernel!;
    const ch = k.fipc.channel(id);
    if (!ch || ch.closed || !ch.fitsEver(m.data.length)) return -ENOENT;
    if (!ch.fitsNow(m.data.length)) return 'full';
    ch.enqueue(
      {
        type: m.type,
        length: m.data.length,
        timestamp: k.clock.nowMs,
        srcPid: KERNEL_PID,
        dstPid: m.dstPid,
        capability: 0,
      },
      m.data,
    );
    for (const tid of ch.recvQ.wakeAll()) k.sched.wake(tid);
    return 0;
  }

  /** The service name of local channel `id` when peers may send into it, else null. */
  private exportName(id: number): string | null {
    const k = this.kernel;
    if (!k || id < FIPC_FIRST_USER_CHANNEL || this.proxyIds.has(id)) return null;
    const known = this.exported.get(id);
    if (known !== undefined && k.fipc.lookup(known) === id) return known;
    this.exported.delete(id);
    const ch = k.fipc.snapshot().find((c) => c.id === id && !c.closed && c.services.length > 0);
    const name = ch?.services[0];
    if (name === undefined) return null;
    if ((k.fipc.rightsOf(KERNEL_PID, id) & FIPC_RIGHT_SEND) === 0 && k.fipc.connect(KERNEL_PID, name) < 0)
      return null;
    this.exported.set(id, name);
    return name;
  }

  /** The service name a peer reaches through local channel `id` (for snapshots). */
  serviceOf(id: number): string | null {
    return this.exported.get(id) ?? null;
  }

  /** What the registry answers peers: this kernel's own services (never re-exported imports). */
  private publishedId(name: string): bigint | undefined {
    const id = this.kernel?.fipc.lookup(name);
    if (id === undefined || this.proxyIds.has(id) || id < FIPC_FIRST_USER_CHANNEL) return undefined;
    return BigInt(id);
  }

  private event(line: string): void {
    this.opts.onEvent?.(`${this.name}: ${line}`);
  }
}
