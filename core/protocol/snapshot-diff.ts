// A JSON diff for inspect snapshots, so a 30 Hz stream sends only what changed. Objects are
// patched key by key; arrays of records with a unique id field (pid, tid, fd, id, name, start,
// priority, seq) are patched element by element, keyed by that id, so one task's change costs one
// task's bytes however the list is ordered; other arrays and primitives are replaced whole.
// `applyDiff(a, diffJson(a, b))` deep-equals `b`, never mutates `a`, and shares a's unchanged
// subtrees (cheap re-renders for immutable UI state).

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Replace the value. */
export interface ReplaceOp {
  $r: Json;
}
/** Patch an object: changed keys (`$o`) and removed keys (`$d`). */
export interface ObjectOp {
  $o?: Record<string, Diff>;
  $d?: string[];
}
type Id = string | number;
/**
 * Patch an array of records keyed by field `$k`: the new order of ids (only when it changed),
 * changed elements by id, and elements that are new (or whose id field changed) in full.
 */
export interface KeyedOp {
  $k: string;
  $ids?: Id[];
  $c?: [Id, Diff][];
  $n?: [Id, Json][];
}
export type Diff = ReplaceOp | ObjectOp | KeyedOp;

/** Fields that identify a record in the kernel's snapshot lists, in order of preference. */
const ID_FIELDS = ['id', 'pid', 'tid', 'fd', 'name', 'start', 'priority', 'seq'] as const;

const isObj = (v: Json | undefined): v is { [key: string]: Json } =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const own = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);
/** Sets a key as an own data property (a key named __proto__ must not reach the prototype). */
function put<T>(o: Record<string, T>, k: string, v: T): void {
  Object.defineProperty(o, k, { value: v, writable: true, enumerable: true, configurable: true });
}

/** Deep equality of two JSON values (key order ignored). */
export function jsonEqual(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') {
    return typeof a === 'number' && typeof b === 'number' && Number.isNaN(a) && Number.isNaN(b);
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i]!, b[i]!)) return false;
    return true;
  }
  if (!isObj(b)) return false;
  const ak = Object.keys(a);
  if (ak.length !== Object.keys(b).length) return false;
  for (const k of ak) if (!own(b, k) || !jsonEqual(a[k]!, b[k]!)) return false;
  return true;
}

/** The id field shared (uniquely, with primitive values) by every element of both arrays. */
function keyField(a: Json[], b: Json[]): string | null {
  if (a.length === 0 && b.length === 0) return null;
  for (const f of ID_FIELDS) {
    if (uniqueIds(a, f) && uniqueIds(b, f)) return f;
  }
  return null;
}

function uniqueIds(arr: Json[], f: string): boolean {
  const seen = new Set<Id>();
  for (const e of arr) {
    if (!isObj(e) || !own(e, f)) return false;
    const id = e[f];
    if (typeof id !== 'string' && typeof id !== 'number') return false;
    if (seen.has(id)) return false;
    seen.add(id);
  }
  return true;
}

/** The diff taking `a` to `b`, or null when they are equal. */
export function diffJson(a: Json, b: Json): Diff | null {
  // One walk: containers report null when nothing under them changed (no deep compare first).
  if (a === b) return null;
  if (isObj(a) && isObj(b)) {
    const changed: Record<string, Diff> = {};
    let any = false;
    for (const k of Object.keys(b)) {
      const d = own(a, k) ? diffJson(a[k]!, b[k]!) : { $r: b[k]! };
      if (d) {
        put(changed, k, d);
        any = true;
      }
    }
    const gone = Object.keys(a).filter((k) => !own(b, k));
    if (!any && gone.length === 0) return null;
    const op: ObjectOp = {};
    if (any) op.$o = changed;
    if (gone.length) op.$d = gone;
    return op;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    const k = keyField(a, b);
    if (k !== null) return diffKeyed(a, b, k);
  }
  return jsonEqual(a, b) ? null : { $r: b };
}

function diffKeyed(a: Json[], b: Json[], k: string): KeyedOp | null {
  const byId = new Map<Id, Json>();
  for (const e of a) byId.set((e as Record<string, Json>)[k] as Id, e);
  const ids = b.map((e) => (e as Record<string, Json>)[k] as Id);
  const op: KeyedOp = { $k: k };
  const sameOrder = ids.length === a.length && ids.every((id, i) => (a[i] as Record<string, Json>)[k] === id);
  if (!sameOrder) op.$ids = ids;
  const changed: [Id, Diff][] = [];
  const added: [Id, Json][] = [];
  for (let i = 0; i < b.length; i++) {
    const id = ids[i]!;
    const old = byId.get(id);
    if (old === undefined) added.push([id, b[i]!]);
    else {
      const d = diffJson(old, b[i]!);
      if (d) changed.push([id, d]);
    }
  }
  if (sameOrder && changed.length === 0 && added.length === 0) return null;
  if (changed.length) op.$c = changed;
  if (added.length) op.$n = added;
  return op;
}

export class DiffError extends Error {}

/** Applies a diff to `a`, returning the new value (`a` is left untouched). Throws DiffError on a diff that does not fit `a`. */
export function applyDiff(a: Json, d: Diff | null): Json {
  if (d === null) return a;
  if (own(d, '$r')) return (d as ReplaceOp).$r;
  if (own(d, '$k')) return applyKeyed(a, d as KeyedOp);
  if (!isObj(a)) throw new DiffError('object patch on a non-object');
  const op = d as ObjectOp;
  const out: { [key: string]: Json } = {};
  for (const k of Object.keys(a)) put(out, k, a[k]!);
  for (const k of op.$d ?? []) delete out[k];
  for (const [k, sub] of Object.entries(op.$o ?? {})) {
    if (own(sub, '$r')) put(out, k, (sub as ReplaceOp).$r);
    else if (!own(a, k)) throw new DiffError(`patch of missing key ${k}`);
    else put(out, k, applyDiff(a[k]!, sub));
  }
  return out;
}

function applyKeyed(a: Json, op: KeyedOp): Json[] {
  if (!Array.isArray(a)) throw new DiffError('keyed patch on a non-array');
  const k = op.$k;
  const byId = new Map<Id, Json>();
  for (const e of a) {
    if (!isObj(e)) throw new DiffError('keyed patch on an array of non-records');
    byId.set(e[k] as Id, e);
  }
  for (const [id, v] of op.$n ?? []) byId.set(id, v);
  for (const [id, sub] of op.$c ?? []) {
    const old = byId.get(id);
    if (old === undefined) throw new DiffError(`patch of missing element ${String(id)}`);
    byId.set(id, applyDiff(old, sub));
  }
  const ids = op.$ids ?? a.map((e) => (e as Record<string, Json>)[k] as Id);
  return ids.map((id) => {
    const v = byId.get(id);
    if (v === undefined) throw new DiffError(`missing element ${String(id)}`);
    return v;
  });
}
