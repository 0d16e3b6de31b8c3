// The 32-byte FIPC message header (ABI.md §FIPC), little-endian:
// type u32 @0, length u32 @4 (payload bytes), timestamp u64 @8 (ms), src_pid u32 @16,
// dst_pid u32 @20, capability u64 @24; the payload follows.

import { FIPC_HEADER_SIZE } from '../abi';

export interface FipcHeader {
  type: number;
  length: number;
  timestamp: number;
  srcPid: number;
  dstPid: number;
  capability: number;
}

function put64(dv: DataView, off: number, v: number): void {
  dv.setUint32(off, v % 0x1_0000_0000, true);
  dv.setUint32(off + 4, Math.floor(v / 0x1_0000_0000), true);
}

/** Writes the 32-byte header for a payload of `length` bytes into dv (at offset 0). */
export function writeHeader(dv: DataView, h: FipcHeader, length: number): void {
  dv.setUint32(0, h.type >>> 0, true);
  dv.setUint32(4, length, true);
  put64(dv, 8, h.timestamp);
  dv.setUint32(16, h.srcPid >>> 0, true);
  dv.setUint32(20, h.dstPid >>> 0, true);
  put64(dv, 24, h.capability);
}

/** Header followed by payload, as one buffer. */
export function encodeMessage(h: FipcHeader, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(FIPC_HEADER_SIZE + payload.length);
  writeHeader(new DataView(out.buffer), h, payload.length);
  out.set(payload, FIPC_HEADER_SIZE);
  return out;
}

export function decodeHeader(b: Uint8Array, off = 0): FipcHeader {
  const dv = new DataView(b.buffer, b.byteOffset + off, FIPC_HEADER_SIZE);
  return {
    type: dv.getUint32(0, true),
    length: dv.getUint32(4, true),
    timestamp: dv.getUint32(8, true) + dv.getUint32(12, true) * 0x1_0000_0000,
    srcPid: dv.getUint32(16, true),
    dstPid: dv.getUint32(20, true),
    capability: dv.getUint32(24, true) + dv.getUint32(28, true) * 0x1_0000_0000,
  };
}
