// The host as a FIPC peer (`futura fipc lookup|send|recv|dump`): joins a running node over UDP on
// 127.0.0.1 with an encrypted link under this installation's identity, then looks services up in
// the node's signed registry, sends messages into its channels, publishes services of its own for
// the node's tasks to send to, and can print every frame it sends and receives.
import {
  checkEnvelope,
  decodeFrame,
  describeHeader,
  FrameFlag,
  type FipcMessage,
} from '../../kernel/ipc/remote/frame';
import type { Carrier } from '../../kernel/ipc/remote/carrier';
import { ADMIN_MSG_TYPE, ADMIN_REPLY_TYPE, decodeAdminReply } from '../../kernel/ipc/remote/control';
import { RemoteNode } from '../../kernel/ipc/remote/node';
import type { ReliableBinding } from '../../kernel/ipc/remote/reliable';
import { SecureCarrier } from '../../kernel/ipc/remote/secure';
import type { InstallationKeys } from './installation-keys';
import { identityFromPem, nodeCrypto } from './node-crypto';
import { UDP_LINK } from './serve-node';
import { UdpCarrier } from './udp-carrier';

const PEER = 'node';

/** One line describing a frame: direction, layer, decoded header, CRC verdict, message. */
export function describeFrame(dir: '→' | '←', layer: 'wire' | 'frame', bytes: Uint8Array): string {
  const h = describeHeader(bytes);
  if (!h) return `${dir} ${layer}  ${bytes.length} bytes: too short for a header (dropped)`;
  const verdict = checkEnvelope(bytes);
  const flags = Number(h.flags);
  const names = Object.entries(FrameFlag)
    .filter(([, bit]) => flags & bit)
    .map(([n]) => n.toUpperCase());
  let line =
    `${dir} ${layer}  magic ${h.magic} v${h.version} flags ${names.join('|') || '-'} seq ${h.seq} ` +
    `credits ${h.credits} channel ${h.channelId} len ${h.payloadLen} crc ${h.crc} ` +
    (verdict === null ? 'CRC ok' : `BAD (${verdict})`);
  if (layer === 'frame' && verdict === null) {
    const d = decodeFrame(bytes);
    const m = d.ok ? d.frame.message : null;
    if (m) line += ` | message type 0x${m.type.toString(16)} ${m.data.length} bytes from pid ${m.srcPid}`;
  }
  return line;
}

/** Passes datagrams through, showing each one. */
class DumpTap implements Carrier {
  private handler: ((d: Uint8Array) => void) | null = null;
  constructor(
    private readonly inner: Carrier,
    private readonly layer: 'wire' | 'frame',
    private readonly show: (line: string) => void,
  ) {
    inner.onDatagram((d) => {
      this.show(describeFrame('←', this.layer, d));
      this.handler?.(d);
    });
  }
  send(d: Uint8Array): void {
    this.show(describeFrame('→', this.layer, d));
    this.inner.send(d);
  }
  onDatagram(h: (d: Uint8Array) => void): void {
    this.handler = h;
  }
  close(): void {
    this.inner.close();
  }
}

export interface JoinOptions {
  port: number;
  host?: string;
  keys: InstallationKeys;
  /** Print frames: 'wire' (encrypted records), 'frame' (decrypted frames), both, or none. */
  dump?: { wire: boolean; frame: boolean; out: (line: string) => void };
  timeoutMs?: number;
}

export class HostPeer {
  private readonly received = new Map<bigint, FipcMessage[]>();
  private readonly waiters = new Set<() => void>();
  private nextOwnId = 0x1000n;

  private constructor(
    private readonly udp: UdpCarrier,
    private readonly secure: SecureCarrier,
    readonly node: RemoteNode,
    private readonly timer: ReturnType<typeof setInterval>,
  ) {}

  /** Joins the node; rejects when no node answers (or it does not trust this installation). */
  static async join(opts: JoinOptions): Promise<HostPeer> {
    const host = opts.host ?? '127.0.0.1';
    const udp = await UdpCarrier.open({ peer: { host, port: opts.port } });
    const identity = identityFromPem(opts.keys.identityPrivatePem, opts.keys.identityPublicPem);
    const d = opts.dump;
    const wire: Carrier = d?.wire ? new DumpTap(udp, 'wire', d.out) : udp;
    const secure = new SecureCarrier(wire, {
      crypto: nodeCrypto,
      identity,
      trusted: [identity.publicKey],
      role: 'initiator',
    });
    const framed: Carrier = d?.frame ? new DumpTap(secure, 'frame', d.out) : secure;
    const node = new RemoteNode(nodeCrypto, opts.keys.registryKey, () => Date.now());
    node.addPeer(PEER, framed, opts.keys.registryKey, UDP_LINK);
    const timer = setInterval(() => {
      const now = performance.now();
      secure.tick(now);
      node.tick(now);
      peer.wake();
    }, 10);
    const peer = new HostPeer(udp, secure, node, timer);
    secure.start(performance.now());
    const deadline = Date.now() + (opts.timeoutMs ?? 3000);
    while (!secure.established) {
      if (Date.now() > deadline) {
        peer.close();
        throw new Error(
          `no node answered on ${host}:${opts.port} (is \`futura fipc serve\` running, with this installation's keys?)`,
        );
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    return peer;
  }

  /** The channel id of `name` on the node, or null when it has no such service. */
  lookup(name: string): Promise<bigint | null> {
    return this.node.lookup(PEER, name);
  }

  /** Sends one message into channel `channel` of the node; resolves once it was acknowledged. */
  async send(channel: bigint, type: number, data: Uint8Array, timeoutMs = 5000): Promise<void> {
    const b = this.bind(channel);
    const message: FipcMessage = { type, timestamp: Date.now(), srcPid: 0, dstPid: 0, capability: 0, data };
    if (!b.send(message)) throw new Error(b.error ?? 'the link is congested');
    await this.until(() => b.idle || b.error !== null, timeoutMs, 'no acknowledgement');
    if (b.error !== null) throw new Error(b.error);
  }

  /** Publishes `name` in this peer's registry, so the node's tasks can connect to it; returns its id. */
  publish(name: string): bigint {
    const id = this.nextOwnId++;
    this.node.registerService(name, id);
    this.bind(id);
    return id;
  }

  /** Waits for the next message on binding `channel` (null on timeout). */
  async receive(channel: bigint, timeoutMs: number): Promise<FipcMessage | null> {
    this.bind(channel);
    const q = this.received.get(channel)!;
    try {
      await this.until(() => q.length > 0, timeoutMs, 'timeout');
    } catch {
      return null;
    }
    return q.shift() ?? null;
  }

  /** Sends a control request (encoded ADMI TLV) to the node's channel 2; resolves with its rc (≤ 0). */
  async admin(request: Uint8Array, timeoutMs = 5000): Promise<number> {
    const b = this.bind(2n);
    const q = this.received.get(2n)!;
    const tag = Number(new DataView(nodeCrypto.randomBytes(4).buffer).getUint32(0, true));
    const message: FipcMessage = {
      type: ADMIN_MSG_TYPE,
      timestamp: Date.now(),
      srcPid: 0,
      dstPid: 0,
      capability: tag,
      data: request,
    };
    if (!b.send(message)) throw new Error(b.error ?? 'the link is congested');
    const reply = (): FipcMessage | undefined =>
      q.find((m) => m.type === ADMIN_REPLY_TYPE && m.capability === tag);
    await this.until(
      () => reply() !== undefined || b.error !== null,
      timeoutMs,
      'no reply to the control request',
    );
    const m = reply();
    if (!m) throw new Error(b.error ?? 'no reply');
    q.splice(q.indexOf(m), 1);
    const rc = decodeAdminReply(m.data);
    if (rc === null) throw new Error('malformed control reply');
    return rc === 0 ? 0 : -rc;
  }

  /** Counters of the link: drops by reason and the secure layer's rejections. */
  stats(): { drops: Record<string, number>; secure: Record<string, number> } {
    const ep = this.node.peer(PEER)!;
    return { drops: { ...ep.drops }, secure: { ...this.secure.stats } };
  }

  close(): void {
    clearInterval(this.timer);
    this.udp.close();
  }

  /** Says goodbye to the node (so it releases this peer's channels at once), then closes. */
  async leave(): Promise<void> {
    if (this.secure.established) {
      this.node.peer(PEER)?.sayGoodbye();
      await new Promise((r) => setTimeout(r, 30)); // let the datagram leave the socket
    }
    this.close();
  }

  private bind(channel: bigint): ReliableBinding {
    if (!this.received.has(channel)) this.received.set(channel, []);
    const q = this.received.get(channel)!;
    return this.node.peer(PEER)!.bind(channel, (m) => {
      q.push(m);
      this.wake();
    });
  }

  private wake(): void {
    for (const w of [...this.waiters]) w();
  }

  private until(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
    if (cond()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (!cond()) return;
        clearTimeout(t);
        this.waiters.delete(check);
        resolve();
      };
      const t = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(what));
      }, timeoutMs);
      this.waiters.add(check);
    });
  }
}
