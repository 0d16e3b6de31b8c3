// A minimal PNG encoder for framebuffer dumps: 8-bit RGB, no interlace, one zlib IDAT, filter 0.
import { deflateSync } from 'node:zlib';
import { crc32 } from '../../kernel/ipc/remote/crc32';

export { crc32 };

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const v = new DataView(out.buffer);
  v.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  v.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/** Encodes ARGB32 pixels (0xAARRGGBB per element, row-major) as an opaque RGB PNG. */
export function encodePng(width: number, height: number, argb: Uint32Array): Uint8Array {
  const row = width * 3 + 1;
  const raw = new Uint8Array(row * height);
  for (let y = 0; y < height; y++) {
    let o = y * row + 1; // filter byte 0 (None) first
    for (let x = 0; x < width; x++) {
      const p = argb[y * width + x]!;
      raw[o++] = (p >>> 16) & 0xff;
      raw[o++] = (p >>> 8) & 0xff;
      raw[o++] = p & 0xff;
    }
  }
  const ihdr = new Uint8Array(13);
  const v = new DataView(ihdr.buffer);
  v.setUint32(0, width);
  v.setUint32(4, height);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type: truecolour
  const parts = [
    Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', new Uint8Array(deflateSync(raw))),
    chunk('IEND', new Uint8Array(0)),
  ];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}
