// `futura boot --gdb PORT`: the booted machine halts before init's first instruction and waits
// for GDB on 127.0.0.1:PORT; the debugger then drives the whole machine (every task a thread,
// init the one whose end ends the session). Terminal input goes straight to the guest while GDB
// holds the machine (a script waits); when GDB detaches, the boot goes on as a plain one.
import type { Booted } from '../host/boot/boot';
import type { ConsoleIo } from '../host/boot/console-run';
import { loopDriver } from '../host/gdb/drive';
import { KernelDebugTarget } from '../host/gdb/kernel-target';
import { startGdbServer, type GdbSessionEnd } from '../host/gdb/server';

/** Most host bytes queued in the guest console at once. */
const FEED_BYTES = 4096;

export interface GdbBootResult {
  how: GdbSessionEnd;
  /** The console for the rest of the boot: what arrived meanwhile and did not go in comes first. */
  io: ConsoleIo;
}

/**
 * Serves one GDB session over the booted machine. `io`'s input is taken over here, and handed on
 * through the returned ConsoleIo.
 */
export async function serveGdbBoot(
  booted: Booted,
  port: number,
  io: ConsoleIo,
  err: (s: string) => void,
  /** Feed console input while GDB holds the machine (a terminal); a script waits for the boot. */
  feedDuringSession = true,
): Promise<GdbBootResult> {
  const { kernel: k, init } = booted;
  const queued: Uint8Array[] = [];
  let ended = false;
  let quit = false;
  let next: { data: (b: Uint8Array) => void; end: () => void; quit: () => void } | null = null;
  let closeServer: (() => void) | null = null;
  io.input(
    (bytes) => {
      if (next) next.data(bytes);
      else if (bytes.length > 0) queued.push(bytes.slice());
    },
    () => {
      if (next) next.end();
      else ended = true;
    },
    () => {
      if (next) next.quit();
      else {
        quit = true;
        closeServer?.();
      }
    },
  );
  const feed = (): void => {
    while (feedDuringSession && queued.length > 0 && k.console.pending < FEED_BYTES) {
      const head = queued[0]!;
      const take = head.subarray(0, FEED_BYTES);
      if (take.length === head.length) queued.shift();
      else queued[0] = head.subarray(take.length);
      k.console.feed(take);
    }
  };
  const target = new KernelDebugTarget(k, {
    mainPid: init.pid,
    driver: loopDriver({ beforeSlice: feed }),
  });
  const server = await startGdbServer(target, port, {
    log: (line) => err(`futura boot: ${line}\r\n`),
  });
  closeServer = () => void server.close();
  err(
    `futura boot: waiting for gdb on 127.0.0.1:${server.port} ` +
      `(gdb-multiarch -ex 'target remote 127.0.0.1:${server.port}' IMAGE/sbin/init)\r\n`,
  );
  const how = await server.done;
  return {
    how,
    io: {
      input: (data, end, q) => {
        next = { data, end, quit: q };
        for (const b of queued.splice(0)) data(b);
        if (ended) end();
        if (quit) q();
      },
    },
  };
}
