// The live views, fed through the real WebSocket by Playwright (the kernel does not send snapshots
// yet): each panel must render its data, and build diagnostics must reach Problems and Monaco.
import { expect, test, type Page, type WebSocketRoute } from '@playwright/test';

test.describe.configure({ mode: 'serial' });
let page: Page;
let socket: WebSocketRoute | null = null;

const send = (msg: unknown): void => {
  if (!socket) throw new Error('no WebSocket yet');
  socket.send(JSON.stringify(msg));
};

function gradient(w: number, h: number): string {
  const px = Buffer.alloc(w * h * 4);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 4;
      px[i] = (x * 255) / w;
      px[i + 1] = (y * 255) / h;
      px[i + 2] = 160;
      px[i + 3] = 255;
    }
  }
  return px.toString('base64');
}

const SNAPSHOT = {
  now: 1500,
  tasks: [
    { pid: 1, name: 'init', state: 'blocked', priority: 10, cpu: 0.01, parent: null },
    { pid: 2, name: 'fsd', state: 'ready', priority: 12, cpu: 0.12, parent: 1 },
    { pid: 3, name: 'shell', state: 'running', priority: 16, cpu: 0.8, parent: 1 },
  ],
  spaces: [
    {
      pid: 3,
      vmas: [
        { start: 0x10000, end: 0x14000, prot: 'r-x', kind: 'text', resident: 16384 },
        { start: 0x14000, end: 0x15000, prot: 'rw-', kind: 'data', resident: 4096 },
        { start: 0x15000, end: 0x40000, prot: 'rw-', kind: 'heap', resident: 8192 },
        { start: 0x40000000, end: 0x40100000, prot: 'rw-', kind: 'mmap', resident: 65536 },
        { start: 0x7ff00000, end: 0x80000000, prot: 'rw-', kind: 'stack', resident: 12288 },
      ],
    },
  ],
  waitQueues: [
    { id: 'tty0.read', owner: 'console', waiters: [{ tid: 3, reason: 'read', since: 1200 }] },
    { id: 'chan7.recv', owner: 'fsd', waiters: [] },
  ],
  channels: [
    {
      id: 7,
      endpoints: ['shell', 'fsd'],
      rights: 'send|recv',
      queued: 2,
      counters: { sent: 40, received: 38, dropped: 0 },
    },
  ],
  scheduler: {
    current: 3,
    levels: [
      { priority: 16, tids: [3] },
      { priority: 12, tids: [2] },
    ],
    switches: 321,
  },
  timers: [{ id: 1, deadline: 2000, owner: 'init', kind: 'sleep' }],
};

test.beforeAll(async ({ browser }) => {
  page = await browser.newPage();
  await page.routeWebSocket('**/ws', (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((m) => server.send(m));
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

const showTab = (title: string) => page.locator('.dv-tab', { hasText: title }).first().click();

test('renders the kernel views from a snapshot', async () => {
  send({ event: 'machine.state', state: 'running' });
  send({ event: 'snapshot', seq: 1, full: true, data: SNAPSHOT });
  for (let i = 0; i <= 10; i++) {
    send({
      event: 'counters',
      t: 1000 + i * 500,
      values: { instructions: i * 20e6 + (i % 3) * 2e6, syscalls: i * 400, messages: i * 90 },
    });
  }
  send({ event: 'framebuffer', width: 64, height: 48, pixels: { $bytes: gradient(64, 48) } });
  await expect(page.getByTestId('machine-state')).toContainText('running');
  await expect(page.locator('.statusbar')).toContainText('MIPS: 4');

  await showTab('Processes');
  await expect(page.locator('table.grid')).toContainText('shell');
  await showTab('Memory Map');
  await expect(page.locator('.strip-seg')).toHaveCount(5);
  await expect(page.locator('.vma-row').nth(1)).toContainText('0x00010000');
  await page.screenshot({ path: test.info().outputPath('live-memory.png') });
  await showTab('Wait Queues');
  await expect(page.locator('.card').first()).toContainText('tty0.read');
  await showTab('FIPC Channels');
  await expect(page.locator('table.grid')).toContainText('shell ⇄ fsd');
  await showTab('Scheduler');
  await expect(page.locator('.runq-level')).toHaveCount(2);
  await showTab('Display');
  await expect(page.locator('canvas.fb-canvas')).toBeVisible();
  await showTab('Charts');
  await expect(page.locator('.chart')).toHaveCount(3);
  await page.screenshot({ path: test.info().outputPath('live-scheduler-charts.png') });
});

test('shows build diagnostics in Problems, and jumps to them in the editor', async () => {
  send({ event: 'build.progress', done: 1, total: 1, file: 'hello/hello.c' });
  send({
    event: 'build.finished',
    ok: false,
    ms: 12,
    diagnostics: [
      {
        file: 'hello/hello.c',
        line: 5,
        col: 3,
        severity: 'error',
        message: "use of undeclared identifier 'x'",
      },
    ],
  });
  await expect(page.locator('.statusbar')).toContainText('Build failed');
  await showTab('Problems');
  const row = page.locator('tr.problem');
  await expect(row).toHaveCount(1);
  await row.click();
  await expect(page.locator('.editor-tab[data-path="hello/hello.c"]')).toBeVisible();
  await expect(page.locator('[data-testid="editor"] .squiggly-error')).toHaveCount(1);
  await expect(page.locator('[data-testid="editor"] .active-line-number')).toHaveText('5');
  await page.screenshot({ path: test.info().outputPath('problems.png') });
});

test('writes console output to the terminal and sends keystrokes back', async () => {
  const sent: string[] = [];
  const ws = socket;
  if (!ws) throw new Error('no socket');
  send({ event: 'console.output', data: 'futura$ ' });
  await showTab('Console');
  await expect(page.getByTestId('console')).toContainText('futura$');
  ws.onMessage((m) => {
    sent.push(String(m));
  });
  await page.getByTestId('console').click();
  await page.keyboard.type('ls');
  await expect.poll(() => sent.filter((m) => m.includes('console.input')).length).toBeGreaterThan(0);
  expect(sent.some((m) => m.includes('"data":"l"') || m.includes('"data":"ls"'))).toBe(true);
});

// --- Task focus, memory-map changes and the scheduler chart (Processes, Memory Map, Scheduler) ---

/** Three tasks; fsd and shell with their own address spaces, the shell's heap ending at `heapEnd`. */
function focusSnapshot(now: number, heapEnd: number, withMmap = true) {
  const shellVmas = [
    { start: 0x10000, end: 0x14000, prot: 'r-x', kind: 'text', resident: 16384 },
    { start: 0x14000, end: heapEnd, prot: 'rw-', kind: 'heap', resident: (heapEnd - 0x14000) / 2 },
    ...(withMmap ? [{ start: 0x40000000, end: 0x40100000, prot: 'rw-', kind: 'mmap', resident: 65536 }] : []),
    { start: 0x7fefe000, end: 0x7feff000, prot: '---', kind: 'guard', resident: 0 },
    { start: 0x7feff000, end: 0x80000000, prot: 'rw-', kind: 'stack', resident: 12288 },
  ];
  return {
    ...SNAPSHOT,
    now,
    tasks: [
      { pid: 1, name: 'init', state: 'blocked', priority: 10, cpu: 0.01, parent: null, tids: [1] },
      { pid: 2, name: 'fsd', state: 'ready', priority: 12, cpu: 0.12, parent: 1, tids: [2, 5] },
      { pid: 3, name: 'shell', state: 'running', priority: 16, cpu: 0.8, parent: 1, tids: [3] },
    ],
    spaces: [
      { pid: 2, vmas: [{ start: 0x20000, end: 0x23000, prot: 'r-x', kind: 'text', resident: 12288 }] },
      { pid: 3, vmas: shellVmas },
    ],
    waitQueues: [
      { id: 'tty0.read', owner: 'console', waiters: [{ tid: 3, reason: 'read', since: 1200 }] },
      { id: 'chan7.recv', owner: 'fsd', waiters: [{ tid: 5, reason: 'recv', since: 900 }] },
    ],
    scheduler: {
      current: 3,
      levels: [
        { priority: 16, tids: [3] },
        { priority: 12, tids: [2, 5] },
      ],
      switches: 400,
    },
    // Kernel-shaped: fsd's second thread sleeps, and a kernel timer is pending.
    timers: [
      { at: now + 50, tid: 5 },
      { at: now + 80, timer: 9 },
    ],
  };
}

test('selecting a process focuses the memory map, wait queues, scheduler and timers on it', async () => {
  send({ event: 'machine.state', state: 'off' });
  send({ event: 'machine.state', state: 'running' });
  send({ event: 'snapshot', seq: 10, full: true, data: focusSnapshot(2000, 0x40000) });
  await showTab('Processes');
  await page.locator('table.processes tr', { hasText: 'fsd' }).click();
  await expect(page.locator('table.processes tr.selected')).toHaveCount(1);
  await expect(page.locator('table.processes tr.selected')).toContainText('fsd');

  await showTab('Memory Map');
  const map = page.locator('.memory-map');
  await expect(map.locator('select')).toHaveValue('2');
  await expect(map.locator('.vma-row', { hasText: '0x00020000' })).toHaveCount(1);
  await expect(map.locator('.strip-seg')).toHaveCount(1);
  await showTab('Wait Queues');
  await expect(page.locator('.card.focus')).toHaveCount(1);
  await expect(page.locator('.card.focus')).toContainText('chan7.recv');
  await expect(page.locator('.card tr.focus')).toContainText('tid 5');
  await showTab('Scheduler');
  await expect(page.locator('.chip.focus')).toHaveCount(2);
  await expect(page.locator('.sched-running.focus')).toHaveCount(0);
  // Timers name a sleeper by its task and mark the selected task's.
  await showTab('Timers');
  await expect(page.locator('.grid tr.focus')).toHaveCount(1);
  await expect(page.locator('.grid tr.focus')).toContainText('fsd (tid 5)');

  // Choosing the shell in the Memory Map's own list selects it everywhere.
  await showTab('Memory Map');
  await map.locator('select').selectOption('3');
  await expect(map.locator('.vma-row', { hasText: 'stack' })).toHaveCount(1);
  await expect(map.locator('.strip-seg')).toHaveCount(5);
  await showTab('Processes');
  await expect(page.locator('table.processes tr.selected')).toContainText('shell');
  await showTab('Scheduler');
  await expect(page.locator('.sched-running.focus')).toContainText('tid 3');
  await expect(page.locator('.chip.focus')).toHaveText(['3 shell']);
  await page.screenshot({ path: test.info().outputPath('live-focus-scheduler.png') });
});

test('a grown heap VMA is highlighted and a removed mapping fades out', async () => {
  await showTab('Memory Map');
  const map = page.locator('.memory-map');
  await expect(map.locator('select')).toHaveValue('3');
  send({ event: 'snapshot', seq: 11, full: true, data: focusSnapshot(2100, 0x40000) });
  await expect(map.locator('.vma-row.vma-grown')).toHaveCount(0);
  send({ event: 'snapshot', seq: 12, full: true, data: focusSnapshot(2200, 0x60000, false) });
  const grown = map.locator('.vma-row.vma-grown');
  await expect(grown).toHaveCount(1);
  await expect(grown).toContainText('heap');
  await expect(grown).toContainText('0x00060000');
  await expect(grown).toHaveClass(/res-up/);
  await expect(map.locator('.vma-row.vma-removed')).toContainText('mmap');
  await expect(map.locator('.strip-seg.strip-changed')).toHaveCount(1);
  await page.screenshot({ path: test.info().outputPath('live-memory-changes.png') });
  // The marks expire after about 1.5 s even with no further snapshot.
  await expect(map.locator('.vma-row.vma-grown')).toHaveCount(0, { timeout: 5000 });
  await expect(map.locator('.vma-row.vma-removed')).toHaveCount(0);
  await expect(map.locator('.vma-row:not(.vma-head)')).toHaveCount(4);
});

test('the scheduler charts context switches per second', async () => {
  for (let i = 0; i <= 8; i++) {
    send({
      event: 'counters',
      t: 20_000 + i * 500,
      values: {
        instructions: 300e6 + i * 10e6,
        syscalls: 5000 + i * 10,
        messages: 900 + i,
        switches: 1000 + i * 125 + (i % 2) * 25,
      },
    });
  }
  await showTab('Scheduler');
  const chart = page.locator('.switch-chart');
  await expect(chart).toBeVisible();
  await expect(chart.locator('.chart-title')).toContainText('context switches/s');
  // Alternating 150 and 100 switches per half second: the last rate is 200/s.
  await expect(chart.locator('.chart-title')).toContainText('200');
  await expect(chart.locator('canvas')).toHaveCount(1);
  await expect(page.locator('.scheduler .kv')).toContainText('200/s');
  await page.screenshot({ path: test.info().outputPath('live-scheduler-switches.png') });
});

// --- FIPC view: the graph of tasks and channels, the live message log, the remote section ---

/** Kernel-shaped FIPC data: fsd's service channel, pingpong's two channels, messages up to `last`. */
function fipcSnapshot(now: number, last: number, remote: boolean) {
  const counters = (sent: number) => ({ sent, received: sent, bytes: sent * 4, drops: 0 });
  const messages = Array.from({ length: 12 }, (_, i) => {
    const seq = last - 11 + i;
    const ping = seq % 2 === 1;
    return {
      seq,
      timeMs: now - (last - seq) * 5,
      channel: ping ? 4 : 5,
      type: ping ? 0x1001 : 0x1002,
      size: ping ? 4 : 8,
      srcPid: ping ? 4 : 5,
      dstPid: ping ? 5 : 4,
      srcName: 'pingpong',
      dstName: 'pingpong',
    };
  });
  return {
    ...SNAPSHOT,
    now,
    tasks: [
      { pid: 2, name: 'fsd', state: 'ready', priority: 12, cpu: 0.1, parent: 1 },
      { pid: 3, name: 'shell', state: 'blocked', priority: 16, cpu: 0, parent: 1 },
      { pid: 4, name: 'pingpong', state: 'running', priority: 16, cpu: 0.5, parent: 3 },
      { pid: 5, name: 'pingpong', state: 'ready', priority: 16, cpu: 0.4, parent: 4 },
    ],
    channels: [
      { id: 1, messages: 0, holders: [{ pid: 0, rights: 15 }], counters: counters(0) },
      {
        id: 3,
        messages: 0,
        holders: [
          { pid: 2, rights: 7 },
          { pid: 3, rights: 1 },
        ],
        counters: counters(40),
      },
      ...[4, 5].map((id) => ({
        id,
        messages: 0,
        holders: [
          { pid: 4, rights: 7 },
          { pid: 5, rights: 7 },
        ],
        counters: counters(id === 4 ? Math.ceil(last / 2) : Math.floor(last / 2)),
      })),
    ],
    messages,
    remote: remote
      ? [
          {
            node: 'a',
            peer: 'b',
            drops: { crc: 3, header: 1, magic: 0 },
            crcErrors: 4,
            refused: { revoked: 0, noRight: 0, quota: 0 },
            channels: [
              {
                channelId: 3,
                role: 'import',
                service: 'pong',
                localChannel: 6,
                nextSeq: 22,
                ackedSeq: 21,
                deliveredSeq: 20,
                peerCredits: 8,
                ownCredits: 7,
                inFlight: 1,
                queued: 0,
                backlog: 0,
                sent: 21,
                received: 20,
                delivered: 20,
                retransmits: 2,
                duplicates: 1,
                outOfOrder: 0,
                beyondWindow: 0,
                undeliverable: 0,
                error: null,
              },
            ],
          },
        ]
      : [],
  };
}

test('the FIPC view draws tasks and channels, logs recent messages and lists remote peers', async () => {
  send({ event: 'machine.state', state: 'off' });
  send({ event: 'machine.state', state: 'running' });
  send({ event: 'snapshot', seq: 30, full: true, data: fipcSnapshot(5000, 120, false) });
  await showTab('FIPC Channels');
  await expect(page.locator('table.grid tbody tr')).toHaveCount(4);
  await expect(page.locator('table.grid tbody tr').nth(1)).toContainText('fsd (2) ⇄ shell (3)');
  await expect(page.locator('table.grid tbody tr').nth(1)).toContainText('2:sra 3:s--');
  await expect(page.locator('table.grid tbody tr').first()).toContainText('kernel');

  // The graph: the four tasks that hold channels (the kernel's own channel is not drawn), one
  // edge per channel, each labelled with its id and messages sent; pingpong's are lit.
  const graph = page.getByTestId('fipc-graph');
  await expect(graph.locator('.fipc-node')).toHaveCount(4);
  await expect(graph.locator('.fipc-node-label')).toHaveText([
    'fsd (2)',
    'shell (3)',
    'pingpong (4)',
    'pingpong (5)',
  ]);
  await expect(graph.locator('.fipc-edge')).toHaveCount(3);
  await expect(graph.locator('.fipc-edge[data-channel="3"]')).toContainText('#3 · 40');
  await expect(graph.locator('.fipc-edge[data-channel="4"]')).toContainText('#4 · 60');
  await expect(graph.locator('.fipc-edge.active')).toHaveCount(2);

  // The log: newest first, types in hex, sender → receiver; no remote section without peers.
  const log = page.getByTestId('fipc-log');
  await expect(log.locator('tr.fipc-msg')).toHaveCount(12);
  await expect(log.locator('tr.fipc-msg').first()).toHaveAttribute('data-seq', '120');
  await expect(log.locator('tr.fipc-msg').first()).toContainText('0x1002');
  await expect(log.locator('tr.fipc-msg').first()).toContainText('pingpong (5) → pingpong (4)');
  await expect(page.getByTestId('fipc-remote')).toHaveCount(0);

  // New messages and a remote peer arrive with the next snapshot.
  send({ event: 'snapshot', seq: 31, full: true, data: fipcSnapshot(5100, 131, true) });
  await expect(log.locator('tr.fipc-msg').first()).toHaveAttribute('data-seq', '131');
  await expect(log.locator('tr.fipc-msg').first()).toContainText('0x1001');
  await expect(graph.locator('.fipc-edge[data-channel="4"]')).toContainText('#4 · 66');
  const remote = page.getByTestId('fipc-remote');
  await expect(remote).toBeVisible();
  await expect(remote.locator('.fipc-peer')).toContainText('a ↔ b');
  await expect(remote.locator('.fipc-peer')).toContainText('CRC errors 4');
  const ch = remote.locator('tr.fipc-remote-ch');
  await expect(ch).toHaveCount(1);
  await expect(ch).toContainText('pong');
  await expect(ch).toContainText('22/21/20');
  await expect(ch).toContainText('8/7');
  await remote.screenshot({ path: test.info().outputPath('live-fipc-remote.png') });
  await log.screenshot({ path: test.info().outputPath('live-fipc-log.png') });

  // Selecting a channel in the graph marks it in the table and filters the log.
  await graph.locator('.fipc-edge[data-channel="5"] .fipc-edge-label').click();
  await expect(graph.locator('.fipc-edge.selected')).toHaveAttribute('data-channel', '5');
  await expect(page.locator('table.grid tbody tr.focus td').first()).toHaveText('5');
  await expect(log.locator('tr.fipc-msg')).toHaveCount(6);
  await page.locator('.fipc-view').screenshot({ path: test.info().outputPath('live-fipc.png') });
  await page.getByRole('button', { name: 'show all' }).click();
  await expect(log.locator('tr.fipc-msg')).toHaveCount(12);
  // The edges take the keyboard too.
  await graph.locator('.fipc-edge[data-channel="4"]').focus();
  await page.keyboard.press('Enter');
  await expect(graph.locator('.fipc-edge.selected')).toHaveAttribute('data-channel', '4');
  await expect(log.locator('tr.fipc-msg')).toHaveCount(6);
});

// --- Processes from the keyboard, and a selected task without an address space ---

test('processes are selected from the keyboard; a task without an address space says so', async () => {
  send({ event: 'machine.state', state: 'off' });
  send({ event: 'machine.state', state: 'running' });
  send({ event: 'snapshot', seq: 40, full: true, data: focusSnapshot(3000, 0x40000) });
  await showTab('Processes');
  const selected = page.locator('table.processes tr.selected');
  await page.locator('table.processes tr', { hasText: 'shell' }).click();
  await expect(selected).toContainText('shell');
  await page.keyboard.press('ArrowUp');
  await expect(selected).toContainText('fsd');
  await page.keyboard.press('ArrowUp');
  await expect(selected).toContainText('init');
  await expect(selected).toBeFocused();

  // init has no address space in this snapshot: the map shows the first one and says why.
  await showTab('Memory Map');
  const map = page.locator('.memory-map');
  await expect(map.getByTestId('memory-no-space')).toHaveText('init has no address space');
  await expect(map.locator('select')).toHaveValue('2');

  await showTab('Processes');
  await selected.focus();
  await page.keyboard.press('ArrowDown');
  await expect(selected).toContainText('fsd');
  await showTab('Memory Map');
  await expect(map.getByTestId('memory-no-space')).toHaveCount(0);
  await expect(map.locator('select')).toHaveValue('2');
});
