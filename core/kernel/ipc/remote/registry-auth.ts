// The signed service registry (the seed's svc_registryd): requests carry an HMAC-SHA256 under the
// installation's registry key over name ‖ LE64 timestamp ‖ LE64 nonce. The server rejects stale or
// future timestamps (±300 s), nonces it has seen inside that window, and bad MACs; after a key
// rotation the previous key is accepted for a grace period and no longer.
//
// Wire format (big-endian, as the seed's): magic u32 'SRG1' 0x31524753, type u16, name_len u16,
// channel_id u64, nonce u64, timestamp_ms u64, then the name (< 64 bytes), then the 32-byte MAC.
import { concatBytes, constantTimeEqual, le64, type RemoteCrypto } from './crypto';

export const REGISTRY_MAGIC = 0x31524753;
export const RegistryType = { Register: 1, Lookup: 2, LookupResponse: 3, Error: 255 } as const;
export const RegistryError = { NotFound: 1, Malformed: 2, Auth: 3, Full: 4 } as const;
export const REGISTRY_WINDOW_MS = 300_000;
export const MAX_NAME = 63;
const HEADER = 32;
const MAC = 32;

export interface RegistryMessage {
  type: number;
  name: string;
  channelId: bigint;
  nonce: bigint;
  timestampMs: bigint;
}

function macInput(name: Uint8Array, ts: bigint, nonce: bigint): Uint8Array {
  return concatBytes(name, le64(ts), le64(nonce));
}

export function encodeRegistryMessage(m: RegistryMessage, key: Uint8Array, crypto: RemoteCrypto): Uint8Array {
  const name = new TextEncoder().encode(m.name);
  const out = new Uint8Array(HEADER + name.length + MAC);
  const v = new DataView(out.buffer);
  v.setUint32(0, REGISTRY_MAGIC);
  v.setUint16(4, m.type);
  v.setUint16(6, name.length);
  v.setBigUint64(8, BigInt.asUintN(64, m.channelId));
  v.setBigUint64(16, BigInt.asUintN(64, m.nonce));
  v.setBigUint64(24, BigInt.asUintN(64, m.timestampMs));
  out.set(name, HEADER);
  out.set(crypto.hmacSha256(key, macInput(name, m.timestampMs, m.nonce)), HEADER + name.length);
  return out;
}

export type DecodedRegistry =
  { ok: true; message: RegistryMessage; nameBytes: Uint8Array; mac: Uint8Array } | { ok: false };

export function decodeRegistryMessage(bytes: Uint8Array): DecodedRegistry {
  if (bytes.length < HEADER + MAC) return { ok: false };
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (v.getUint32(0) !== REGISTRY_MAGIC) return { ok: false };
  const nameLen = v.getUint16(6);
  if (nameLen > MAX_NAME || bytes.length !== HEADER + nameLen + MAC) return { ok: false };
  const nameBytes = bytes.slice(HEADER, HEADER + nameLen);
  let name: string;
  try {
    name = new TextDecoder('utf-8', { fatal: true }).decode(nameBytes);
  } catch {
    return { ok: false };
  }
  return {
    ok: true,
    message: {
      type: v.getUint16(4),
      name,
      channelId: v.getBigUint64(8),
      nonce: v.getBigUint64(16),
      timestampMs: v.getBigUint64(24),
    },
    nameBytes,
    mac: bytes.slice(HEADER + nameLen),
  };
}

export interface RegistryKeys {
  current: Uint8Array;
}

export type RegistryVerdict = 'ok' | 'malformed' | 'stale' | 'replay' | 'bad-mac';

/** The server side: verifies requests and keeps the name → channel table. */
export class SignedRegistry {
  readonly table = new Map<string, bigint>();
  /** Looked up before `table` (a node publishes its kernel's services through it). */
  resolver: ((name: string) => bigint | undefined) | null = null;
  readonly rejected: Record<Exclude<RegistryVerdict, 'ok'>, number> = {
    malformed: 0,
    stale: 0,
    replay: 0,
    'bad-mac': 0,
  };
  private current: Uint8Array;
  private previous: Uint8Array | null = null;
  private previousUntil = 0;
  /** nonce → the time after which it can no longer be replayed inside the window. */
  private readonly seen = new Map<bigint, number>();

  constructor(
    key: Uint8Array,
    private readonly crypto: RemoteCrypto,
    private readonly clock: () => number,
    private readonly capacity = 64,
  ) {
    this.current = key;
  }

  /** Switches to a new key; the old one stays valid for `graceMs`. */
  rotate(newKey: Uint8Array, graceMs: number): void {
    this.previous = this.current;
    this.previousUntil = this.clock() + graceMs;
    this.current = newKey;
  }

  verify(bytes: Uint8Array): { verdict: RegistryVerdict; message?: RegistryMessage } {
    const d = decodeRegistryMessage(bytes);
    if (!d.ok) return this.reject('malformed');
    const now = this.clock();
    const ts = Number(d.message.timestampMs);
    if (Math.abs(ts - now) > REGISTRY_WINDOW_MS) return this.reject('stale');
    const input = macInput(d.nameBytes, d.message.timestampMs, d.message.nonce);
    let good = constantTimeEqual(this.crypto.hmacSha256(this.current, input), d.mac);
    if (!good && this.previous && now <= this.previousUntil) {
      good = constantTimeEqual(this.crypto.hmacSha256(this.previous, input), d.mac);
    }
    if (!good) return this.reject('bad-mac');
    this.forgetExpired(now);
    if (this.seen.has(d.message.nonce)) return this.reject('replay');
    this.seen.set(d.message.nonce, ts + REGISTRY_WINDOW_MS);
    return { verdict: 'ok', message: d.message };
  }

  /** Handles a request and returns the reply (replies are signed with the current key). */
  handle(bytes: Uint8Array, replyNonce: bigint): Uint8Array {
    const { verdict, message } = this.verify(bytes);
    const reply = (type: number, name: string, channelId: bigint): Uint8Array =>
      encodeRegistryMessage(
        { type, name, channelId, nonce: replyNonce, timestampMs: BigInt(this.clock()) },
        this.current,
        this.crypto,
      );
    if (verdict !== 'ok' || !message) {
      const code = verdict === 'malformed' ? RegistryError.Malformed : RegistryError.Auth;
      return reply(RegistryType.Error, '', BigInt(code));
    }
    if (message.type === RegistryType.Register) {
      if (!this.table.has(message.name) && this.table.size >= this.capacity)
        return reply(RegistryType.Error, message.name, BigInt(RegistryError.Full));
      this.table.set(message.name, message.channelId);
      return reply(RegistryType.LookupResponse, message.name, message.channelId);
    }
    if (message.type === RegistryType.Lookup) {
      const id = this.resolver?.(message.name) ?? this.table.get(message.name);
      return id === undefined
        ? reply(RegistryType.Error, message.name, BigInt(RegistryError.NotFound))
        : reply(RegistryType.LookupResponse, message.name, id);
    }
    return reply(RegistryType.Error, message.name, BigInt(RegistryError.Malformed));
  }

  private reject(v: Exclude<RegistryVerdict, 'ok'>): { verdict: RegistryVerdict } {
    this.rejected[v]++;
    return { verdict: v };
  }

  private forgetExpired(now: number): void {
    if (this.seen.size < 1024) return;
    for (const [nonce, until] of this.seen) if (until < now) this.seen.delete(nonce);
  }
}
