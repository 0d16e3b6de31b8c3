// `futura demo remote`: two Futura nodes in this process linked by an in-memory link (optionally
// lossy, duplicating, reordering, corrupting), ping on node a and pong on node b, and a transcript:
// lookups, bridged channels, each message, then frame, retransmission and CRC-error counts.
import { generateKeyPairSync } from 'node:crypto';
import { isLoadFailure } from '../../kernel/loader';
import type { Identity } from '../../kernel/ipc/remote/crypto';
import { RemoteCluster } from '../../kernel/ipc/remote/cluster';
import type { LinkFaults } from '../../kernel/ipc/remote/carrier';
import type { FipcMessage } from '../../kernel/ipc/remote/frame';
import { remoteChannelsSnapshot, type RemotePeerSnapshot } from '../../kernel/ipc/remote/snapshot';
import { buildDemoGuest } from './guests';
import { identityFromPem, nodeCrypto } from './node-crypto';

/** A throw-away Ed25519 identity for one demo node. */
function newIdentity(): Identity {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return identityFromPem(
    privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  );
}

export interface DemoOptions {
  count: number;
  faults: LinkFaults;
  /** Seal every frame (X25519 session keys, ChaCha20-Poly1305) instead of a plaintext link. */
  encrypted?: boolean;
  /** Print every message (default: the first and last few). */
  verbose?: boolean;
  maxRounds?: number;
  out: (line: string) => void;
}

export interface DemoResult {
  ok: boolean;
  pingStatus: number | undefined;
  pongStatus: number | undefined;
  rounds: number;
  frames: number;
  retransmits: number;
  crcErrors: number;
  duplicatesDropped: number;
  lost: number;
  corrupted: number;
  peers: RemotePeerSnapshot[];
}

const TYPE_NAMES: Record<number, string> = { 0x1000: 'PING', 0x1001: 'PONG', 0x10ff: 'STOP' };

function describe(m: FipcMessage): string {
  const name = TYPE_NAMES[m.type] ?? `0x${m.type.toString(16)}`;
  const n = m.data.length >= 4 ? new DataView(m.data.buffer, m.data.byteOffset).getUint32(0, true) : null;
  return `${name}${n !== null ? ` #${n}` : ''} (${m.data.length} bytes, from pid ${m.srcPid})`;
}

export function runRemoteDemo(opts: DemoOptions): DemoResult {
  const { out } = opts;
  const cluster = new RemoteCluster({ crypto: nodeCrypto });
  const shown = opts.verbose ? Infinity : 6;
  let messages = 0;
  const held: string[] = [];
  const stamp = (): string => `[${String(cluster.now).padStart(5)} ms]`;
  const onEvent = (line: string): void => out(`${stamp()} ${line}`);
  const onMessage =
    (node: string) => (dir: 'out' | 'in', r: { peer: string; channelId: bigint }, m: FipcMessage) => {
      const line =
        dir === 'out'
          ? `${stamp()} ${node} → ${r.peer}  channel ${r.channelId}: ${describe(m)}`
          : `${stamp()} ${node} ← ${r.peer}  channel ${r.channelId}: ${describe(m)}`;
      if (messages++ < shown) out(line);
      else {
        held.push(line);
        if (held.length > 4) held.shift();
      }
    };
  let pingOut = '';
  let pongOut = '';
  const dec = new TextDecoder();
  const a = cluster.addNode(
    'a',
    { onOutput: (b) => (pingOut += dec.decode(b)) },
    { onEvent, onMessage: onMessage('a') },
  );
  const b = cluster.addNode(
    'b',
    { onOutput: (d) => (pongOut += dec.decode(d)) },
    { onEvent, onMessage: onMessage('b') },
  );
  const secure = opts.encrypted
    ? { crypto: nodeCrypto, identities: [newIdentity(), newIdentity()] as [Identity, Identity] }
    : undefined;
  const link = cluster.connect('a', 'b', opts.faults, { maxRetries: 60 }, secure);
  const f = opts.faults;
  const mode = opts.encrypted ? 'encrypted: X25519 + ChaCha20-Poly1305' : 'plaintext';
  out(
    `two Futura nodes, a and b, on an in-memory link (${mode}; loss ${f.loss ?? 0}, duplicate ${f.duplicate ?? 0}, ` +
      `reorder ${f.reorder ?? 0}, corrupt ${f.corrupt ?? 0}, seed ${f.seed ?? 1})`,
  );
  a.kernel.vfs.writeFile('/bin/ping', buildDemoGuest('ping'), 0o755);
  b.kernel.vfs.writeFile('/bin/pong', buildDemoGuest('pong'), 0o755);
  const pong = b.kernel.spawn('/bin/pong', ['/bin/pong']);
  const ping = a.kernel.spawn('/bin/ping', ['/bin/ping', String(opts.count)]);
  if (isLoadFailure(pong)) throw new Error(`pong: ${pong.message}`);
  if (isLoadFailure(ping)) throw new Error(`ping: ${ping.message}`);
  out(
    `${stamp()} b: pong started (pid ${pong.pid}); a: ping started (pid ${ping.pid}), ${opts.count} round trips`,
  );
  const run = cluster.run(
    () =>
      a.kernel.exits.has(ping.pid) && (b.kernel.exits.has(pong.pid) || a.kernel.exits.get(ping.pid) !== 0),
    opts.maxRounds ?? 200_000,
  );
  if (messages > shown) {
    out(`        … ${messages - shown - held.length} more messages …`);
    for (const l of held) out(l);
  }
  const pingStatus = a.kernel.exits.get(ping.pid);
  const pongStatus = b.kernel.exits.get(pong.pid);
  const status = (s: number | undefined): string =>
    s === undefined ? 'still running' : s & 0x7f ? `killed by signal ${s & 0x7f}` : `exit ${(s >> 8) & 0xff}`;
  out(`${stamp()} a: ping ${status(pingStatus)}; b: pong ${status(pongStatus)}`);
  for (const line of `${pingOut}${pongOut}`.split('\n').filter((l) => l)) out(`console: ${line}`);

  const peers = [...remoteChannelsSnapshot(a.kernel), ...remoteChannelsSnapshot(b.kernel)];
  const channels = peers.flatMap((p) => p.channels);
  const result: DemoResult = {
    ok: run.done && pingStatus === 0 && pongStatus === 0,
    pingStatus,
    pongStatus,
    rounds: run.rounds,
    frames: link.stats.sent,
    retransmits: channels.reduce((s, c) => s + c.retransmits, 0),
    crcErrors: peers.reduce((s, p) => s + p.crcErrors, 0),
    duplicatesDropped: channels.reduce((s, c) => s + c.duplicates, 0),
    lost: link.stats.lost,
    corrupted: link.stats.corrupted,
    peers,
  };
  out('');
  out(
    `frames on the link   ${result.frames} (lost ${result.lost}, duplicated ${link.stats.duplicated}, reordered ${link.stats.reordered}, corrupted ${result.corrupted})`,
  );
  out(`retransmissions      ${result.retransmits}`);
  out(`CRC errors dropped   ${result.crcErrors}`);
  out(`duplicates dropped   ${result.duplicatesDropped}`);
  const ends = cluster.links[0]?.secure;
  if (ends) {
    const st = ends.map((e) => e.stats);
    const sum = (k: 'sealed' | 'tampered' | 'replayed' | 'malformed'): number => st[0]![k] + st[1]![k];
    out(
      `records sealed       ${sum('sealed')} (rejected: tampered ${sum('tampered')}, replayed ${sum('replayed')}, malformed ${sum('malformed')})`,
    );
  }
  for (const p of peers) {
    const other = Object.entries(p.drops)
      .filter(([k, v]) => v > 0 && k !== 'crc' && k !== 'header')
      .map(([k, v]) => `${k} ${v}`);
    out(
      `${p.node} ↔ ${p.peer}: crc ${p.drops.crc}, header check ${p.drops.header}${other.length ? `, ${other.join(', ')}` : ''}`,
    );
    for (const c of p.channels)
      out(
        `  channel ${c.channelId} ${c.role}${c.service ? ` ${c.service}` : ''}: next seq ${c.nextSeq}, acked ${c.ackedSeq}, ` +
          `delivered ${c.deliveredSeq}, credits ${c.peerCredits}, retransmits ${c.retransmits}` +
          (c.error ? `, error: ${c.error}` : ''),
      );
  }
  out(result.ok ? `ok: ${opts.count} round trips in ${run.rounds} rounds` : 'FAILED');
  return result;
}
