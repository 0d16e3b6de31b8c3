import { describe, expect, it } from 'vitest';
import { isDeepStrictEqual } from 'node:util';
import { Board } from '../../core/machine/board';
import { Kernel, snapshot } from '../../core/kernel';
import { applyDiff, diffJson, DiffError, type Json } from '../../core/protocol/snapshot-diff';
import { SnapshotEncoder, SnapshotReceiver, type SnapshotEvent } from '../../core/protocol/snapshot-stream';
import { mustAssemble, SPIN_ASM, ECHO_ASM } from './session-support';

const FULL = process.env.FUTURA_FULL === '1';

/** A small deterministic PRNG (xorshift32). */
function rng(seed: number): (n: number) => number {
  let s = seed >>> 0 || 1;
  return (n) => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s % n;
  };
}

const KEYS = ['pid', 'tid', 'name', 'state', 'x', 'y', 'vmas', 'tasks', '__proto__', 'constructor'];

/** A random snapshot-like value: records, keyed lists (by pid/tid/name), plain arrays, primitives. */
function randomJson(r: (n: number) => number, depth: number): Json {
  const kind = depth <= 0 ? r(4) : r(8);
  switch (kind) {
    case 0:
      return r(5) === 0 ? null : r(2) === 0;
    case 1:
      return r(3) === 0 ? -(r(1000) + 1) / 7 : r(1 << 30); // (no -0: JSON cannot carry it)
    case 2:
      return ['a', 'b', '', 'ünï', 'x'.repeat(r(5))][r(5)]!;
    case 3:
      return r(100);
    case 4:
    case 5: {
      const o: Record<string, Json> = {};
      for (let i = r(5); i > 0; i--) {
        Object.defineProperty(o, KEYS[r(KEYS.length)]!, {
          value: randomJson(r, depth - 1),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return o;
    }
    case 6: {
      // A keyed list: unique ids under one field.
      const field = ['pid', 'tid', 'name'][r(3)]!;
      const n = r(6);
      const ids = new Set<number>();
      while (ids.size < n) ids.add(r(10));
      return [...ids].map((id) => ({
        [field]: field === 'name' ? `q${id}` : id,
        state: ['ready', 'blocked'][r(2)]!,
        x: randomJson(r, depth - 1),
      }));
    }
    default:
      return Array.from({ length: r(4) }, () => randomJson(r, depth - 1));
  }
}

/** A random edit of `v`: change, add or remove something somewhere (or nothing). */
function mutate(r: (n: number) => number, v: Json, depth = 0): Json {
  if (r(4) === 0 || depth > 4) return r(3) === 0 ? v : randomJson(r, 2);
  if (Array.isArray(v)) {
    const out = v.slice();
    const op = r(4);
    if (op === 0 && out.length) out.splice(r(out.length), 1);
    else if (op === 1 && out.length) {
      const i = r(out.length);
      out[i] = mutate(r, out[i]!, depth + 1);
    } else if (op === 2 && out.length > 1) out.reverse();
    else if (out.length && typeof out[0] === 'object' && out[0] !== null && !Array.isArray(out[0])) {
      const copy = { ...(out[r(out.length)] as Record<string, Json>) };
      for (const f of ['pid', 'tid']) if (typeof copy[f] === 'number') copy[f] = 100 + r(50);
      if (typeof copy.name === 'string') copy.name = `n${r(50)}`;
      out.push(copy); // may duplicate an id: the diff must then fall back to replacing
    }
    return out;
  }
  if (typeof v === 'object' && v !== null) {
    const out: Record<string, Json> = {};
    for (const k of Object.keys(v)) {
      Object.defineProperty(out, k, { value: v[k], enumerable: true, writable: true, configurable: true });
    }
    const keys = Object.keys(out);
    const op = r(3);
    if (op === 0 && keys.length) delete out[keys[r(keys.length)]!];
    else if (op === 1 && keys.length) {
      const k = keys[r(keys.length)]!;
      out[k] = mutate(r, out[k]!, depth + 1);
    } else {
      Object.defineProperty(out, KEYS[r(KEYS.length)]!, {
        value: randomJson(r, 2),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
  return randomJson(r, 2);
}

describe('snapshot diff', () => {
  it('apply(diff(a, b), a) deep-equals b on random snapshots, through JSON, without touching a', () => {
    const r = rng(0x5eed);
    const rounds = FULL ? 20_000 : 2_000;
    for (let i = 0; i < rounds; i++) {
      const a = randomJson(r, 4);
      const b = r(3) === 0 ? randomJson(r, 4) : mutate(r, a);
      const before = JSON.stringify(a);
      const d = diffJson(a, b);
      // The diff travels as JSON: apply the parsed form, as a client would.
      const wire = d === null ? null : JSON.parse(JSON.stringify(d));
      const got = applyDiff(a, wire);
      // node's deep equality: vitest's would read an own `constructor` key as the class.
      expect(isDeepStrictEqual(got, b), `round ${i}: ${JSON.stringify([a, b])}`).toBe(true);
      expect(JSON.stringify(a)).toBe(before);
      if (JSON.stringify(a) === JSON.stringify(b)) expect(d).toBeNull();
    }
  });

  it('patches keyed lists element by element and shares unchanged elements', () => {
    const a: Json = {
      tasks: [
        { pid: 1, name: 'init', threads: [{ tid: 1, state: 'blocked' }] },
        { pid: 2, name: 'sh', threads: [{ tid: 2, state: 'running' }] },
      ],
      now: 5,
    };
    const b: Json = {
      tasks: [
        { pid: 1, name: 'init', threads: [{ tid: 1, state: 'ready' }] },
        { pid: 2, name: 'sh', threads: [{ tid: 2, state: 'running' }] },
        { pid: 3, name: 'ls', threads: [] },
      ],
      now: 6,
    };
    const d = diffJson(a, b)!;
    expect(d).toEqual({
      $o: {
        tasks: {
          $k: 'pid',
          $ids: [1, 2, 3],
          $c: [[1, { $o: { threads: { $k: 'tid', $c: [[1, { $o: { state: { $r: 'ready' } } }]] } } }]],
          $n: [[3, { pid: 3, name: 'ls', threads: [] }]],
        },
        now: { $r: 6 },
      },
    });
    const got = applyDiff(a, d) as { tasks: Json[] };
    expect(got).toEqual(b);
    expect(got.tasks[1]).toBe((a as { tasks: Json[] }).tasks[1]); // shared, not copied
  });

  it('rejects a diff that does not fit the base', () => {
    expect(() => applyDiff([1, 2], { $o: { x: { $r: 1 } } })).toThrow(DiffError);
    expect(() => applyDiff({ a: 1 }, { $o: { b: { $o: {} } } })).toThrow(DiffError);
    expect(() => applyDiff([{ pid: 1 }], { $k: 'pid', $c: [[9, { $r: 1 }]] })).toThrow(DiffError);
    expect(() => applyDiff([{ pid: 1 }], { $k: 'pid', $ids: [1, 2] })).toThrow(DiffError);
  });
});

describe('snapshot stream', () => {
  it('sends a full snapshot first, then diffs, nothing when unchanged, and a keyframe again', () => {
    const enc = new SnapshotEncoder({ keyframeEvery: 3 });
    const big = (n: number): Json => ({
      now: n,
      tasks: Array.from({ length: 20 }, (_, i) => ({ pid: i + 1, name: `task${i}`, pc: i === 3 ? n : 0 })),
    });
    const evs = [0, 1, 1, 2, 3, 4, 5].map((n) => enc.encode(big(n)));
    expect(evs.map((e) => (e === null ? '-' : e.full ? 'F' : 'D')).join('')).toBe('FD-DDFD');
    const rx = new SnapshotReceiver();
    let last: Json | null = null;
    for (const e of evs) if (e) last = rx.accept(e);
    expect(last).toEqual(big(5));
  });

  it('sends a full snapshot when the diff would not be much smaller', () => {
    const enc = new SnapshotEncoder();
    const snap = (tag: string): Json => ({
      list: Array.from({ length: 10 }, (_, i) => ({ id: i, v: `${tag}${i}` })),
    });
    const kinds = ['a', 'b', 'c', 'c'].map((t) => enc.encode(snap(t)));
    expect(kinds.map((e) => (e === null ? '-' : e.full ? 'F' : 'D')).join('')).toBe('FFF-');
  });

  it('a receiver that missed an event waits for the next full snapshot', () => {
    const enc = new SnapshotEncoder({ keyframeEvery: 4 });
    const snap = (n: number): Json => ({ n, list: Array.from({ length: 30 }, (_, i) => ({ id: i, v: i })) });
    const evs = [1, 2, 3, 4, 5, 6].map((n) => enc.encode(snap(n))!);
    const rx = new SnapshotReceiver();
    expect(rx.accept(evs[1]!)).toBeNull(); // joined late: a diff without its base
    expect(rx.accept(evs[0]!)).toEqual(snap(1));
    expect(rx.accept(evs[2]!)).toBeNull(); // skipped evs[1]
    const full = evs.findIndex((e, i) => i > 2 && e.full);
    expect(full).toBeGreaterThan(2);
    expect(rx.accept(evs[full]!)).toEqual(snap(full + 1));
    // A diff that does not fit (a corrupted base) resets instead of throwing.
    const bad: SnapshotEvent = {
      event: 'snapshot',
      seq: 99,
      full: false,
      base: evs[full]!.seq,
      data: { $k: 'id', $ids: [77] },
    };
    expect(rx.accept(bad)).toBeNull();
  });

  it('reconstructs real kernel snapshots from diffs while a guest runs', () => {
    const board = new Board({ ramSize: 16 << 20 });
    const k = new Kernel(board);
    k.vfs.writeFile('/bin/spin', mustAssemble(SPIN_ASM), 0o755);
    k.vfs.writeFile('/bin/echo', mustAssemble(ECHO_ASM), 0o755);
    k.spawn('/bin/echo', ['echo']);
    k.spawn('/bin/spin', ['spin']);
    const enc = new SnapshotEncoder();
    const rx = new SnapshotReceiver();
    let diffs = 0;
    let diffBytes = 0;
    let fullBytes = 0;
    for (let i = 0; i < 30; i++) {
      k.run(50_000);
      if (i === 10) k.console.feed(new TextEncoder().encode('hi\n'));
      if (i === 20) k.spawn('/bin/spin', ['spin2']);
      const s = snapshot(k) as unknown as Json;
      const e = enc.encode(s);
      if (!e) continue;
      const wire = JSON.parse(JSON.stringify(e)) as SnapshotEvent;
      if (!e.full) {
        diffs++;
        diffBytes += JSON.stringify(e.data).length;
        fullBytes += JSON.stringify(s).length;
      }
      expect(rx.accept(wire)).toEqual(s);
    }
    expect(diffs).toBeGreaterThan(20);
    expect(diffBytes).toBeLessThan(fullBytes / 4);
  });
});
