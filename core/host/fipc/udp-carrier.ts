// The UDP carrier: remote FIPC between processes on this machine (127.0.0.1), behind the same
// Carrier interface as the in-memory link. Datagrams from any address but the configured peer are
// ignored, so another local process cannot inject frames by guessing the port.
import { createSocket, type Socket } from 'node:dgram';
import type { Carrier } from '../../kernel/ipc/remote/carrier';

export interface UdpEndpoint {
  host: string;
  port: number;
}

export class UdpCarrier implements Carrier {
  private handler: ((d: Uint8Array) => void) | null = null;
  /** Datagrams that came from somewhere other than the peer. */
  foreign = 0;
  peer: UdpEndpoint | null;

  private constructor(
    private readonly socket: Socket,
    readonly local: UdpEndpoint,
    peer: UdpEndpoint | null,
  ) {
    this.peer = peer;
    socket.on('message', (msg, rinfo) => {
      if (this.peer === null) this.peer = { host: rinfo.address, port: rinfo.port };
      if (rinfo.address !== this.peer.host || rinfo.port !== this.peer.port) {
        this.foreign++;
        return;
      }
      this.handler?.(new Uint8Array(msg.buffer, msg.byteOffset, msg.byteLength).slice());
    });
  }

  /** Binds a loopback socket (port 0 = any free port); `peer` may be learned from the first datagram. */
  static async open(options: { port?: number; peer?: UdpEndpoint; host?: string } = {}): Promise<UdpCarrier> {
    const host = options.host ?? '127.0.0.1';
    const socket = createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(options.port ?? 0, host, () => resolve());
    });
    return new UdpCarrier(socket, { host, port: socket.address().port }, options.peer ?? null);
  }

  send(datagram: Uint8Array): void {
    if (!this.peer) return;
    this.socket.send(datagram, this.peer.port, this.peer.host);
  }

  onDatagram(handler: (d: Uint8Array) => void): void {
    this.handler = handler;
  }

  close(): void {
    this.socket.close();
  }
}
