// fipc.link through the session: the IDE's running kernel joins a `futura fipc serve` node (served
// in-process on UDP 127.0.0.1, a free port) over the encrypted link under the installation's keys
// kept in the session's data folder. The peer then shows in the streamed snapshot's `remote`; the
// node looks up a service the session's guest registered and sends into it, and the guest prints
// what it received; unlink makes the peer leave both sides. No node, or a node of another
// installation, fails with a message.
import { createSocket } from 'node:dgram';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildDemoGuest } from '../../core/host/fipc/guests';
import { loadInstallationKeys } from '../../core/host/fipc/installation-keys';
import { serveNode, type ServedNode } from '../../core/host/fipc/serve-node';
import type { Builder, BuildResult } from '../../core/host/session/builder';
import { Session } from '../../core/host/session/session';
import { inlineLink, type LinkFactory } from '../../core/host/worker/runner';
import type { RemotePeerSnapshot } from '../../core/kernel/ipc/remote/snapshot';
import type { FipcLinkStatus } from '../../core/protocol/fipc-link';
import { SnapshotReceiver, type SnapshotEvent } from '../../core/protocol/snapshot-stream';
import { AsmBuilder, asmWorkspace, DirectClient } from './session-support';

/**
 * Registers the service "hello" (a blocking channel), prints "ready", then prints the data of
 * every message it receives on it. Exit status 3 when a call fails.
 */
const HELLO_SERVICE_ASM = `
  .text
  .globl _start
_start:
  li a0, 1
  li a1, 0
  li a7, 600
  ecall
  bltz a0, fail
  mv s0, a0
  la a0, name
  mv a1, s0
  li a7, 606
  ecall
  bnez a0, fail
  li a0, 1
  la a1, ready
  li a2, 6
  li a7, 64
  ecall
loop:
  mv a0, s0
  la a1, buf
  li a2, 1056
  li a7, 602
  ecall
  li t0, 32
  blt a0, t0, fail
  addi a2, a0, -32
  li a0, 1
  la a1, buf
  addi a1, a1, 32
  li a7, 64
  ecall
  j loop
fail:
  li a0, 3
  li a7, 93
  ecall
  .data
name: .asciz "hello"
ready: .ascii "ready\\n"
  .bss
buf: .space 1056
`;

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

/** Boots the demo's ping as init: it connects to "pong" (retrying) and makes 3 round trips. */
const pingBuilder: Builder = {
  build: (): Promise<BuildResult> =>
    Promise.resolve({
      ok: true,
      diagnostics: [],
      image: {
        dirs: ['/sbin'],
        files: [{ path: '/sbin/init', data: buildDemoGuest('ping'), mode: 0o755 }],
        args: ['3'],
      },
    }),
};

async function openSession(
  link: LinkFactory | undefined,
  dataDir = mkdtempSync(join(tmpdir(), 'futura-data-')),
  builder: Builder = new AsmBuilder(),
): Promise<{ c: DirectClient; s: Session; dataDir: string }> {
  const s = new Session({ dataDir, builder, ...(link ? { machineLink: link } : {}) });
  cleanups.push(() => s.dispose());
  const c = new DirectClient(s);
  await c.call('workspace.open', { path: asmWorkspace(HELLO_SERVICE_ASM) });
  return { c, s, dataDir };
}

async function serve(dataDir: string): Promise<ServedNode> {
  const node = await serveNode({ port: 0, keys: loadInstallationKeys(dataDir), log: () => {} });
  cleanups.push(() => node.close());
  return node;
}

/** The snapshots streamed so far, rebuilt from the full one and the diffs. */
function remoteOfLatest(c: DirectClient): RemotePeerSnapshot[] | null {
  const rx = new SnapshotReceiver();
  let last: unknown = null;
  for (const e of c.events) {
    if (e.event !== 'snapshot') continue;
    last = rx.accept(JSON.parse(JSON.stringify(e)) as SnapshotEvent) ?? last;
  }
  return last ? (last as { remote: RemotePeerSnapshot[] }).remote : null;
}

async function until(cond: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe.each([
  ['on this thread', inlineLink as LinkFactory | undefined],
  ['in a worker thread', undefined],
])('fipc.link (%s)', (_name, link) => {
  it('links the running kernel to a served node, which reaches its service; unlink leaves', async () => {
    const { c, dataDir } = await openSession(link);
    const node = await serve(dataDir); // same installation: the same keys
    await expect(c.call('fipc.link', { port: node.port })).rejects.toThrow(/machine is off/);

    await c.call('observe.subscribe', { streams: ['snapshot'], hz: 30 });
    await c.call('build.run', {});
    await c.call('machine.boot', {});
    await c.waitConsole('ready');
    await c.waitFor((e) => e.event === 'snapshot');
    expect(remoteOfLatest(c)).toEqual([]);

    // One link at a time: a second request while the first waits for the handshake is refused.
    const first = c.call('fipc.link', { port: node.port });
    await expect(c.call('fipc.link', { port: node.port })).rejects.toThrow(/being made/);
    const status = (await first) as FipcLinkStatus;
    const peer = `127.0.0.1:${node.port}`;
    expect(status).toEqual({
      linked: true,
      node: 'ide',
      peer,
      host: '127.0.0.1',
      port: node.port,
      message: `linked to ${peer}`,
    });
    await until(() => (remoteOfLatest(c) ?? []).some((p) => p.peer === peer), 'the peer in the snapshot');
    const listed = remoteOfLatest(c)!;
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ node: 'ide', peer, crcErrors: 0 });
    expect(listed[0]!.channels.map((ch) => ch.role)).toContain('registry');

    // The node sees the session as a peer; its signed lookup finds the guest's service...
    await until(() => node.bridge.node.peerNames.length === 1, 'the node to see the session');
    const fromNode = node.bridge.node.peerNames[0]!;
    const hello = await node.bridge.node.lookup(fromNode, 'hello');
    expect(hello).not.toBeNull();
    expect(await node.bridge.node.lookup(fromNode, 'no-such-service')).toBeNull();
    // ...and a message it sends into it reaches the guest, which prints it.
    const mark = c.events.length;
    const binding = node.bridge.node.peer(fromNode)!.bind(hello!, () => {});
    const data = new TextEncoder().encode('hi from the node\n');
    expect(
      binding.send({ type: 0x77, timestamp: Date.now(), srcPid: 0, dstPid: 0, capability: 0, data }),
    ).toBe(true);
    await c.waitConsole('hi from the node', mark);
    await until(() => binding.idle, 'the acknowledgement');
    expect(binding.error).toBeNull();
    await until(
      () => (remoteOfLatest(c)?.[0]?.channels ?? []).some((ch) => ch.role === 'export' && ch.received === 1),
      'the export channel in the snapshot',
    );
    const exported = remoteOfLatest(c)![0]!.channels.find((ch) => ch.role === 'export')!;
    expect(exported).toMatchObject({ service: 'hello', channelId: Number(hello), delivered: 1, error: null });

    const off = (await c.call('fipc.unlink', {})) as FipcLinkStatus;
    expect(off).toMatchObject({ linked: false, peer: null, message: 'not linked' });
    await until(() => remoteOfLatest(c)?.length === 0, 'the peer to leave the snapshot');
    await until(() => node.bridge.node.peerNames.length === 0, 'the node to forget the session');
  });

  it("imports the node's service for the guest: ping in the IDE, pong on the node", async () => {
    const { c, dataDir } = await openSession(link, undefined, pingBuilder);
    const node = await serve(dataDir);
    // Real clock: ping's 1 ms naps between connect attempts take real time while the link is made.
    await c.call('machine.configure', { clock: 'real' });
    await c.call('build.run', {});
    await c.call('machine.boot', {});
    await c.call('fipc.link', { port: node.port });
    const halted = await c.waitFor((e) => e.event === 'machine.state' && e.state === 'halted', 20_000, 0);
    expect(halted).toMatchObject({ reason: 'init exited with status 0' });
    // A power-off ends the link: the node is told and forgets the session.
    expect(node.bridge.node.peerNames).toHaveLength(1);
    await c.call('machine.reset', {});
    await until(() => node.bridge.node.peerNames.length === 0, 'the node to forget the session');
    expect(await c.call('fipc.unlink', {})).toMatchObject({ linked: false });
  });

  it('says so when no node answers, or the node belongs to another installation', async () => {
    const { c } = await openSession(link);
    await c.call('observe.subscribe', { streams: ['snapshot'], hz: 30 });
    await c.call('build.run', {});
    await c.call('machine.boot', {});
    await c.waitConsole('ready');

    // A port with a socket that never answers.
    const silent = createSocket('udp4');
    await new Promise<void>((r) => silent.bind(0, '127.0.0.1', () => r()));
    cleanups.push(() => silent.close());
    const port = silent.address().port;
    await expect(c.call('fipc.link', { port, timeoutMs: 300 })).rejects.toThrow(
      `failed: no Futura node answered on UDP 127.0.0.1:${port}`,
    );

    // A node with other keys does not accept this installation's identity.
    const stranger = await serve(mkdtempSync(join(tmpdir(), 'futura-other-')));
    await expect(c.call('fipc.link', { port: stranger.port, timeoutMs: 500 })).rejects.toThrow(
      /failed: .*trust this installation's keys/,
    );
    await c.waitFor((e) => e.event === 'snapshot', 5000, 0);
    expect(remoteOfLatest(c)).toEqual([]);
    // The machine runs on, and a bad request is refused before reaching it.
    expect(((await c.call('machine.status', {})) as { state: string }).state).toBe('running');
    await expect(c.call('fipc.link', { port: 0 })).rejects.toThrow(/bad-params/);
  });
});
