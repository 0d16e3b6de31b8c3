// Serves one GDB remote session on 127.0.0.1: accepts the first debugger that connects, speaks
// the remote protocol over a DebugTarget, and resolves when the debugger kills, detaches, or the
// target ends.
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { encodePacket, RspReader } from './packets';
import { GdbStub, type DebugTarget } from './stub';

export type GdbSessionEnd = 'killed' | 'detached' | 'ended' | 'disconnected';

export interface GdbServer {
  /** The port actually bound (useful with port 0). */
  readonly port: number;
  /** Resolves when the session is over. */
  readonly done: Promise<GdbSessionEnd>;
  close(): void;
}

export interface GdbServerOptions {
  /** Log lines (connections, protocol errors) for stderr. */
  log?: (line: string) => void;
}

export async function startGdbServer(
  target: DebugTarget,
  port: number,
  opts: GdbServerOptions = {},
): Promise<GdbServer> {
  const server = createServer();
  let socket: Socket | null = null;
  let finish: (how: GdbSessionEnd) => void = () => {};
  const done = new Promise<GdbSessionEnd>((resolve) => {
    finish = (how) => {
      server.close();
      socket?.end();
      resolve(how);
    };
  });

  server.on('connection', (s) => {
    if (socket) {
      s.destroy(); // one debugger at a time
      return;
    }
    socket = s;
    s.setNoDelay(true);
    opts.log?.(`gdb: debugger connected from ${s.remoteAddress ?? '?'}:${s.remotePort ?? '?'}`);
    const reader = new RspReader();
    let last: Uint8Array | null = null;
    let how: GdbSessionEnd = 'ended';
    const stub = new GdbStub(
      target,
      (payload) => {
        last = encodePacket(payload);
        if (!s.destroyed) s.write(last);
      },
      (reason) => {
        how = reason;
        setImmediate(() => finish(how));
      },
    );
    s.on('data', (chunk: Buffer) => {
      for (const input of reader.push(chunk)) {
        if (input.kind === 'interrupt') stub.interrupt();
        else if (input.kind === 'nak') {
          if (last && !stub.noAck) s.write(last);
        } else {
          if (!stub.noAck) s.write('+');
          stub.handle(input.data);
        }
      }
    });
    s.on('close', () => finish(how === 'ended' ? 'disconnected' : how));
    s.on('error', () => finish('disconnected'));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const bound = (server.address() as AddressInfo).port;
  return { port: bound, done, close: () => finish('disconnected') };
}
