// The FIPC view's pure parts: the adapter for messages and remote peers, the graph's edges and
// layout, the message log's rows. (The components themselves render in tests/e2e/live-panels.)
import type { GraphNode } from '../../renderer/src/live/fipc-graph';
import { describe, expect, it } from 'vitest';
import { fipcMessages, remotePeers } from '../../renderer/src/live/fipc-adapter';
import {
  channelActivity,
  graphEdges,
  graphPids,
  GRAPH_H,
  GRAPH_W,
  graphSize,
  layoutNodes,
  placeEdges,
} from '../../renderer/src/live/fipc-graph';
import { toLiveSnapshot } from '../../renderer/src/live/adapter';
import type { ChannelInfo, TaskInfo } from '../../renderer/src/live/types';
import { formatTime, hexType, logRows, MAX_LOG_ROWS } from '../../renderer/src/live/fipc-log';

const task = (pid: number, name: string): TaskInfo => ({
  pid,
  name,
  state: 'ready',
  priority: 0,
  cpu: 0,
  parent: null,
});
const chan = (id: number, holders: [number, number][], sent = 0): ChannelInfo => ({
  id,
  endpoints: [String(holders[0]?.[0] ?? '?'), String(holders[1]?.[0] ?? '?')],
  rights: '',
  queued: 0,
  queuedBytes: null,
  sent,
  received: 0,
  dropped: 0,
  holders: holders.map(([pid, rights]) => ({ pid, rights })),
});

const KERNEL_MSGS = [
  {
    seq: 7,
    timeMs: 10,
    channel: 3,
    type: 0x1001,
    size: 4,
    srcPid: 1,
    dstPid: 2,
    srcName: 'pp',
    dstName: 'pp',
  },
  {
    seq: 8,
    timeMs: 11,
    channel: 4,
    type: 0x1002,
    size: 8,
    srcPid: 2,
    dstPid: -1,
    srcName: 'pp',
    dstName: null,
  },
  {
    seq: 9,
    timeMs: 12,
    channel: 1,
    type: 5,
    size: 0,
    srcPid: 0,
    dstPid: 9,
    srcName: 'kernel',
    dstName: null,
  },
  { timeMs: 13, channel: 1 }, // no seq: skipped
  'junk',
];

describe('FIPC adapter', () => {
  it('turns the kernel messages into log rows, newest first, labelled by task', () => {
    const rows = fipcMessages(KERNEL_MSGS, new Map([[9, 'fsd']]));
    expect(rows.map((m) => [m.seq, m.time, m.channel, m.type, m.size, m.src, m.dst, m.dstPid])).toEqual([
      [9, 12, 1, 5, 0, 'kernel', 'fsd (9)', 9],
      [8, 11, 4, 0x1002, 8, 'pp (2)', '—', null],
      [7, 10, 3, 0x1001, 4, 'pp (1)', 'pp (2)', 2],
    ]);
    expect(fipcMessages(undefined, new Map())).toEqual([]);
    expect(fipcMessages([{ seq: 1, srcPid: 4 }], new Map())[0]!.src).toBe('pid 4');
  });

  it('sums remote drops and refusals per peer and keeps the channel counters', () => {
    const [p] = remotePeers([
      {
        node: 'a',
        peer: 'b',
        drops: { crc: 2, header: 1, magic: 0, stale: 4 },
        crcErrors: 3,
        refused: { revoked: 1, noRight: 0, quota: 2 },
        channels: [
          { channelId: 3, role: 'import', service: 'pong', nextSeq: 9, peerCredits: 4, error: null },
        ],
      },
    ]);
    expect(p).toMatchObject({ node: 'a', peer: 'b', drops: 7, crcErrors: 3, refused: 3 });
    expect(p!.dropReasons).toEqual({ crc: 2, header: 1, stale: 4 });
    expect(p!.channels[0]).toMatchObject({
      channelId: 3,
      service: 'pong',
      nextSeq: 9,
      peerCredits: 4,
      ackedSeq: 0,
    });
    expect(remotePeers('nope')).toEqual([]);
  });

  it('is part of toLiveSnapshot, empty when the session sends none', () => {
    const live = toLiveSnapshot({ tasks: [{ pid: 1, name: 'pp' }], messages: KERNEL_MSGS, remote: [] })!;
    expect(live.messages.map((m) => m.seq)).toEqual([9, 8, 7]);
    expect(toLiveSnapshot({})).toMatchObject({ messages: [], remote: [] });
    const ch = toLiveSnapshot({
      channels: [{ id: 3, used: 72, messages: 2, holders: [{ pid: 2, rights: 7 }, { pid: 'x' }] }],
    })!.channels[0]!;
    expect(ch).toMatchObject({ queued: 2, queuedBytes: 72, holders: [{ pid: 2, rights: 7 }] });
    expect(toLiveSnapshot({ channels: [{ id: 3 }] })!.channels[0]!.queuedBytes).toBeNull();
  });
});

describe('FIPC graph', () => {
  const tasks = [task(1, 'init'), task(2, 'fsd'), task(3, 'sh'), task(4, 'pp')];

  it('draws a channel from its administrator to every other holder, and a loop for a lone holder', () => {
    const edges = graphEdges(
      [
        chan(3, [
          [2, 7],
          [1, 1],
          [3, 1],
        ]),
        chan(4, [
          [3, 1],
          [1, 7],
        ]),
        chan(5, [[4, 7]]),
        chan(6, []),
        chan(1, [[0, 15]]), // the kernel's own: not drawn
        chan(2, [
          [0, 15],
          [4, 1],
        ]),
      ],
      tasks,
    );
    expect(edges.map((e) => [e.channel, e.from, e.to])).toEqual([
      [3, 2, 1],
      [3, 2, 3],
      [4, 1, 3],
      [5, 4, 4],
      [2, 0, 4],
    ]);
    expect(graphPids(edges)).toEqual([0, 1, 2, 3, 4]);
  });

  it('falls back to the endpoints (pids or task names) when the holders are not known', () => {
    const c: ChannelInfo = { ...chan(7, []), endpoints: ['sh', '2'] };
    expect(graphEdges([c], tasks).map((e) => [e.from, e.to])).toEqual([[3, 2]]);
  });

  it('puts the nodes on a circle inside the view, deterministically', () => {
    const names = new Map(tasks.map((t) => [t.pid, t.name]));
    const nodes = layoutNodes([0, 1, 2, 3, 4], names);
    expect(nodes.map((n) => n.label)).toEqual(['kernel', 'init (1)', 'fsd (2)', 'sh (3)', 'pp (4)']);
    expect(layoutNodes([0, 1, 2, 3, 4], names)).toEqual(nodes);
    const cx = GRAPH_W / 2;
    const cy = GRAPH_H / 2;
    const radii = nodes.map((n) => Math.hypot(n.x - cx, n.y - cy));
    for (const r of radii) expect(Math.abs(r - radii[0]!)).toBeLessThan(1.5);
    expect(nodes[0]!.x).toBe(cx); // the first at the top
    expect(nodes[0]!.y).toBeLessThan(cy);
    for (const n of nodes) {
      expect(n.x).toBeGreaterThan(0);
      expect(n.x).toBeLessThan(GRAPH_W);
      expect(n.y).toBeGreaterThan(0);
      expect(n.y).toBeLessThan(GRAPH_H);
    }
    expect(layoutNodes([5], names)[0]).toMatchObject({ x: cx, y: cy, label: 'pid 5' });
  });

  it('grows the view for many tasks so no two labels or nodes overlap', () => {
    type Pt = [number, number];
    // A label as a polygon at 11px (6.2px a character): along its turned baseline from its anchor,
    // 12px across; a node's circle as its bounding square.
    const labelBox = (n: GraphNode): Pt[] => {
      const w = n.label.length * 6.2;
      const [t0, t1] = n.anchor === 'start' ? [0, w] : n.anchor === 'end' ? [-w, 0] : [-w / 2, w / 2];
      const [s0, s1] = n.anchor === 'middle' ? [-10, 2] : [-6, 6];
      const r = (n.rotate * Math.PI) / 180;
      const d: Pt = [Math.cos(r), Math.sin(r)];
      const at = (t: number, u: number): Pt => [n.lx + t * d[0] - u * d[1], n.ly + t * d[1] + u * d[0]];
      return [at(t0, s0), at(t1, s0), at(t1, s1), at(t0, s1)];
    };
    const nodeBox = (n: GraphNode): Pt[] => [
      [n.x - 16, n.y - 16],
      [n.x + 16, n.y - 16],
      [n.x + 16, n.y + 16],
      [n.x - 16, n.y + 16],
    ];
    // Separating axis test for two convex quadrilaterals.
    const overlaps = (a: Pt[], b: Pt[]): boolean => {
      for (const poly of [a, b])
        for (let i = 0; i < 4; i++) {
          const p = poly[i]!;
          const q = poly[(i + 1) % 4]!;
          const axis: Pt = [q[1] - p[1], p[0] - q[0]];
          const proj = (ps: Pt[]): number[] => ps.map(([x, y]) => x * axis[0] + y * axis[1]);
          const pa = proj(a);
          const pb = proj(b);
          if (Math.max(...pa) <= Math.min(...pb) || Math.max(...pb) <= Math.min(...pa)) return false;
        }
      return true;
    };
    for (const count of [3, 8, 16, 24, 40, 64]) {
      const pids = Array.from({ length: count }, (_, i) => i + 1);
      const names = new Map(pids.map((p) => [p, p % 3 ? 'pingpong' : 'fsd']));
      const nodes = layoutNodes(pids, names);
      const size = graphSize(count, Math.max(...nodes.map((n) => n.label.length)));
      const boxes = [...nodes.map(labelBox), ...nodes.map(nodeBox)];
      for (const box of boxes)
        for (const [x, y] of box) {
          expect(x).toBeGreaterThanOrEqual(0);
          expect(y).toBeGreaterThanOrEqual(0);
          expect(x).toBeLessThanOrEqual(size.width);
          expect(y).toBeLessThanOrEqual(size.height);
        }
      for (let i = 0; i < boxes.length; i++)
        for (let j = i + 1; j < boxes.length; j++)
          expect(overlaps(boxes[i]!, boxes[j]!), `${count} tasks: boxes ${i} and ${j}`).toBe(false);
    }
    expect(graphSize(5, 10)).toMatchObject({ width: GRAPH_W, height: GRAPH_H, crowded: false });
    expect(graphSize(40, 14).width).toBeGreaterThan(GRAPH_W);
  });

  it('bows parallel edges apart so their labels do not overlap', () => {
    const edges = graphEdges(
      [
        chan(3, [
          [1, 7],
          [2, 3],
        ]),
        chan(4, [
          [2, 7],
          [1, 3],
        ]),
        chan(5, [[1, 7]]),
      ],
      tasks,
    );
    const placed = placeEdges(edges, layoutNodes(graphPids(edges), new Map()));
    expect(placed).toHaveLength(3);
    const nodes = layoutNodes(graphPids(edges), new Map());
    expect(nodes[0]!.y).toBe(nodes[1]!.y); // two tasks side by side
    expect(nodes[0]!.x).toBeLessThan(nodes[1]!.x);
    const [a, b] = placed;
    expect(Math.abs(a!.ly - b!.ly)).toBeGreaterThan(16); // labels one above the other
    expect(a!.path).toMatch(/^M[\d.]+,[\d.]+ Q/);
    expect(placed[2]!.path).toMatch(/ C/); // the loop
    // An edge to a task that is not placed is left out.
    expect(placeEdges(edges, layoutNodes([1], new Map())).map((e) => e.channel)).toEqual([5]);
  });

  it('counts log messages per channel and lights the ones sent in the last second', () => {
    const act = channelActivity(
      [
        { channel: 3, time: 100 },
        { channel: 3, time: 2050 },
        { channel: 4, time: 500 },
      ],
      2100,
    );
    expect(act.get(3)).toEqual({ recent: 2, active: true });
    expect(act.get(4)).toEqual({ recent: 1, active: false });
    expect(act.has(5)).toBe(false);
  });
});

describe('FIPC message log rows', () => {
  const many = fipcMessages(
    Array.from({ length: 100 }, (_, i) => ({ seq: i + 1, channel: 3 + (i % 2), srcPid: 1, dstPid: 2 })),
    new Map(),
  );

  it('shows the newest first, capped, or only one channel', () => {
    const all = logRows(many, null);
    expect(all).toHaveLength(MAX_LOG_ROWS);
    expect(all[0]!.seq).toBe(100);
    expect(all.at(-1)!.seq).toBe(100 - MAX_LOG_ROWS + 1);
    const one = logRows(many, 4);
    expect(one).toHaveLength(50);
    expect(one.every((m) => m.channel === 4)).toBe(true);
    expect(logRows(many, 3, 5).map((m) => m.seq)).toEqual([99, 97, 95, 93, 91]);
    expect(logRows(many, 9)).toEqual([]);
  });

  it('writes types in hex and virtual times in seconds', () => {
    expect(hexType(0x1001)).toBe('0x1001');
    expect(hexType(5)).toBe('0x0005');
    expect(hexType(-1)).toBe('0xffffffff');
    expect(formatTime(1234.5)).toBe('1.234 s');
  });
});
