// The FIPC graph's model and layout, pure so it can be tested and memoised: tasks are nodes on a
// circle (ordered by pid, so a task keeps its place while others come and go at the end), each
// channel is an edge between the tasks holding it (from its administrator, else its first holder,
// to every other holder); parallel edges between one pair bow apart so their labels stay readable.
import type { ChannelInfo, TaskInfo } from './types';

/** The ADMIN right: the holder that owns a channel. */
const RIGHT_ADMIN = 4;
const KERNEL_PID = 0;

export interface GraphNode {
  pid: number;
  label: string;
  x: number;
  y: number;
  /** Where the label starts (its anchor point) and how it runs. */
  lx: number;
  ly: number;
  anchor: 'start' | 'middle' | 'end';
  /** Degrees the label is turned about (lx, ly): on a crowded circle labels run outward along their radius. */
  rotate: number;
}

export interface GraphEdge {
  /** Channel id (one channel with n+1 holders gives n edges, keyed `id:pid`). */
  key: string;
  channel: number;
  from: number;
  to: number;
}

export interface PlacedEdge extends GraphEdge {
  /** SVG path from `from` to `to` (a quadratic curve, or a loop for a channel one task holds). */
  path: string;
  /** Where the label goes. */
  lx: number;
  ly: number;
}

export const GRAPH_W = 480;
export const GRAPH_H = 320;
/** Room around the circle for node labels and loops. */
const MARGIN = 56;
/** Centre-to-centre distance of neighbours on a crowded circle (node radius 16, labels 11px). */
const NODE_SPACING = 44;
/** Approximate advance of one label character at 11px, for room around the circle. */
const CHAR_W = 6.2;
const LABEL_GAP = 24;

/**
 * The view's size for `count` nodes whose longest label has `longest` characters: the default
 * 480×320 up to ten or so tasks; then the circle grows to keep neighbours NODE_SPACING apart, the
 * labels run outward along the radii (so they never overlap), and the view grows to hold them.
 */
export function graphSize(
  count: number,
  longest: number,
): { width: number; height: number; radius: number; crowded: boolean } {
  const base = Math.min(GRAPH_W, GRAPH_H) / 2 - MARGIN - 8;
  const need = (count * NODE_SPACING) / (2 * Math.PI);
  if (count <= 2 || need <= base) return { width: GRAPH_W, height: GRAPH_H, radius: base, crowded: false };
  const side = Math.ceil(need + LABEL_GAP + longest * CHAR_W + 8);
  return {
    width: Math.max(GRAPH_W, 2 * side),
    height: Math.max(GRAPH_H, 2 * side),
    radius: need,
    crowded: true,
  };
}

/** Endpoints of the edges of one channel (holders when the kernel names them, else `endpoints`). */
function channelEnds(c: ChannelInfo, byName: ReadonlyMap<string, number>): number[] {
  if (c.holders.length > 0) {
    const admin = c.holders.find((h) => h.rights & RIGHT_ADMIN) ?? c.holders[0]!;
    return [admin.pid, ...c.holders.filter((h) => h !== admin).map((h) => h.pid)];
  }
  const ends: number[] = [];
  for (const e of c.endpoints) {
    const pid = /^\d+$/.test(e) ? Number(e) : byName.get(e);
    if (pid !== undefined && !ends.includes(pid)) ends.push(pid);
  }
  return ends;
}

/** The graph's edges: one per (channel, non-owner holder); a channel one task holds is a loop. */
export function graphEdges(channels: readonly ChannelInfo[], tasks: readonly TaskInfo[]): GraphEdge[] {
  const byName = new Map<string, number>();
  for (const t of tasks) if (!byName.has(t.name)) byName.set(t.name, t.pid);
  const edges: GraphEdge[] = [];
  for (const c of channels) {
    const [owner, ...others] = channelEnds(c, byName);
    // The kernel's reserved channels (metrics, control) are only drawn once a task holds them.
    if (owner === undefined || (owner === KERNEL_PID && others.length === 0)) continue;
    if (others.length === 0) edges.push({ key: `${c.id}:${owner}`, channel: c.id, from: owner, to: owner });
    for (const o of others) edges.push({ key: `${c.id}:${o}`, channel: c.id, from: owner, to: o });
  }
  return edges;
}

/** Every pid an edge touches, in order; the kernel (0) is a node only when a channel links to it. */
export function graphPids(edges: readonly GraphEdge[]): number[] {
  const s = new Set<number>();
  for (const e of edges) s.add(e.from).add(e.to);
  return [...s].sort((a, b) => a - b);
}

/**
 * Nodes evenly on a circle, the first at the top, clockwise; two tasks side by side instead (the
 * view is wider than tall, and their parallel edges then stack their labels vertically).
 */
export function layoutNodes(pids: readonly number[], names: ReadonlyMap<number, string>): GraphNode[] {
  const labels = pids.map((pid) => {
    const name = names.get(pid);
    return pid === KERNEL_PID ? 'kernel' : name ? `${name} (${pid})` : `pid ${pid}`;
  });
  const size = graphSize(pids.length, Math.max(0, ...labels.map((l) => l.length)));
  const cx = size.width / 2;
  const cy = size.height / 2;
  const two = pids.length === 2;
  const r = pids.length === 1 ? 0 : two ? GRAPH_W / 2 - MARGIN - 40 : size.radius;
  const start = two ? Math.PI : -Math.PI / 2;
  const crowded = size.crowded;
  return pids.map((pid, i) => {
    const a = start + (2 * Math.PI * i) / pids.length;
    const x = Math.round(cx + r * Math.cos(a));
    const y = Math.round(cy + r * Math.sin(a));
    if (!crowded) return { pid, label: labels[i]!, x, y, lx: x, ly: y + 30, anchor: 'middle', rotate: 0 };
    // Outward along the radius; on the left half turned half a turn more so it reads left to right.
    const right = Math.cos(a) >= -1e-9;
    const deg = (a * 180) / Math.PI;
    return {
      pid,
      label: labels[i]!,
      x,
      y,
      lx: Math.round(x + Math.cos(a) * LABEL_GAP),
      ly: Math.round(y + Math.sin(a) * LABEL_GAP),
      anchor: right ? 'start' : 'end',
      rotate: Math.round(right ? deg : deg + 180),
    };
  });
}

const fmt = (v: number): string => String(Math.round(v * 10) / 10);

/** Geometry for every edge whose both ends are placed. */
export function placeEdges(edges: readonly GraphEdge[], nodes: readonly GraphNode[]): PlacedEdge[] {
  const at = new Map(nodes.map((n) => [n.pid, n]));
  // Parallel edges (either direction) between one pair, or loops on one node, fan out by index.
  const groups = new Map<string, GraphEdge[]>();
  for (const e of edges) {
    const k = e.from < e.to ? `${e.from}-${e.to}` : `${e.to}-${e.from}`;
    groups.set(k, [...(groups.get(k) ?? []), e]);
  }
  const out: PlacedEdge[] = [];
  // The circle's centre is the nodes' centroid (one node: itself, so its loops go up).
  const centre = {
    x: nodes.reduce((t, n) => t + n.x, 0) / Math.max(1, nodes.length),
    y: nodes.reduce((t, n) => t + n.y, 0) / Math.max(1, nodes.length),
  };
  for (const group of groups.values()) {
    group.forEach((e, i) => {
      const a = at.get(e.from);
      const b = at.get(e.to);
      if (!a || !b) return;
      if (a === b) out.push(loop(e, a, i, centre));
      else out.push(curve(e, a, b, i - (group.length - 1) / 2));
    });
  }
  return out;
}

/** A quadratic curve bowed `offset` steps from the straight line (the sign follows pid order). */
function curve(e: GraphEdge, a: GraphNode, b: GraphNode, offset: number): PlacedEdge {
  const [p, q] = a.pid < b.pid ? [a, b] : [b, a];
  const dx = q.x - p.x;
  const dy = q.y - p.y;
  const len = Math.hypot(dx, dy) || 1;
  const bow = offset * 72;
  const mx = (a.x + b.x) / 2 - (dy / len) * bow;
  const my = (a.y + b.y) / 2 + (dx / len) * bow;
  return {
    ...e,
    path: `M${fmt(a.x)},${fmt(a.y)} Q${fmt(mx)},${fmt(my)} ${fmt(b.x)},${fmt(b.y)}`,
    // The curve's midpoint is halfway between the chord's midpoint and the control point.
    lx: (a.x + b.x) / 4 + mx / 2,
    ly: (a.y + b.y) / 4 + my / 2,
  };
}

/** A loop above-outward of the node, bigger for each further loop on it. */
function loop(e: GraphEdge, n: GraphNode, i: number, centre: { x: number; y: number }): PlacedEdge {
  const { x: cx, y: cy } = centre;
  const d = Math.hypot(n.x - cx, n.y - cy);
  const [ux, uy] = d < 1 ? [0, -1] : [(n.x - cx) / d, (n.y - cy) / d];
  const reach = 46 + 14 * i;
  const tip = { x: n.x + ux * reach, y: n.y + uy * reach };
  const side = { x: -uy * 20, y: ux * 20 };
  return {
    ...e,
    path:
      `M${fmt(n.x)},${fmt(n.y)} C${fmt(tip.x + side.x)},${fmt(tip.y + side.y)} ` +
      `${fmt(tip.x - side.x)},${fmt(tip.y - side.y)} ${fmt(n.x)},${fmt(n.y)}`,
    lx: n.x + ux * (reach + 6),
    ly: n.y + uy * (reach + 6) + 4,
  };
}

/** Per channel: messages in the log, and whether one was sent within `windowMs` of `now`. */
export function channelActivity(
  messages: readonly { channel: number; time: number }[],
  now: number,
  windowMs = 1000,
): Map<number, { recent: number; active: boolean }> {
  const per = new Map<number, { recent: number; active: boolean }>();
  for (const m of messages) {
    const a = per.get(m.channel) ?? { recent: 0, active: false };
    a.recent++;
    if (m.time >= now - windowMs) a.active = true;
    per.set(m.channel, a);
  }
  return per;
}
