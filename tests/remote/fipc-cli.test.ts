// `futura fipc lookup|send|recv` against a node served in this process (the keys come from the
// user's data folder, here a temporary FUTURA_DATA_DIR shared with the node).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../core/cli/main';
import { loadInstallationKeys } from '../../core/host/fipc/installation-keys';
import { HostPeer } from '../../core/host/fipc/peer';
import { serveNode, type ServedNode } from '../../core/host/fipc/serve-node';

let served: ServedNode;
let savedDir: string | undefined;

beforeAll(async () => {
  savedDir = process.env.FUTURA_DATA_DIR;
  process.env.FUTURA_DATA_DIR = mkdtempSync(join(tmpdir(), 'futura-fipc-cli-'));
  served = await serveNode({
    port: 0,
    keys: loadInstallationKeys(process.env.FUTURA_DATA_DIR),
    log: () => {},
  });
});

afterAll(() => {
  served.close();
  if (savedDir === undefined) delete process.env.FUTURA_DATA_DIR;
  else process.env.FUTURA_DATA_DIR = savedDir;
});

async function fipc(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => {
    stdout += String(c);
    return true;
  });
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => {
    stderr += String(c);
    return true;
  });
  try {
    return { code: await main(['fipc', ...args]), stdout, stderr };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

describe('futura fipc', () => {
  it('looks services up', async () => {
    const port = String(served.port);
    expect(await fipc('lookup', 'pong', '--port', port)).toMatchObject({
      code: 0,
      stdout: 'pong: channel 3\n',
    });
    expect(await fipc('lookup', 'nope', '--port', port)).toMatchObject({
      code: 1,
      stdout: 'nope: not found\n',
    });
  }, 30_000);

  it('sends a PING to pong by name and prints the PONG it sends back, with the frames', async () => {
    const r = await fipc(
      'send',
      'pong',
      '0x1000',
      'hi there',
      '--reply',
      'ping',
      '--port',
      String(served.port),
      '--dump',
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('sent type 0x1000, 8 bytes to channel 3: acknowledged');
    expect(r.stdout).toContain('ping: type 0x1001, 8 bytes: "hi there"');
    expect(r.stdout).toMatch(
      /← frame {2}magic 0x31435046 v1 flags - seq 1 .* CRC ok \| message type 0x1001 8 bytes/,
    );
  }, 30_000);

  it('recv publishes a service and prints what the node’s tasks send to it', async () => {
    const port = String(served.port);
    const receiving = fipc('recv', 'ping', '--port', port, '--timeout', '8000');
    // Another peer pokes pong; pong answers on "ping", which only the receiving peer has.
    const sender = await HostPeer.join({
      port: served.port,
      keys: loadInstallationKeys(process.env.FUTURA_DATA_DIR!),
    });
    try {
      await new Promise((r) => setTimeout(r, 300)); // let recv join and publish first
      await sender.send(3n, 0x1000, new TextEncoder().encode('to whoever has ping'));
      const r = await receiving;
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/waiting on ping \(channel \d+\)/);
      expect(r.stdout).toContain('type 0x1001, 19 bytes from pid 1: "to whoever has ping"');
    } finally {
      sender.close();
    }
  }, 30_000);

  it('reports bad arguments and a missing node with status 2', async () => {
    expect((await fipc('send', 'pong', 'xyz', 'd', '--port', String(served.port))).stderr).toContain(
      'TYPE must be',
    );
    expect((await fipc('lookup', 'pong', '--port', '70000')).code).toBe(2);
    const none = await fipc('lookup', 'pong', '--port', '9', '--timeout', '300');
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('no node answered');
  }, 30_000);
});
