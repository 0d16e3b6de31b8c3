// Remote channels in the kernel: GCC-built ping (node A) and pong (node B) on two Futura kernels in
// one process, linked by an in-memory link; the guests find each other through the remote registry.
import { createHash, generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect } from 'vitest';
import { identityFromPem, nodeCrypto } from '../../core/host/fipc/node-crypto';
import { isLoadFailure } from '../../core/kernel/loader';
import { RemoteCluster } from '../../core/kernel/ipc/remote/cluster';
import type { LinkFaults } from '../../core/kernel/ipc/remote/carrier';
import { remoteChannelsSnapshot } from '../../core/kernel/ipc/remote/snapshot';
import { buildWithGcc } from '../support/gcc';
import { RV_GCC, oracleIt } from '../support/oracle';

const GUESTS = fileURLToPath(new URL('./guests/', import.meta.url));
const dec = new TextDecoder();

function guest(name: 'ping' | 'pong'): Uint8Array {
  const header = createHash('sha256')
    .update(readFileSync(`${GUESTS}remote.h`))
    .digest('hex')
    .slice(0, 12);
  return new Uint8Array(
    readFileSync(buildWithGcc([`${GUESTS}${name}.c`], { flags: ['-O2', `-DRH=${header}`] })),
  );
}

function identity() {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return identityFromPem(
    privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  );
}

function twoNodes(faults: LinkFaults = {}, encrypted = false) {
  const c = new RemoteCluster({ crypto: nodeCrypto });
  const out = { a: '', b: '' };
  const a = c.addNode('a', { onOutput: (b) => (out.a += dec.decode(b)) });
  const b = c.addNode('b', { onOutput: (d) => (out.b += dec.decode(d)) });
  const link = c.connect(
    'a',
    'b',
    faults,
    {},
    encrypted ? { crypto: nodeCrypto, identities: [identity(), identity()] } : undefined,
  );
  a.kernel.vfs.writeFile('/bin/ping', guest('ping'), 0o755);
  b.kernel.vfs.writeFile('/bin/pong', guest('pong'), 0o755);
  return { c, a, b, link, out };
}

function start(
  k: RemoteCluster['nodes'] extends Map<string, infer N> ? N : never,
  path: string,
  argv: string[],
) {
  const t = k.kernel.spawn(path, argv);
  if (isLoadFailure(t)) throw new Error(t.message);
  return t.pid;
}

describe('remote channels between two kernels (plaintext in-memory link unless it says encrypted)', () => {
  oracleIt('ping on node A and pong on node B: every reply equals its request', [RV_GCC], () => {
    const { c, a, b, link, out } = twoNodes();
    const pong = start(b, '/bin/pong', ['/bin/pong']);
    const ping = start(a, '/bin/ping', ['/bin/ping', '20', '100']);
    const r = c.run(() => c.exited('a', ping) && c.exited('b', pong), 20_000);
    expect(out.a).toContain('ping: 20/20 round trips ok');
    expect(out.b).toContain('pong: served 20');
    expect(r.done).toBe(true);
    expect(a.kernel.exits.get(ping)).toBe(0);
    expect(b.kernel.exits.get(pong)).toBe(0);
    expect(link.stats.lost + link.stats.corrupted).toBe(0);
    // Both directions went through the bridges, once each.
    expect(a.bridge.stats.forwarded).toBe(21); // 20 pings and the STOP
    expect(b.bridge.stats.delivered).toBe(21);
    expect(b.bridge.stats.forwarded).toBe(20);
    expect(a.bridge.stats.delivered).toBe(20);
    const snap = remoteChannelsSnapshot(a.kernel);
    const toB = snap.find((p) => p.peer === 'b');
    expect(toB?.channels.some((ch) => ch.service === 'pong' && ch.sent === 21)).toBe(true);
    expect(JSON.parse(JSON.stringify(snap))).toEqual(snap);
  });

  oracleIt(
    'delivers every message once and in order over a lossy, duplicating, reordering, corrupting link',
    [RV_GCC],
    () => {
      const { c, a, b, link, out } = twoNodes({
        loss: 0.15,
        duplicate: 0.1,
        reorder: 0.2,
        corrupt: 0.05,
        seed: 7,
      });
      const pong = start(b, '/bin/pong', ['/bin/pong']);
      const ping = start(a, '/bin/ping', ['/bin/ping', '40', '200']);
      c.run(() => c.exited('a', ping) && c.exited('b', pong), 60_000);
      expect(out.a).toContain('ping: 40/40 round trips ok');
      expect(out.b).toContain('pong: served 40');
      expect(link.stats.lost).toBeGreaterThan(0);
      expect(link.stats.corrupted).toBeGreaterThan(0);
      const peers = [...remoteChannelsSnapshot(a.kernel), ...remoteChannelsSnapshot(b.kernel)];
      const retransmits = peers.flatMap((p) => p.channels).reduce((s, ch) => s + ch.retransmits, 0);
      const crcDrops = peers.reduce((s, p) => s + p.drops.crc + p.drops.header, 0);
      expect(retransmits).toBeGreaterThan(0);
      expect(crcDrops).toBeGreaterThan(0);
      // Exactly once: what pong served equals what ping sent, despite duplicates on the wire.
      expect(b.bridge.stats.delivered).toBe(41);
      expect(a.bridge.stats.delivered).toBe(40);
    },
  );

  oracleIt(
    'works the same over an encrypted, lossy link; every frame on the wire is sealed',
    [RV_GCC],
    () => {
      const { c, a, b, link, out } = twoNodes({ loss: 0.1, reorder: 0.1, corrupt: 0.05, seed: 5 }, true);
      const wire: Uint8Array[] = [];
      const send = link.a.send.bind(link.a);
      link.a.send = (d) => {
        wire.push(d.slice());
        send(d);
      };
      const pong = start(b, '/bin/pong', ['/bin/pong']);
      const ping = start(a, '/bin/ping', ['/bin/ping', '15', '64']);
      c.run(() => c.exited('a', ping) && c.exited('b', pong), 60_000);
      expect(out.a).toContain('ping: 15/15 round trips ok');
      const [sa, sb] = c.links[0]!.secure!;
      expect(sa.established && sb.established).toBe(true);
      expect(sb.stats.tampered + sb.stats.malformed + sa.stats.tampered + sa.stats.malformed).toBeGreaterThan(
        0,
      );
      // Everything A put on the wire after the handshake was an encrypted record (flag 0x80).
      const records = wire.filter((d) => (d[5]! & 0x40) === 0);
      expect(records.length).toBeGreaterThan(30);
      expect(records.every((d) => (d[5]! & 0x80) !== 0)).toBe(true);
    },
  );

  oracleIt(
    'a link that goes dead makes the guest see the error (fipc_poll reports DISCONNECT)',
    [RV_GCC],
    () => {
      const { c, a, b, link, out } = twoNodes();
      const pong = start(b, '/bin/pong', ['/bin/pong']);
      const ping = start(a, '/bin/ping', ['/bin/ping', '1000', '16']);
      // Let a few round trips through, then cut the link for good.
      c.run(() => (out.b.length > 0 ? true : b.bridge.stats.delivered >= 5), 5_000);
      link.a.close();
      link.b.close();
      const r = c.run(() => c.exited('a', ping), 20_000);
      expect(r.done).toBe(true);
      expect(out.a).toMatch(/ping: pong channel error \(poll 2\) after \d+ round trips/);
      expect(a.kernel.exits.get(ping)).toBe(3 << 8);
      const failed = remoteChannelsSnapshot(a.kernel)[0]!.channels.find((ch) => ch.service === 'pong');
      expect(failed?.error).toMatch(/did not acknowledge|peer silent/);
      expect(c.exited('b', pong)).toBe(false);
    },
  );

  oracleIt('a service no peer has stays unresolved: connect keeps failing with -ENOENT', [RV_GCC], () => {
    const { c, a, out } = twoNodes();
    // No pong anywhere: ping gives up after its retries.
    const ping = start(a, '/bin/ping', ['/bin/ping', '1', '16', '3000']);
    c.run(() => c.exited('a', ping), 50_000);
    expect(out.a).toContain('ping: no pong service (-2)');
    expect(a.bridge.stats.imports).toBe(0);
    expect(a.bridge.stats.failedImports).toBeGreaterThan(0);
  });
});
