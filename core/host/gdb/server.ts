// Serves GDB remote sessions on 127.0.0.1: accepts one debugger at a time, speaks the remote
// protocol over a DebugTarget, and reports how each session ended (kill, detach, the target's
// end, a dropped connection). `futura run` and `futura boot` serve one session; the IDE's stub
// keeps listening for the next debugger until it is switched off.
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { encodePacket, RspReader } from './packets';
import { GdbStub, type DebugTarget } from './stub';

export type GdbSessionEnd = 'killed' | 'detached' | 'ended' | 'disconnected';

export interface GdbServer {
  /** The port actually bound (useful with port 0). */
  readonly port: number;
  /** Resolves when the (first, unless persistent) session is over, or the server closed. */
  readonly done: Promise<GdbSessionEnd>;
  /** True while a debugger is connected. */
  readonly connected: boolean;
  /** Stops listening, ends a session in progress (its target stopped first). */
  close(): Promise<void>;
  /** Ends the session in progress (the debugger is disconnected) and keeps listening. */
  kick(): Promise<void>;
}

export interface GdbServerOptions {
  /** Log lines (connections, protocol errors) for stderr. */
  log?: (line: string) => void;
  /** Keep listening after a session ends (the IDE's stub); `done` then resolves on close(). */
  persistent?: boolean;
  /** A debugger connected (its address). */
  onConnect?: (remote: string) => void;
  /** A session ended; its target has stopped running by then. */
  onSessionEnd?: (how: GdbSessionEnd) => void;
}

/** `target`: one target for the session, or a factory called per connection (persistent servers). */
export async function startGdbServer(
  target: DebugTarget | (() => DebugTarget | null),
  port: number,
  opts: GdbServerOptions = {},
): Promise<GdbServer> {
  const server = createServer();
  type Session = { socket: Socket; stub: GdbStub; target: DebugTarget };
  let current: Session | null = null;
  let closed = false;
  let resolveDone: (how: GdbSessionEnd) => void = () => {};
  const done = new Promise<GdbSessionEnd>((resolve) => (resolveDone = resolve));

  const endSession = async (c: Session | null, how: GdbSessionEnd): Promise<void> => {
    if (!c || current !== c) return;
    current = null;
    await c.stub.quiesce();
    c.target.detach?.();
    c.socket.end();
    opts.log?.(`gdb: session ended (${how})`);
    opts.onSessionEnd?.(how);
    if (!opts.persistent) {
      closed = true;
      server.close();
      resolveDone(how);
    }
  };

  server.on('connection', (s) => {
    const t = current || closed ? null : typeof target === 'function' ? target() : target;
    if (!t) {
      s.destroy(); // one debugger at a time (or no machine to debug)
      return;
    }
    s.setNoDelay(true);
    const remote = `${s.remoteAddress ?? '?'}:${s.remotePort ?? '?'}`;
    opts.log?.(`gdb: debugger connected from ${remote}`);
    const reader = new RspReader();
    let last: Uint8Array | null = null;
    let how: GdbSessionEnd = 'disconnected';
    let session: Session | null = null;
    const stub = new GdbStub(
      t,
      (payload) => {
        last = encodePacket(payload);
        if (!s.destroyed) s.write(last);
      },
      (reason) => {
        how = reason;
        setImmediate(() => void endSession(session, how));
      },
    );
    session = { socket: s, stub, target: t };
    current = session;
    opts.onConnect?.(remote);
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
    s.on('close', () => void endSession(session, how));
    s.on('error', () => void endSession(session, 'disconnected'));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = (server.address() as AddressInfo).port;
  return {
    port: bound,
    done,
    get connected() {
      return current !== null;
    },
    kick: () => endSession(current, 'disconnected'),
    close: async () => {
      closed = true;
      server.close();
      await endSession(current, 'disconnected');
      resolveDone('disconnected'); // a no-op when a session's end already resolved it
    },
  };
}
