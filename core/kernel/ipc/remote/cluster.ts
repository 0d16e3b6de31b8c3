// Several Futura nodes in one process (tests, `futura demo remote`): each a Kernel on its own board
// with a RemoteNode and a bridge, linked pairwise by in-memory links. One round runs every kernel
// for a slice, lets the bridges move messages, delivers the links' datagrams and advances the
// shared clock by one millisecond, so a run is deterministic for a seed.
import { Board } from '../../../machine/board';
import { Kernel, type KernelOptions, type RunOutcome } from '../../boot/kernel';
import { RemoteBridge, type BridgeOptions } from './bridge';
import { MemoryLink, type LinkFaults } from './carrier';
import type { Identity, RemoteCrypto, SecureCrypto } from './crypto';
import type { EndpointOptions } from './endpoint';
import { RemoteNode } from './node';
import { SecureCarrier } from './secure';

/** An encrypted link: each node's identity (the other trusts it) and the AEAD/X25519 primitives. */
export interface SecureLinkOptions {
  crypto: SecureCrypto;
  identities: [Identity, Identity];
}

export interface ClusterOptions {
  crypto: RemoteCrypto;
  /** Wall-clock epoch (ms) of round 0; registry timestamps are this plus the round number. */
  epochMs?: number;
  /** Guest instructions per kernel per round. */
  sliceInstructions?: number;
  ramSize?: number;
}

export interface ClusterNode {
  name: string;
  kernel: Kernel;
  bridge: RemoteBridge;
  remote: RemoteNode;
  registryKey: Uint8Array;
  last: RunOutcome | null;
}

export interface ClusterLink {
  a: string;
  b: string;
  link: MemoryLink;
  /** The two ends' secure carriers on an encrypted link. */
  secure: [SecureCarrier, SecureCarrier] | null;
}

export interface RunResult {
  rounds: number;
  /** True when `until` held; false when the round limit came first. */
  done: boolean;
}

export class RemoteCluster {
  readonly nodes = new Map<string, ClusterNode>();
  readonly links: ClusterLink[] = [];
  /** Milliseconds since the epoch on the shared clock (one per round). */
  now = 0;
  private readonly epoch: number;

  constructor(private readonly opts: ClusterOptions) {
    this.epoch = opts.epochMs ?? 1_767_225_600_000; // 2026-01-01
  }

  /** Wall-clock time of the cluster (for registry timestamps). */
  readonly clock = (): number => this.epoch + this.now;

  addNode(
    name: string,
    kernelOptions: KernelOptions = {},
    bridgeOptions: Partial<BridgeOptions> = {},
  ): ClusterNode {
    if (this.nodes.has(name)) throw new Error(`cluster: node ${name} exists`);
    const registryKey = this.opts.crypto.randomBytes(32);
    const remote = new RemoteNode(this.opts.crypto, registryKey, this.clock);
    const bridge = new RemoteBridge(remote, { ...bridgeOptions, name });
    const board = new Board({ ramSize: this.opts.ramSize ?? 16 << 20 });
    const user = kernelOptions.onSyscall;
    const kernel = new Kernel(board, {
      ...kernelOptions,
      onSyscall: (th, nr, args, r) => {
        bridge.onSyscall(th, nr, args, r);
        user?.(th, nr, args, r);
      },
    });
    bridge.attach(kernel);
    const n: ClusterNode = { name, kernel, bridge, remote, registryKey, last: null };
    this.nodes.set(name, n);
    return n;
  }

  node(name: string): ClusterNode {
    const n = this.nodes.get(name);
    if (!n) throw new Error(`cluster: no node ${name}`);
    return n;
  }

  /**
   * Links two nodes. Without `secure` the link is plaintext (tests and the in-process demo only);
   * with it every frame is sealed under X25519-derived session keys, `a` starting the handshake.
   */
  connect(
    a: string,
    b: string,
    faults: LinkFaults = {},
    endpoint: EndpointOptions = {},
    secure?: SecureLinkOptions,
  ): MemoryLink {
    const na = this.node(a);
    const nb = this.node(b);
    const link = new MemoryLink(faults);
    const ep = { rtoMs: 5, maxRetries: 40, ...endpoint };
    let ends: [SecureCarrier, SecureCarrier] | null = null;
    if (secure) {
      const [ia, ib] = secure.identities;
      const mk = (c: typeof link.a, own: Identity, peer: Identity, role: 'initiator' | 'responder') =>
        new SecureCarrier(c, {
          crypto: secure.crypto,
          identity: own,
          trusted: [peer.publicKey],
          role,
          handshakeRetryMs: 10,
        });
      ends = [mk(link.a, ia, ib, 'initiator'), mk(link.b, ib, ia, 'responder')];
      ends[0].start(this.now);
    }
    na.remote.addPeer(b, ends ? ends[0] : link.a, nb.registryKey, ep);
    nb.remote.addPeer(a, ends ? ends[1] : link.b, na.registryKey, ep);
    na.bridge.watchPeer(b);
    nb.bridge.watchPeer(a);
    this.links.push({ a, b, link, secure: ends });
    return link;
  }

  /** One round: every kernel runs a slice, bridges and links move messages, the clock ticks. */
  step(): void {
    const slice = this.opts.sliceInstructions ?? 2_000;
    for (const n of this.nodes.values()) {
      n.last = n.kernel.run(slice);
      n.bridge.pump();
    }
    for (const l of this.links) l.link.pump();
    this.now++;
    for (const l of this.links) l.secure?.[0].tick(this.now);
    for (const n of this.nodes.values()) n.bridge.tick(this.now);
    for (const l of this.links) l.link.pump();
  }

  /** Runs rounds until `until()` holds or `maxRounds` have run. */
  run(until: () => boolean, maxRounds = 100_000): RunResult {
    let rounds = 0;
    while (rounds < maxRounds) {
      if (until()) return { rounds, done: true };
      this.step();
      rounds++;
    }
    return { rounds, done: until() };
  }

  /** True when the task `pid` on `node` has exited. */
  exited(node: string, pid: number): boolean {
    return this.node(node).kernel.exits.has(pid);
  }
}
