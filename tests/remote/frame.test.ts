import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { crc32 } from '../../core/kernel/ipc/remote/crc32';
import { decodeFrame, encodeFrame, FRAME_HEADER_SIZE, type Frame } from '../../core/kernel/ipc/remote/frame';

const enc = new TextEncoder();

function sample(data = 'hello-remote-b'): Frame {
  return {
    flags: 0,
    seq: 7,
    credits: 16,
    channelId: 3n,
    message: {
      type: 0x42,
      timestamp: 1234,
      srcPid: 5,
      dstPid: 9,
      capability: 0xf1c0f1c0,
      data: enc.encode(data),
    },
  };
}

describe('CRC-32', () => {
  it('matches the standard check value and zlib', () => {
    expect(crc32(enc.encode('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
    // Cross-check with Python's zlib (an independent implementation) on random data.
    const data = new Uint8Array(4096).map((_, i) => (i * 2654435761) >>> 24);
    const hex = Buffer.from(data).toString('hex');
    const z = execFileSync('python3', ['-c', `import zlib,sys;print(zlib.crc32(bytes.fromhex('${hex}')))`], {
      encoding: 'utf8',
    });
    expect(crc32(data)).toBe(Number(z.trim()));
  });
});

describe('remote frame v1', () => {
  it('round-trips a frame with the ABI layout', () => {
    const bytes = encodeFrame(sample());
    const v = new DataView(bytes.buffer);
    expect(v.getUint32(0, true)).toBe(0x31435046);
    expect(bytes[4]).toBe(1);
    expect(v.getUint32(24, true)).toBe(32 + 14);
    expect(v.getUint32(28, true)).toBe(crc32(bytes, FRAME_HEADER_SIZE));
    // The FIPC message header inside the payload: type @0, length @4.
    expect(v.getUint32(32, true)).toBe(0x42);
    expect(v.getUint32(36, true)).toBe(14);
    const d = decodeFrame(bytes);
    expect(d).toEqual({ ok: true, frame: sample() });
  });

  it('drops frames with a bad magic, version, length or CRC with the reason', () => {
    const good = encodeFrame(sample());
    const mutate = (f: (b: Uint8Array) => void): Uint8Array => {
      const b = good.slice();
      f(b);
      return b;
    };
    expect(decodeFrame(good.slice(0, 20))).toEqual({ ok: false, reason: 'short' });
    expect(decodeFrame(mutate((b) => (b[0] = 0)))).toEqual({ ok: false, reason: 'magic' });
    expect(decodeFrame(mutate((b) => (b[4] = 2)))).toEqual({ ok: false, reason: 'version' });
    expect(decodeFrame(good.slice(0, good.length - 1))).toEqual({ ok: false, reason: 'length' });
    expect(decodeFrame(mutate((b) => (b[40] ^= 1)))).toEqual({ ok: false, reason: 'crc' });
    expect(decodeFrame(mutate((b) => (b[29] ^= 0x80)))).toEqual({ ok: false, reason: 'crc' });
    // Header fields outside the payload CRC are covered by the header check at @6.
    expect(decodeFrame(mutate((b) => (b[8] ^= 4)))).toEqual({ ok: false, reason: 'header' });
    expect(decodeFrame(mutate((b) => (b[16] ^= 1)))).toEqual({ ok: false, reason: 'header' });
    expect(decodeFrame(mutate((b) => (b[5] ^= 1)))).toEqual({ ok: false, reason: 'header' });
  });
});
