// One UDP socket on 127.0.0.1 serving many peers: each source address gets its own Carrier, made
// on its first datagram, so a node can accept peers that join while it runs (`futura fipc serve`).
// The number of peers is capped; the one heard from longest ago makes room for a new one.
import { createSocket, type Socket } from 'node:dgram';
import type { Carrier } from '../../kernel/ipc/remote/carrier';
import type { UdpEndpoint } from './udp-carrier';

class HubCarrier implements Carrier {
  handler: ((d: Uint8Array) => void) | null = null;
  closed = false;
  lastHeard = Date.now();
  constructor(
    private readonly hub: UdpHub,
    readonly remote: UdpEndpoint,
  ) {}
  send(datagram: Uint8Array): void {
    if (!this.closed) this.hub.sendTo(this.remote, datagram);
  }
  onDatagram(handler: (d: Uint8Array) => void): void {
    this.handler = handler;
  }
  close(): void {
    this.closed = true;
  }
}

export class UdpHub {
  private readonly peers = new Map<string, HubCarrier>();

  private constructor(
    private readonly socket: Socket,
    readonly local: UdpEndpoint,
    private readonly onPeer: (carrier: Carrier, remote: UdpEndpoint) => void,
    private readonly onEvict: (remote: UdpEndpoint) => void,
    private readonly maxPeers: number,
  ) {
    socket.on('message', (msg, rinfo) => {
      const key = `${rinfo.address}:${rinfo.port}`;
      let c = this.peers.get(key);
      if (!c || c.closed) {
        if (this.peers.size >= this.maxPeers) this.evictOldest();
        c = new HubCarrier(this, { host: rinfo.address, port: rinfo.port });
        this.peers.set(key, c);
        this.onPeer(c, c.remote);
      }
      c.lastHeard = Date.now();
      c.handler?.(new Uint8Array(msg.buffer, msg.byteOffset, msg.byteLength).slice());
    });
  }

  static async open(options: {
    port?: number;
    host?: string;
    maxPeers?: number;
    onPeer: (carrier: Carrier, remote: UdpEndpoint) => void;
    onEvict?: (remote: UdpEndpoint) => void;
  }): Promise<UdpHub> {
    const host = options.host ?? '127.0.0.1';
    const socket = createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(options.port ?? 0, host, () => resolve());
    });
    return new UdpHub(
      socket,
      { host, port: socket.address().port },
      options.onPeer,
      options.onEvict ?? (() => {}),
      options.maxPeers ?? 16,
    );
  }

  sendTo(remote: UdpEndpoint, datagram: Uint8Array): void {
    this.socket.send(datagram, remote.port, remote.host);
  }

  /** Forgets a peer; its next datagram makes it a new one. */
  drop(remote: UdpEndpoint): void {
    const key = `${remote.host}:${remote.port}`;
    this.peers.get(key)?.close();
    this.peers.delete(key);
  }

  get peerCount(): number {
    return this.peers.size;
  }

  close(): void {
    for (const c of this.peers.values()) c.close();
    this.socket.close();
  }

  private evictOldest(): void {
    let oldest: HubCarrier | null = null;
    for (const c of this.peers.values()) if (!oldest || c.lastHeard < oldest.lastHeard) oldest = c;
    if (!oldest) return;
    this.drop(oldest.remote);
    this.onEvict(oldest.remote);
  }
}
