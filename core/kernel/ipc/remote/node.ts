// A Futura node's remote side: links to peers (each with its reliable endpoint) and the signed
// service registry, reachable by peers so a node can look a service up by name on another node.
// Registry traffic rides a reserved binding as FIPC messages whose data is a signed 'SRG1'
// request or reply. Requests to a peer are signed with that peer's registry key (exchanged when
// the two installations were paired); replies are checked with the same key.
import type { Carrier } from './carrier';
import type { RemoteCrypto } from './crypto';
import { RemoteEndpoint, type EndpointOptions } from './endpoint';
import type { FipcMessage } from './frame';
import type { ReliableBinding } from './reliable';
import {
  RegistryError,
  RegistryType,
  SignedRegistry,
  decodeRegistryMessage,
  encodeRegistryMessage,
} from './registry-auth';

/** The binding id that carries registry requests and replies between two nodes. */
export const REGISTRY_BINDING = 0xffff_fff0n;
/** FIPC message type of registry traffic ('SRG1'). */
export const REGISTRY_MSG_TYPE = 0x31524753;

export class RegistryAuthError extends Error {}

interface Peer {
  endpoint: RemoteEndpoint;
  registry: ReliableBinding;
  key: Uint8Array;
  pending: Map<bigint, { resolve: (v: bigint | null) => void; reject: (e: Error) => void; name: string }>;
}

export class RemoteNode {
  readonly registry: SignedRegistry;
  private readonly peers = new Map<string, Peer>();

  constructor(
    private readonly crypto: RemoteCrypto,
    registryKey: Uint8Array,
    private readonly clock: () => number,
  ) {
    this.registry = new SignedRegistry(registryKey, crypto, clock);
  }

  registerService(name: string, channelId: bigint): void {
    this.registry.table.set(name, channelId);
  }

  /** Links a peer; `peerRegistryKey` signs this node's requests to it. */
  addPeer(
    name: string,
    carrier: Carrier,
    peerRegistryKey: Uint8Array,
    options: EndpointOptions = {},
  ): RemoteEndpoint {
    const endpoint = new RemoteEndpoint(carrier, options);
    // The callback runs only when a message arrives, after `peer` exists.
    const registry = endpoint.bind(REGISTRY_BINDING, (m) => this.onRegistryMessage(peer, m));
    const peer: Peer = { endpoint, registry, key: peerRegistryKey, pending: new Map() };
    this.peers.set(name, peer);
    return endpoint;
  }

  peer(name: string): RemoteEndpoint | undefined {
    return this.peers.get(name)?.endpoint;
  }

  get peerNames(): string[] {
    return [...this.peers.keys()];
  }

  /** Forgets a peer (its link closed); its pending lookups fail. */
  removePeer(name: string): void {
    const peer = this.peers.get(name);
    if (!peer) return;
    this.peers.delete(name);
    for (const w of peer.pending.values()) w.reject(new Error(`peer ${name} went away`));
    peer.pending.clear();
  }

  tick(nowMs: number): void {
    for (const p of this.peers.values()) {
      p.endpoint.tick(nowMs);
      if (p.registry.error === null || p.pending.size === 0) continue;
      // The registry binding failed: no reply will ever come.
      for (const w of p.pending.values()) w.reject(new Error(`registry link failed: ${p.registry.error}`));
      p.pending.clear();
    }
  }

  /** Looks `service` up on a peer: its channel id, or null when the peer does not have it. */
  lookup(peerName: string, service: string): Promise<bigint | null> {
    return new Promise((resolve, reject) => this.lookupThen(peerName, service, resolve, reject));
  }

  /**
   * The same with callbacks, called synchronously from the tick or datagram that completes the
   * lookup (so an in-process cluster can run without yielding to the event loop).
   */
  lookupThen(
    peerName: string,
    service: string,
    resolve: (id: bigint | null) => void,
    reject: (e: Error) => void,
  ): void {
    const peer = this.peers.get(peerName);
    if (!peer) {
      reject(new Error(`no peer named ${peerName}`));
      return;
    }
    const nonce = new DataView(this.crypto.randomBytes(8).buffer).getBigUint64(0, true);
    const request = encodeRegistryMessage(
      {
        type: RegistryType.Lookup,
        name: service,
        channelId: 0n,
        nonce,
        timestampMs: BigInt(Math.round(this.clock())),
      },
      peer.key,
      this.crypto,
    );
    peer.pending.set(nonce, { resolve, reject, name: service });
    if (!peer.registry.send(this.wrap(request, nonce))) {
      peer.pending.delete(nonce);
      reject(new Error(peer.registry.error ?? 'registry link is congested'));
    }
  }

  /** Registry messages carry the request nonce in the FIPC capability field so replies match up. */
  private wrap(data: Uint8Array, nonce: bigint): FipcMessage {
    return {
      type: REGISTRY_MSG_TYPE,
      timestamp: this.clock(),
      srcPid: 0,
      dstPid: 0,
      capability: Number(nonce & 0xfffffffffffffn),
      data,
    };
  }

  private onRegistryMessage(peer: Peer, m: FipcMessage): void {
    if (m.type !== REGISTRY_MSG_TYPE) return;
    const d = decodeRegistryMessage(m.data);
    if (!d.ok) return;
    if (d.message.type === RegistryType.Register || d.message.type === RegistryType.Lookup) {
      // A peer asks us: answer with our registry, signed with our key.
      const reply = this.registry.handle(m.data, d.message.nonce);
      peer.registry.send({ ...m, timestamp: this.clock(), data: reply });
      return;
    }
    // A reply to one of our lookups: match by the nonce echoed in the capability field.
    for (const [nonce, waiter] of peer.pending) {
      if (Number(nonce & 0xfffffffffffffn) !== m.capability) continue;
      peer.pending.delete(nonce);
      const verifier = new SignedRegistry(peer.key, this.crypto, this.clock);
      if (verifier.verify(m.data).verdict !== 'ok') {
        waiter.reject(new RegistryAuthError(`reply for ${waiter.name} failed authentication`));
        return;
      }
      if (d.message.type === RegistryType.LookupResponse) waiter.resolve(d.message.channelId);
      else if (d.message.channelId === BigInt(RegistryError.NotFound)) waiter.resolve(null);
      else
        waiter.reject(
          new RegistryAuthError(`peer refused the lookup of ${waiter.name} (code ${d.message.channelId})`),
        );
      return;
    }
  }
}
