// The session's kernel as a peer of another Futura node (`fipc.link`): a UDP carrier on 127.0.0.1
// towards the node, the encrypted link (X25519 + ChaCha20-Poly1305 under this installation's
// identity, as `futura fipc lookup|send` use), and a RemoteBridge attached to the running kernel,
// so the node shows in the snapshot's `remote`, its tasks can look up and send to this kernel's
// services, and this kernel's tasks can import the node's. It lives where the kernel lives (the
// machine worker): the bridge reads and writes the kernel's channels directly.
import type { Kernel } from '../../kernel/boot/kernel';
import { RemoteBridge } from '../../kernel/ipc/remote/bridge';
import { REGISTRY_BINDING, RemoteNode } from '../../kernel/ipc/remote/node';
import { SecureCarrier } from '../../kernel/ipc/remote/secure';
import type { SysResult } from '../../kernel/sys/types';
import type { Thread } from '../../kernel/task';
import type { FipcLinkStatus } from '../../protocol/fipc-link';
import type { InstallationKeys } from './installation-keys';
import { identityFromPem, nodeCrypto } from './node-crypto';
import { UDP_LINK } from './serve-node';
import { UdpCarrier } from './udp-carrier';

/** This node's name in snapshots and on the peer's transcripts. */
export const SESSION_NODE_NAME = 'ide';
/** How often the link's clocks tick (retransmission, keepalive, moving backlogs). */
const TICK_MS = 10;

export interface SessionLinkOptions {
  kernel: Kernel;
  keys: InstallationKeys;
  host: string;
  port: number;
  timeoutMs?: number;
  /** Something reached the kernel's channels from the peer: the machine loop should run. */
  onActivity: () => void;
  onEvent?: (line: string) => void;
}

export const UNLINKED: FipcLinkStatus = {
  linked: false,
  node: null,
  peer: null,
  host: null,
  port: null,
  message: 'not linked',
};

export class SessionLink {
  private closed = false;
  private lastDelivered = 0;

  private constructor(
    private readonly udp: UdpCarrier,
    private readonly secure: SecureCarrier,
    readonly bridge: RemoteBridge,
    readonly peer: string,
    private readonly opts: SessionLinkOptions,
    private readonly timer: ReturnType<typeof setInterval>,
  ) {}

  /** Joins the node; rejects with a message for people when it does not answer. */
  static async open(opts: SessionLinkOptions): Promise<SessionLink> {
    const { host, port, keys } = opts;
    const where = `${host}:${port}`;
    let identity;
    try {
      identity = identityFromPem(keys.identityPrivatePem, keys.identityPublicPem);
    } catch (err) {
      throw new Error(`this installation's FIPC identity key is unreadable: ${String(err)}`);
    }
    const udp = await UdpCarrier.open({ peer: { host, port } });
    const secure = new SecureCarrier(udp, {
      crypto: nodeCrypto,
      identity,
      trusted: [identity.publicKey],
      role: 'initiator',
    });
    const node = new RemoteNode(nodeCrypto, keys.registryKey, () => Date.now());
    const bridge = new RemoteBridge(node, {
      name: SESSION_NODE_NAME,
      keepaliveMs: UDP_LINK.keepaliveMs,
      admin: { adminToken: keys.adminToken, adminKey: keys.adminKey, crypto: nodeCrypto },
      ...(opts.onEvent ? { onEvent: opts.onEvent } : {}),
    });
    const peer = where;
    node.addPeer(peer, secure, keys.registryKey, UDP_LINK);
    let link: SessionLink | null = null;
    const timer = setInterval(() => link?.tick(), TICK_MS);
    link = new SessionLink(udp, secure, bridge, peer, opts, timer);
    secure.start(performance.now());
    const deadline = Date.now() + (opts.timeoutMs ?? 3000);
    while (!secure.established) {
      if (Date.now() > deadline) {
        link.close();
        const s = secure.stats;
        const why =
          s.untrusted > 0 || s.badHandshake > 0 || s.tampered > 0
            ? `the node at ${where} answered but refused this installation's keys (or they did not match)`
            : `no Futura node answered on UDP ${where} (is \`futura fipc serve --port ${port}\` running there, and does it trust this installation's keys?)`;
        throw new Error(why);
      }
      await new Promise((r) => setTimeout(r, TICK_MS));
    }
    // Only a working link touches the kernel: its peer then shows in the snapshot.
    bridge.attach(opts.kernel);
    bridge.watchPeer(peer);
    node.peer(peer)!.onFin = () => opts.onEvent?.(`${peer} said goodbye`);
    return link;
  }

  /** The kernel's syscall hook: a failed connect imports the service from the node, sends to a proxy leave. */
  readonly onSyscall = (th: Thread, nr: number, args: readonly number[], result: SysResult): void => {
    if (!this.closed) this.bridge.onSyscall(th, nr, args, result);
  };

  status(): FipcLinkStatus {
    if (this.closed) return UNLINKED;
    const ep = this.bridge.node.peer(this.peer);
    const failed = ep?.allBindings.get(REGISTRY_BINDING)?.error ?? null;
    return {
      linked: true,
      node: SESSION_NODE_NAME,
      peer: this.peer,
      host: this.opts.host,
      port: this.opts.port,
      message: ep
        ? failed
          ? `link to ${this.peer} lost: ${failed}`
          : `linked to ${this.peer}`
        : `${this.peer} left`,
    };
  }

  private tick(): void {
    if (this.closed) return;
    const now = performance.now();
    this.secure.tick(now);
    this.bridge.tick(now);
    // Messages delivered into the kernel's channels (or proxies made) may wake blocked tasks.
    const moved = this.bridge.stats.delivered + this.bridge.stats.imports + this.bridge.stats.failedImports;
    if (moved !== this.lastDelivered) {
      this.lastDelivered = moved;
      this.opts.onActivity();
    }
  }

  /** Says goodbye to the node (it releases this peer at once), drops the peer, closes the socket. */
  async unlink(): Promise<void> {
    if (this.closed) return;
    const ep = this.bridge.node.peer(this.peer);
    if (ep && this.secure.established) {
      ep.sayGoodbye();
      await new Promise((r) => setTimeout(r, 30)); // let the datagram leave the socket
    }
    this.close();
  }

  /** Closes at once: the peer's proxies report DISCONNECT and it leaves the snapshot. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    if (this.bridge.node.peer(this.peer)) this.bridge.forgetPeer(this.peer);
    this.udp.close();
  }
}
