// The FIPC view's "Link to node" form state (renderer/src/live/fipc-link-control.ts) against a real
// session and a node served in-process on UDP 127.0.0.1: Link shows the session's status, a port
// where no node answers shows the session's message, Unlink returns to "not linked".
import { createSocket } from 'node:dgram';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadInstallationKeys } from '../../core/host/fipc/installation-keys';
import { serveNode } from '../../core/host/fipc/serve-node';
import { Session } from '../../core/host/session/session';
import { inlineLink } from '../../core/host/worker/runner';
import { FipcLinkControl } from '../../renderer/src/live/fipc-link-control';
import { AsmBuilder, asmWorkspace, DirectClient, ECHO_ASM } from '../host/session-support';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

describe('FIPC view: Link to node', () => {
  it('links to the port typed, reports a port with no node, unlinks', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'futura-data-'));
    const s = new Session({ dataDir, builder: new AsmBuilder(), machineLink: inlineLink });
    cleanups.push(() => s.dispose());
    const c = new DirectClient(s);
    const control = new FipcLinkControl((method, params) => c.call(method, params));
    let notified = 0;
    control.subscribe(() => notified++);
    expect(control.get()).toMatchObject({ host: '127.0.0.1', port: 7411, busy: false, error: null });
    expect(control.get().status.linked).toBe(false);

    // Before a boot: the session's refusal, without its error code.
    await control.link();
    expect(control.get().error).toBe('the machine is off: boot it first');

    await c.call('workspace.open', { path: asmWorkspace(ECHO_ASM) });
    await c.call('build.run', {});
    await c.call('machine.boot', {});
    const node = await serveNode({ port: 0, keys: loadInstallationKeys(dataDir), log: () => {} });
    cleanups.push(() => node.close());

    control.setPort(0); // out of range: ignored
    control.setPort(node.port);
    expect(control.get().port).toBe(node.port);
    await control.link();
    expect(control.get()).toMatchObject({ busy: false, error: null });
    expect(control.get().status).toMatchObject({ linked: true, peer: `127.0.0.1:${node.port}` });

    await control.unlink();
    expect(control.get().status.linked).toBe(false);

    const silent = createSocket('udp4');
    await new Promise<void>((r) => silent.bind(0, '127.0.0.1', () => r()));
    cleanups.push(() => silent.close());
    control.setPort(silent.address().port);
    // The session waits 3 s for the handshake by default.
    await control.link();
    expect(control.get().error).toMatch(/^no Futura node answered on UDP 127\.0\.0\.1:\d+/);
    expect(control.get().status.linked).toBe(false);
    expect(notified).toBeGreaterThanOrEqual(8);
  }, 20_000);
});
