// What the build keeps in its CacheStore: the header list of a source (so the object key can
// cover every included header's text), an object with its diagnostics (so a cached object still
// shows its warnings), and sealed bytes (archives, programs). Every record carries the SHA-256 of
// its payload: a torn or corrupted entry reads as a miss, never as a wrong program.
import { utf8Decode, utf8Encode } from '../../util/utf8';
import type { Diagnostic } from '../diag';
import { sha256Hex } from './sha256';

const SEAL_MAGIC = 'FUT1';
const HEX_LEN = 64;

/**
 * Records already checked, by identity: an in-memory cache hands back the same array every time,
 * so each record is hashed once per process instead of on every build (a no-change build of the
 * sample userland would otherwise spend most of its time re-hashing its own cache).
 */
const sealedOk = new WeakMap<Uint8Array, { data: Uint8Array; hash: string }>();
const objectOk = new WeakMap<Uint8Array, ObjectRecord>();

/** Payload with its hash in front: 'FUT1', 64 hex digits, the bytes. */
export function seal(data: Uint8Array, hash = sha256Hex(data)): Uint8Array {
  const head = utf8Encode(`${SEAL_MAGIC}${hash}`);
  const out = new Uint8Array(head.length + data.length);
  out.set(head);
  out.set(data, head.length);
  sealedOk.set(out, { data, hash });
  return out;
}

export function unseal(b: Uint8Array | undefined): { data: Uint8Array; hash: string } | null {
  const n = SEAL_MAGIC.length + HEX_LEN;
  if (!b) return null;
  const known = sealedOk.get(b);
  if (known) return known;
  if (b.length < n || utf8Decode(b, 0, SEAL_MAGIC.length) !== SEAL_MAGIC) return null;
  const hash = utf8Decode(b, SEAL_MAGIC.length, n);
  const data = b.slice(n);
  if (sha256Hex(data) !== hash) return null;
  const r = { data, hash };
  sealedOk.set(b, r);
  return r;
}

export interface DepsRecord {
  /** Every file the compiler read for this source, the source itself included. */
  includes: string[];
}

export function encodeDeps(r: DepsRecord): Uint8Array {
  return utf8Encode(JSON.stringify(r));
}

export function decodeDeps(b: Uint8Array | undefined): DepsRecord | null {
  if (!b) return null;
  try {
    const v: unknown = JSON.parse(utf8Decode(b));
    if (typeof v !== 'object' || v === null) return null;
    const inc = (v as { includes?: unknown }).includes;
    if (!Array.isArray(inc) || !inc.every((s) => typeof s === 'string')) return null;
    return { includes: inc };
  } catch {
    return null;
  }
}

export interface ObjectRecord {
  object: Uint8Array;
  diagnostics: Diagnostic[];
  /** SHA-256 of the object bytes. */
  hash: string;
}

/** Layout: u32 LE length of a JSON header, the header, then the object bytes. */
export function encodeObject(r: ObjectRecord): Uint8Array {
  const head = utf8Encode(JSON.stringify({ diagnostics: r.diagnostics, sha256: r.hash }));
  const out = new Uint8Array(4 + head.length + r.object.length);
  new DataView(out.buffer).setUint32(0, head.length, true);
  out.set(head, 4);
  out.set(r.object, 4 + head.length);
  objectOk.set(out, r);
  return out;
}

function isDiagnostic(d: unknown): d is Diagnostic {
  if (typeof d !== 'object' || d === null) return false;
  const x = d as Record<string, unknown>;
  return (
    typeof x.file === 'string' &&
    typeof x.line === 'number' &&
    typeof x.col === 'number' &&
    typeof x.message === 'string' &&
    (x.severity === 'error' || x.severity === 'warning' || x.severity === 'note')
  );
}

export function decodeObject(b: Uint8Array | undefined): ObjectRecord | null {
  if (!b) return null;
  const known = objectOk.get(b);
  if (known) return known;
  if (b.length < 4) return null;
  const len = new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(0, true);
  if (4 + len > b.length) return null;
  try {
    const v = JSON.parse(utf8Decode(b, 4, 4 + len)) as { diagnostics?: unknown; sha256?: unknown };
    const diags = v.diagnostics;
    if (!Array.isArray(diags) || !diags.every(isDiagnostic)) return null;
    const object = b.slice(4 + len);
    const hash = sha256Hex(object);
    if (hash !== v.sha256) return null;
    const r = { object, diagnostics: diags, hash };
    objectOk.set(b, r);
    return r;
  } catch {
    return null;
  }
}
