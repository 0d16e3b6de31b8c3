// The authenticated control path (the seed's fipc_admin ops): messages of type 'ADMI' sent to
// channel 2 carry a TLV request. Every op needs the installation's 32-byte admin token; a
// capability bind also needs an HMAC-SHA256 under the admin key over the lease parameters
// (LE64 lease ‖ rights ‖ max_msgs ‖ max_bytes ‖ expiry). Comparisons are constant-time.
//
// TLV: BEGIN 0x50, then tag + LEB128 value pairs, END 0x5F; TOKEN 0x5A and HMAC 0x5C carry a
// LEB128 length and that many bytes. The reply 'ARLY' is 0x60, 0x61 + LEB128(|rc|), 0x6F.
import { concatBytes, constantTimeEqual, le64, type RemoteCrypto } from './crypto';

export const ADMIN_MSG_TYPE = 0x41444d49; // 'ADMI'
export const ADMIN_REPLY_TYPE = 0x41524c59; // 'ARLY'
export const AdminOp = { CapBind: 1, CapUnbind: 2, CapRevoke: 3, RateSet: 4 } as const;

const T = {
  Begin: 0x50,
  Op: 0x51,
  Target: 0x52,
  Rights: 0x53,
  MaxMsgs: 0x54,
  MaxBytes: 0x55,
  ExpTick: 0x56,
  Revoke: 0x57,
  Rate: 0x58,
  Burst: 0x59,
  Token: 0x5a,
  Lease: 0x5b,
  Hmac: 0x5c,
  End: 0x5f,
} as const;

export interface AdminRequest {
  op: number;
  target: bigint;
  rights?: bigint;
  maxMsgs?: bigint;
  maxBytes?: bigint;
  expTick?: bigint;
  revoke?: bigint;
  rate?: bigint;
  burst?: bigint;
  lease?: bigint;
  token?: Uint8Array;
  hmac?: Uint8Array;
}

/** What the control path changes; the kernel's channel table implements it. */
export interface CapabilityControl {
  bind(
    target: bigint,
    lease: { lease: bigint; rights: bigint; maxMsgs: bigint; maxBytes: bigint; expTick: bigint },
  ): number;
  unbind(target: bigint): number;
  revoke(target: bigint, flags: bigint): number;
  setRate(target: bigint, rate: bigint, burst: bigint): number;
}

function pushVarint(out: number[], v: bigint): void {
  let x = BigInt.asUintN(64, v);
  do {
    let b = Number(x & 0x7fn);
    x >>= 7n;
    if (x !== 0n) b |= 0x80;
    out.push(b);
  } while (x !== 0n);
}

/** Reads a LEB128 value of at most 10 bytes (64 bits); null when truncated or too long. */
function readVarint(b: Uint8Array, pos: { i: number }): bigint | null {
  let v = 0n;
  for (let n = 0; n < 10; n++) {
    if (pos.i >= b.length) return null;
    const byte = b[pos.i++]!;
    v |= BigInt(byte & 0x7f) << BigInt(7 * n);
    if ((byte & 0x80) === 0) return BigInt.asUintN(64, v);
  }
  return null;
}

export function leaseMacInput(r: AdminRequest): Uint8Array {
  return concatBytes(
    le64(r.lease ?? 0n),
    le64(r.rights ?? 0n),
    le64(r.maxMsgs ?? 0n),
    le64(r.maxBytes ?? 0n),
    le64(r.expTick ?? 0n),
  );
}

export function encodeAdminRequest(r: AdminRequest): Uint8Array {
  const out: number[] = [T.Begin];
  const num = (tag: number, v: bigint | undefined): void => {
    if (v === undefined) return;
    out.push(tag);
    pushVarint(out, v);
  };
  num(T.Op, BigInt(r.op));
  num(T.Target, r.target);
  num(T.Rights, r.rights);
  num(T.MaxMsgs, r.maxMsgs);
  num(T.MaxBytes, r.maxBytes);
  num(T.ExpTick, r.expTick);
  num(T.Revoke, r.revoke);
  num(T.Rate, r.rate);
  num(T.Burst, r.burst);
  num(T.Lease, r.lease);
  for (const [tag, bytes] of [
    [T.Token, r.token],
    [T.Hmac, r.hmac],
  ] as const) {
    if (!bytes) continue;
    out.push(tag);
    pushVarint(out, BigInt(bytes.length));
    out.push(...bytes);
  }
  out.push(T.End);
  return new Uint8Array(out);
}

/** Signs a bind request's lease parameters with the admin key. */
export function signLease(r: AdminRequest, adminKey: Uint8Array, crypto: RemoteCrypto): AdminRequest {
  return { ...r, hmac: crypto.hmacSha256(adminKey, leaseMacInput(r)) };
}

export function decodeAdminRequest(b: Uint8Array): AdminRequest | null {
  if (b.length < 2 || b[0] !== T.Begin) return null;
  const pos = { i: 1 };
  const r: Partial<AdminRequest> = {};
  const numeric: Record<number, keyof AdminRequest> = {
    [T.Op]: 'op',
    [T.Target]: 'target',
    [T.Rights]: 'rights',
    [T.MaxMsgs]: 'maxMsgs',
    [T.MaxBytes]: 'maxBytes',
    [T.ExpTick]: 'expTick',
    [T.Revoke]: 'revoke',
    [T.Rate]: 'rate',
    [T.Burst]: 'burst',
    [T.Lease]: 'lease',
  };
  for (;;) {
    if (pos.i >= b.length) return null;
    const tag = b[pos.i++]!;
    if (tag === T.End) break;
    if (tag === T.Token || tag === T.Hmac) {
      const len = readVarint(b, pos);
      if (len === null || len > 256n || pos.i + Number(len) > b.length) return null;
      const bytes = b.slice(pos.i, pos.i + Number(len));
      pos.i += Number(len);
      if (tag === T.Token) r.token = bytes;
      else r.hmac = bytes;
      continue;
    }
    const field = numeric[tag];
    if (!field) return null;
    const v = readVarint(b, pos);
    if (v === null) return null;
    if (field === 'op') r.op = v > 255n ? -1 : Number(v);
    else (r as Record<string, bigint>)[field] = v;
  }
  if (pos.i !== b.length || r.op === undefined || r.target === undefined) return null;
  return r as AdminRequest;
}

export function encodeAdminReply(rc: number): Uint8Array {
  const out = [0x60, 0x61];
  pushVarint(out, BigInt(Math.abs(rc)));
  out.push(0x6f);
  return new Uint8Array(out);
}

export function decodeAdminReply(b: Uint8Array): number | null {
  if (b.length < 4 || b[0] !== 0x60 || b[1] !== 0x61) return null;
  const pos = { i: 2 };
  const v = readVarint(b, pos);
  if (v === null || b[pos.i] !== 0x6f || pos.i + 1 !== b.length) return null;
  return Number(v);
}

export type AdminVerdict = 'ok' | 'malformed' | 'no-token' | 'bad-token' | 'bad-hmac' | 'unknown-op';

const EPERM = 1;
const EINVAL = 22;
const EACCES = 13;

/** Verifies and applies one control request; returns the verdict and the rc to reply with. */
export function handleAdminRequest(
  payload: Uint8Array,
  keys: { adminToken: Uint8Array; adminKey: Uint8Array },
  crypto: RemoteCrypto,
  control: CapabilityControl,
): { verdict: AdminVerdict; rc: number } {
  const r = decodeAdminRequest(payload);
  if (!r) return { verdict: 'malformed', rc: -EINVAL };
  if (!r.token) return { verdict: 'no-token', rc: -EPERM };
  if (!constantTimeEqual(r.token, keys.adminToken)) return { verdict: 'bad-token', rc: -EPERM };
  switch (r.op) {
    case AdminOp.CapBind: {
      if (r.lease === undefined || r.rights === undefined || !r.hmac)
        return { verdict: 'malformed', rc: -EINVAL };
      const expected = crypto.hmacSha256(keys.adminKey, leaseMacInput(r));
      if (!constantTimeEqual(expected, r.hmac)) return { verdict: 'bad-hmac', rc: -EACCES };
      const rc = control.bind(r.target, {
        lease: r.lease,
        rights: r.rights,
        maxMsgs: r.maxMsgs ?? 0n,
        maxBytes: r.maxBytes ?? 0n,
        expTick: r.expTick ?? 0n,
      });
      return { verdict: 'ok', rc };
    }
    case AdminOp.CapUnbind:
      return { verdict: 'ok', rc: control.unbind(r.target) };
    case AdminOp.CapRevoke:
      return { verdict: 'ok', rc: control.revoke(r.target, r.revoke ?? 3n) };
    case AdminOp.RateSet:
      return { verdict: 'ok', rc: control.setRate(r.target, r.rate ?? 0n, r.burst ?? 0n) };
    default:
      return { verdict: 'unknown-op', rc: -EINVAL };
  }
}
