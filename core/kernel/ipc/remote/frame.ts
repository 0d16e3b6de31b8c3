// Remote framing v1 (ABI.md): a 32-byte little-endian header, then the payload, which is one FIPC
// message (its own 32-byte header + data). Decoding validates every field; anything malformed is
// reported with a reason so the caller drops and counts it — it is never delivered.
//
// v1 covers only the payload with its CRC, so a flipped bit in the header (a sequence number, an
// ACK) would pass unnoticed. Futura Studio therefore fills the header's reserved u16 @6 with a
// 16-bit header check (CRC-32 of the 32 header bytes with @6 zeroed, folded to 16 bits) and drops
// frames whose check fails; on encrypted links the AEAD covers the header as well.
import { FIPC_HEADER_SIZE } from '../../abi';
import { decodeHeader, encodeMessage as encodeFipcMessage } from '../message';
import { crc32 } from './crc32';

export const FRAME_MAGIC = 0x31435046; // 'FPC1'
export const FRAME_VERSION = 1;
export const FRAME_HEADER_SIZE = 32;
export const MSG_HEADER_SIZE = FIPC_HEADER_SIZE;
/** Largest FIPC message data a frame may carry (the fipc_send limit). */
export const MAX_MESSAGE_DATA = 65536;

/**
 * ACK and CRED are v1's; HANDSHAKE and ENCRYPTED mark the secure transport's records; FIN (a
 * Futura extension, no payload) says the sender is leaving the link, so the peer can release what
 * it holds for it at once instead of waiting for its keepalive to time out.
 */
export const FrameFlag = { Ack: 1, Cred: 2, Fin: 4, Handshake: 0x40, Encrypted: 0x80 } as const;

/** One FIPC message (the kernel's header fields, ABI.md) and its data. */
export interface FipcMessage {
  type: number;
  timestamp: number;
  srcPid: number;
  dstPid: number;
  capability: number;
  data: Uint8Array;
}

export interface Frame {
  flags: number;
  seq: number;
  credits: number;
  channelId: bigint;
  /** Absent on pure ACK/credit frames. */
  message: FipcMessage | null;
}

export type DropReason = 'short' | 'magic' | 'version' | 'length' | 'crc' | 'header' | 'message';

export type Decoded = { ok: true; frame: Frame } | { ok: false; reason: DropReason };

export function encodeMessage(m: FipcMessage): Uint8Array {
  return encodeFipcMessage({ ...m, length: m.data.length }, m.data);
}

export function encodeFrame(f: Frame): Uint8Array {
  const payload = f.message ? encodeMessage(f.message) : new Uint8Array(0);
  return sealEnvelope(f.flags, f.seq, f.credits, f.channelId, payload);
}

/** The 16-bit header check stored at @6 (computed with @6 taken as zero). */
export function headerCheck(frame: Uint8Array): number {
  const h = frame.slice(0, FRAME_HEADER_SIZE);
  h[6] = 0;
  h[7] = 0;
  const c = crc32(h);
  return (c ^ (c >>> 16)) & 0xffff;
}

/** Validates a frame's envelope (magic, version, length, payload CRC, header check). */
export function checkEnvelope(bytes: Uint8Array): DropReason | null {
  if (bytes.length < FRAME_HEADER_SIZE) return 'short';
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (v.getUint32(0, true) !== FRAME_MAGIC) return 'magic';
  if (v.getUint8(4) !== FRAME_VERSION) return 'version';
  if (FRAME_HEADER_SIZE + v.getUint32(24, true) !== bytes.length) return 'length';
  if (crc32(bytes, FRAME_HEADER_SIZE) !== v.getUint32(28, true)) return 'crc';
  if (headerCheck(bytes) !== v.getUint16(6, true)) return 'header';
  return null;
}

/** Writes a complete envelope: header fields, payload length, CRC and header check. */
export function sealEnvelope(
  flags: number,
  seq: number,
  credits: number,
  channelId: bigint,
  payload: Uint8Array,
): Uint8Array {
  const out = new Uint8Array(FRAME_HEADER_SIZE + payload.length);
  const v = new DataView(out.buffer);
  v.setUint32(0, FRAME_MAGIC, true);
  v.setUint8(4, FRAME_VERSION);
  v.setUint8(5, flags & 0xff);
  v.setUint32(8, seq >>> 0, true);
  v.setUint32(12, credits >>> 0, true);
  v.setBigUint64(16, channelId, true);
  v.setUint32(24, payload.length, true);
  v.setUint32(28, crc32(payload), true);
  out.set(payload, FRAME_HEADER_SIZE);
  v.setUint16(6, headerCheck(out), true);
  return out;
}

export function decodeFrame(bytes: Uint8Array): Decoded {
  const bad = checkEnvelope(bytes);
  if (bad) return { ok: false, reason: bad };
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const payloadLen = v.getUint32(24, true);
  let message: FipcMessage | null = null;
  if (payloadLen > 0) {
    if (payloadLen < MSG_HEADER_SIZE) return { ok: false, reason: 'message' };
    const p = FRAME_HEADER_SIZE;
    const len = v.getUint32(p + 4, true);
    if (len > MAX_MESSAGE_DATA || MSG_HEADER_SIZE + len !== payloadLen)
      return { ok: false, reason: 'message' };
    const h = decodeHeader(bytes, p);
    message = {
      type: h.type,
      timestamp: h.timestamp,
      srcPid: h.srcPid,
      dstPid: h.dstPid,
      capability: h.capability,
      data: bytes.slice(p + MSG_HEADER_SIZE, p + MSG_HEADER_SIZE + len),
    };
  }
  return {
    ok: true,
    frame: {
      flags: v.getUint8(5),
      seq: v.getUint32(8, true),
      credits: v.getUint32(12, true),
      channelId: v.getBigUint64(16, true),
      message,
    },
  };
}

/** Decodes a frame's header fields without validating the payload (for dumps of bad frames). */
export function describeHeader(bytes: Uint8Array): Record<string, number | string> | null {
  if (bytes.length < FRAME_HEADER_SIZE) return null;
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return {
    magic: `0x${v.getUint32(0, true).toString(16)}`,
    version: v.getUint8(4),
    flags: v.getUint8(5),
    seq: v.getUint32(8, true),
    credits: v.getUint32(12, true),
    channelId: v.getBigUint64(16, true).toString(),
    payloadLen: v.getUint32(24, true),
    crc: `0x${v.getUint32(28, true).toString(16).padStart(8, '0')}`,
  };
}
