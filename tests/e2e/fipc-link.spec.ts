// The FIPC view's "Link to node" form in a real browser: the real session (machine off) refuses a
// link with its message; then fipc.link/unlink are answered here (the session's answer shape) and
// a snapshot listing the node as a peer makes the form say "linked" and offer Unlink.
import { expect, test, type Page, type WebSocketRoute } from '@playwright/test';

test.describe.configure({ mode: 'serial' });
let page: Page;
let socket: WebSocketRoute | null = null;
/** fipc.* requests the page sent, and whether they are answered here rather than by the session. */
const asked: { method: string; params: unknown }[] = [];
let answerHere = false;

const send = (msg: unknown): void => {
  if (!socket) throw new Error('no WebSocket yet');
  socket.send(JSON.stringify(msg));
};

const status = (port: number | null) =>
  port === null
    ? { linked: false, node: null, peer: null, host: null, port: null, message: 'not linked' }
    : {
        linked: true,
        node: 'ide',
        peer: `127.0.0.1:${port}`,
        host: '127.0.0.1',
        port,
        message: `linked to 127.0.0.1:${port}`,
      };

/** A kernel snapshot with one channel and, optionally, the node as a peer with its registry binding. */
function snapshot(peerPort: number | null, registryError: string | null = null) {
  const counters = { sent: 0, received: 0, bytes: 0, drops: 0 };
  return {
    now: 100,
    tasks: [{ pid: 1, name: 'init', state: 'blocked', priority: 10, cpu: 0, parent: null }],
    spaces: [],
    waitQueues: [],
    channels: [{ id: 3, messages: 0, holders: [{ pid: 1, rights: 7 }], counters }],
    messages: [],
    remote:
      peerPort === null
        ? []
        : [
            {
              node: 'ide',
              peer: `127.0.0.1:${peerPort}`,
              drops: { crc: 0, header: 0 },
              crcErrors: 0,
              refused: { revoked: 0, noRight: 0, quota: 0 },
              channels: [
                {
                  channelId: 0xfffffff0,
                  role: 'registry',
                  service: null,
                  localChannel: null,
                  nextSeq: 2,
                  ackedSeq: 1,
                  deliveredSeq: 1,
                  peerCredits: 64,
                  ownCredits: 64,
                  inFlight: 1,
                  queued: 0,
                  backlog: 0,
                  sent: 2,
                  received: 1,
                  delivered: 1,
                  retransmits: registryError ? 30 : 0,
                  duplicates: 0,
                  outOfOrder: 0,
                  beyondWindow: 0,
                  undeliverable: 0,
                  error: registryError,
                },
              ],
            },
          ],
  };
}

test.beforeAll(async ({ browser }) => {
  page = await browser.newPage();
  await page.routeWebSocket('**/ws', (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((m) => {
      const msg = JSON.parse(String(m)) as { id?: number; method?: string; params?: { port?: number } };
      if (msg.method?.startsWith('fipc.')) {
        asked.push({ method: msg.method, params: msg.params });
        if (answerHere) {
          const port = msg.method === 'fipc.link' ? (msg.params?.port ?? null) : null;
          ws.send(JSON.stringify({ id: msg.id, ok: true, result: status(port) }));
          return;
        }
      }
      server.send(m);
    });
    server.onMessage((m) => ws.send(m));
    socket = ws;
  });
  const url = process.env.FUTURA_E2E_URL;
  if (!url) throw new Error('FUTURA_E2E_URL is not set: run through playwright.config.ts');
  await page.goto(url);
  await expect(page.locator('.statusbar')).toContainText('connected', { timeout: 60_000 });
});
test.afterAll(async () => {
  await page.close();
});

test('links the machine to a node on the port typed, shows the peer, unlinks', async () => {
  send({ event: 'machine.state', state: 'running' });
  send({ event: 'snapshot', seq: 1, full: true, data: snapshot(null) });
  await page.locator('.dv-tab', { hasText: 'FIPC Channels' }).first().click();
  const form = page.getByTestId('fipc-link');
  const statusLine = page.getByTestId('fipc-link-status');
  const button = page.getByTestId('fipc-link-button');
  await expect(form).toContainText('Link to node 127.0.0.1:');
  await expect(statusLine).toHaveText('not linked');
  await expect(page.getByTestId('fipc-remote')).toHaveCount(0);

  // The real session has no machine running: its refusal shows in the form.
  await button.click();
  await expect(statusLine).toContainText('the machine is off');
  expect(asked).toEqual([{ method: 'fipc.link', params: { host: '127.0.0.1', port: 7411 } }]);

  answerHere = true;
  await form.getByLabel('Node UDP port').fill('7500');
  // As the session does, the snapshot with the new peer comes with the answer.
  send({ event: 'snapshot', seq: 2, full: true, data: snapshot(7500) });
  await button.click();
  await expect(statusLine).toHaveText('linked to 127.0.0.1:7500');
  await expect(button).toHaveText('Unlink');
  await expect(form.getByLabel('Node UDP port')).toBeDisabled();
  await expect(page.getByTestId('fipc-remote')).toContainText('ide ↔ 127.0.0.1:7500');
  expect(asked[1]).toEqual({ method: 'fipc.link', params: { host: '127.0.0.1', port: 7500 } });
  await page
    .locator('.fipc-remote-area')
    .screenshot({ path: test.info().outputPath('fipc-link-linked.png') });

  // The node stops answering: the registry binding fails after its retries.
  send({ event: 'snapshot', seq: 3, full: true, data: snapshot(7500, 'no acknowledgement after 30 tries') });
  await expect(statusLine).toHaveText('the node stopped answering (no acknowledgement after 30 tries)');
  await expect(statusLine).toHaveClass(/err/);

  await button.click();
  send({ event: 'snapshot', seq: 4, full: true, data: snapshot(null) });
  await expect(statusLine).toHaveText('not linked');
  await expect(button).toHaveText('Link');
  await expect(page.getByTestId('fipc-remote')).toHaveCount(0);
  expect(asked[2]).toEqual({ method: 'fipc.unlink', params: {} });
});
