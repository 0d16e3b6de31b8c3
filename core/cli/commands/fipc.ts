// `futura fipc …`: remote FIPC from the host. `serve` runs a node (with the pong service) that
// other processes join over UDP on 127.0.0.1; `lookup`, `send`, `recv` and `dump` join a running
// node as a peer, over an encrypted link under this installation's keys.
import type { Command } from 'commander';
import type { CliContext } from '../context';
import { loadInstallationKeys, type InstallationKeys } from '../../host/fipc/installation-keys';
import { HostPeer } from '../../host/fipc/peer';
import { serveNode } from '../../host/fipc/serve-node';
import { userDataDir } from '../../host/paths';
import { parseCount } from '../numbers';

export const DEFAULT_FIPC_PORT = 7411;

interface PeerFlags {
  port: string;
  dump?: boolean;
  dumpWire?: boolean;
  timeout: string;
}

const out = (line: string): void => void process.stdout.write(`${line}\n`);

function fail(message: string): number {
  process.stderr.write(`futura fipc: ${message}\n`);
  return 2;
}

function keys(): InstallationKeys {
  return loadInstallationKeys(userDataDir());
}

function parsePort(text: string): number | null {
  const n = Number(text);
  return Number.isInteger(n) && n >= 0 && n < 65536 ? n : null;
}

/** A u32 in decimal or 0x-hex (message types). */
function parseU32(text: string): number | null {
  const t = text.trim();
  const n = /^0x[0-9a-f]+$/i.test(t) ? parseInt(t, 16) : /^\d+$/.test(t) ? Number(t) : NaN;
  return Number.isInteger(n) && n >= 0 && n <= 0xffff_ffff ? n : null;
}

function hexToBytes(hex: string): Uint8Array | null {
  const h = hex.replace(/\s+/g, '');
  if (!/^([0-9a-f]{2})*$/i.test(h)) return null;
  return Uint8Array.from(h.match(/../g) ?? [], (b) => parseInt(b, 16));
}

function showData(d: Uint8Array): string {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(d);
  const printable = /^[\x20-\x7e\t\r\n]*$/.test(text);
  const hex = Buffer.from(d.subarray(0, 64)).toString('hex') + (d.length > 64 ? '…' : '');
  return printable ? JSON.stringify(text) : `hex ${hex}`;
}

/** Joins the node with the common flags, runs `body`, always leaves. */
async function withPeer(
  flags: PeerFlags,
  body: (p: HostPeer, timeoutMs: number) => Promise<number>,
): Promise<number> {
  const port = parsePort(flags.port);
  if (port === null || port === 0) return fail(`--port must be a UDP port number, got '${flags.port}'`);
  const timeout = parseCount(flags.timeout);
  if (timeout === null) return fail(`--timeout must be a positive number of ms, got '${flags.timeout}'`);
  let peer: HostPeer;
  try {
    peer = await HostPeer.join({
      port,
      keys: keys(),
      timeoutMs: timeout,
      ...(flags.dump || flags.dumpWire
        ? { dump: { wire: flags.dumpWire === true, frame: flags.dump === true, out } }
        : {}),
    });
  } catch (e) {
    return fail(e instanceof Error ? e.message : String(e));
  }
  try {
    return await body(peer, timeout);
  } catch (e) {
    return fail(e instanceof Error ? e.message : String(e));
  } finally {
    await peer.leave();
  }
}

async function resolveChannel(peer: HostPeer, channel: string): Promise<bigint | string> {
  if (/^\d+$/.test(channel)) return BigInt(channel);
  const id = await peer.lookup(channel);
  return id === null ? `the node has no service named ${JSON.stringify(channel)}` : id;
}

function peerCommand(parent: Command, name: string, description: string): Command {
  return parent
    .command(name)
    .description(description)
    .option('--port <port>', 'UDP port of the node on 127.0.0.1', String(DEFAULT_FIPC_PORT))
    .option('--timeout <ms>', 'how long to wait for the node and for answers', '3000')
    .option('--dump', 'print every frame (decoded header, CRC verdict, message) as it is sent and received')
    .option('--dump-wire', 'print the encrypted records on the wire as well');
}

export function registerFipc(program: Command, ctx: CliContext): void {
  const fipc = program
    .command('fipc')
    .description(
      'remote FIPC from the host: serve a node, or join one to look up, send, receive, dump frames',
    );

  fipc
    .command('serve')
    .description('run a Futura node (with the pong service) that peers join over UDP on 127.0.0.1')
    .option('--port <port>', 'UDP port to listen on (0 = any)', String(DEFAULT_FIPC_PORT))
    .option('--no-pong', 'do not start the pong service')
    .action(async (flags: { port: string; pong: boolean }) => {
      const port = parsePort(flags.port);
      if (port === null) {
        ctx.exitCode = fail(`--port must be a UDP port number, got '${flags.port}'`);
        return;
      }
      try {
        const node = await serveNode({ port, keys: keys(), pong: flags.pong, log: out });
        out(`node listening on 127.0.0.1:${node.port} (encrypted; peers need this installation's keys)`);
        await new Promise<void>((resolve) => {
          const stop = (): void => {
            node.close();
            resolve();
          };
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
        });
        ctx.exitCode = 0;
      } catch (e) {
        ctx.exitCode = fail(e instanceof Error ? e.message : String(e));
      }
    });

  peerCommand(fipc, 'lookup', 'look a service up in the node’s signed registry')
    .argument('<name>', 'service name')
    .action(async (name: string, flags: PeerFlags) => {
      ctx.exitCode = await withPeer(flags, async (peer) => {
        const id = await peer.lookup(name);
        if (id === null) {
          out(`${name}: not found`);
          return 1;
        }
        out(`${name}: channel ${id}`);
        return 0;
      });
    });

  peerCommand(fipc, 'send', 'send one message into a channel of the node (by id or service name)')
    .argument('<channel>', 'channel id, or a service name to look up')
    .argument('<type>', 'message type (decimal or 0x-hex; user types start at 0x1000)')
    .argument('<data>', 'message data (text; with --hex, hex bytes)')
    .option('--hex', 'DATA is hex')
    .option('--reply <name>', 'publish NAME first and print the first message the node sends to it')
    .action(
      async (
        channel: string,
        typeText: string,
        dataText: string,
        flags: PeerFlags & { hex?: boolean; reply?: string },
      ) => {
        const type = parseU32(typeText);
        if (type === null) {
          ctx.exitCode = fail(`TYPE must be a u32 (decimal or 0x-hex), got '${typeText}'`);
          return;
        }
        const data = flags.hex ? hexToBytes(dataText) : new TextEncoder().encode(dataText);
        if (data === null || data.length > 65536) {
          ctx.exitCode = fail('DATA must be at most 65536 bytes (even-length hex with --hex)');
          return;
        }
        ctx.exitCode = await withPeer(flags, async (peer, timeout) => {
          const id = await resolveChannel(peer, channel);
          if (typeof id === 'string') return fail(id);
          const replyId = flags.reply === undefined ? null : peer.publish(flags.reply);
          await peer.send(id, type, data, timeout);
          out(`sent type 0x${type.toString(16)}, ${data.length} bytes to channel ${id}: acknowledged`);
          if (replyId === null) return 0;
          const m = await peer.receive(replyId, timeout);
          if (!m) return fail(`no message on ${flags.reply} within ${timeout} ms`);
          out(`${flags.reply}: type 0x${m.type.toString(16)}, ${m.data.length} bytes: ${showData(m.data)}`);
          return 0;
        });
      },
    );

  peerCommand(
    fipc,
    'recv',
    'publish a service (or bind a channel id) and print the messages the node sends to it',
  )
    .argument('<channel>', 'service name to publish, or a channel id to bind')
    .option('--count <n>', 'stop after this many messages', '1')
    .action(async (channel: string, flags: PeerFlags & { count: string }) => {
      const count = parseCount(flags.count);
      if (count === null) {
        ctx.exitCode = fail(`--count must be a positive integer, got '${flags.count}'`);
        return;
      }
      ctx.exitCode = await withPeer(flags, async (peer, timeout) => {
        const id = /^\d+$/.test(channel) ? BigInt(channel) : peer.publish(channel);
        out(`waiting on ${channel} (channel ${id})`);
        for (let i = 0; i < count; i++) {
          const m = await peer.receive(id, timeout);
          if (!m) return fail(`no message within ${timeout} ms`);
          out(
            `type 0x${m.type.toString(16)}, ${m.data.length} bytes from pid ${m.srcPid}: ${showData(m.data)}`,
          );
        }
        return 0;
      });
    });

  peerCommand(fipc, 'dump', 'join the node and print every frame for a while (decoded headers, CRC verdict)')
    .option('--seconds <n>', 'how long to listen', '5')
    .option('--lookup <name>', 'look a service up first (to see registry frames)')
    .action(async (flags: PeerFlags & { seconds: string; lookup?: string }) => {
      const seconds = parseCount(flags.seconds);
      if (seconds === null) {
        ctx.exitCode = fail(`--seconds must be a positive integer, got '${flags.seconds}'`);
        return;
      }
      ctx.exitCode = await withPeer({ ...flags, dump: true }, async (peer) => {
        if (flags.lookup !== undefined)
          out(`lookup ${flags.lookup}: ${(await peer.lookup(flags.lookup)) ?? 'not found'}`);
        await new Promise((r) => setTimeout(r, seconds * 1000));
        const s = peer.stats();
        const drops = Object.entries(s.drops).filter(([, v]) => v > 0);
        out(`drops: ${drops.length ? drops.map(([k, v]) => `${k} ${v}`).join(', ') : 'none'}`);
        return 0;
      });
    });
}
