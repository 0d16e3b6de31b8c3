// What the build keeps in its CacheStore besides raw bytes: the header list of a source (so the
// object key can cover every included header's text) and an object with its diagnostics (so a
// cached object still shows its warnings). Malformed records read as misses, never as errors.
import { utf8Decode, utf8Encode } from '../../util/utf8';
import type { Diagnostic } from '../diag';

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
}

/** Layout: u32 LE length of a JSON header, the header, then the object bytes. */
export function encodeObject(r: ObjectRecord): Uint8Array {
  const head = utf8Encode(JSON.stringify({ diagnostics: r.diagnostics }));
  const out = new Uint8Array(4 + head.length + r.object.length);
  new DataView(out.buffer).setUint32(0, head.length, true);
  out.set(head, 4);
  out.set(r.object, 4 + head.length);
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
  if (!b || b.length < 4) return null;
  const len = new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(0, true);
  if (4 + len > b.length) return null;
  try {
    const v: unknown = JSON.parse(utf8Decode(b, 4, 4 + len));
    const diags = (v as { diagnostics?: unknown }).diagnostics;
    if (!Array.isArray(diags) || !diags.every(isDiagnostic)) return null;
    return { object: b.slice(4 + len), diagnostics: diags };
  } catch {
    return null;
  }
}
