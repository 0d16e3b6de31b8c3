// A node served over UDP on 127.0.0.1 and the host joining it as a peer (what `futura fipc serve`
// and `futura fipc lookup|send|recv` do), in this process: encrypted link, signed registry lookup,
// a message into the pong service and its reply on a service the host published. A peer of another
// installation is refused.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadInstallationKeys } from '../../core/host/fipc/installation-keys';
import { HostPeer, describeFrame } from '../../core/host/fipc/peer';
import { serveNode, type ServedNode } from '../../core/host/fipc/serve-node';
import { encodeFrame } from '../../core/kernel/ipc/remote/frame';
import { remoteChannelsSnapshot } from '../../core/kernel/ipc/remote/snapshot';

const keysA = loadInstallationKeys(mkdtempSync(join(tmpdir(), 'futura-serve-a-')));
const keysB = loadInstallationKeys(mkdtempSync(join(tmpdir(), 'futura-serve-b-')));
let served: ServedNode | null = null;
const peers: HostPeer[] = [];

afterEach(() => {
  for (const p of peers.splice(0)) p.close();
  served?.close();
  served = null;
});

describe('serving a node over UDP', () => {
  it('lets the host look pong up, send it a PING and get the PONG on a published service', async () => {
    const log: string[] = [];
    served = await serveNode({ port: 0, keys: keysA, log: (l) => log.push(l) });
    const dumped: string[] = [];
    const peer = await HostPeer.join({
      port: served.port,
      keys: keysA,
      dump: { wire: true, frame: true, out: (l) => dumped.push(l) },
    });
    peers.push(peer);
    expect(await peer.lookup('pong')).toBe(3n);
    expect(await peer.lookup('nothing')).toBeNull();
    const reply = peer.publish('ping');
    await peer.send(3n, 0x1000, new TextEncoder().encode('over udp'));
    const m = await peer.receive(reply, 10_000);
    expect(m?.type).toBe(0x1001);
    expect(new TextDecoder().decode(m!.data)).toBe('over udp');
    // The wire carried encrypted records; the frames inside had good CRCs.
    expect(
      dumped.some((l) => l.startsWith('→ wire') && l.includes('ENCRYPTED') && l.includes('CRC ok')),
    ).toBe(true);
    expect(dumped.some((l) => l.startsWith('← frame') && l.includes('message type 0x1001'))).toBe(true);
    expect(log.some((l) => /peer udp:\d+ joined/.test(l))).toBe(true);
    const snap = remoteChannelsSnapshot(served.kernel);
    expect(snap[0]?.channels.some((c) => c.role === 'import' && c.service === 'ping')).toBe(true);
    expect(snap[0]?.channels.some((c) => c.role === 'export' && c.service === 'pong')).toBe(true);
  }, 30_000);

  it('refuses a peer of another installation (its identity is not trusted)', async () => {
    served = await serveNode({ port: 0, keys: keysA, pong: false, log: () => {} });
    await expect(HostPeer.join({ port: served.port, keys: keysB, timeoutMs: 600 })).rejects.toThrow(
      /no node answered/,
    );
  }, 30_000);
});

describe('frame dump lines', () => {
  it('decode the header and give the CRC verdict', () => {
    const f = encodeFrame({ flags: 0, seq: 7, credits: 32, channelId: 3n, message: null });
    expect(describeFrame('→', 'frame', f)).toMatch(/seq 7 credits 32 channel 3 len 0 .*CRC ok/);
    const bad = f.slice();
    bad[8] ^= 1;
    expect(describeFrame('←', 'wire', bad)).toMatch(/seq 6 .*BAD \(header\)/);
    expect(describeFrame('←', 'wire', f.subarray(0, 10))).toContain('too short');
  });
});
