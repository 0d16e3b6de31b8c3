import { describe, expect, it } from 'vitest';
import { encodeServerMessage } from '../../core/host/server/server';
import { decodeServerMessage, nextBackoff } from '../../renderer/src/client/wire';

describe('wire decoding', () => {
  it('round-trips a framebuffer event with its bytes, as the server encodes it', () => {
    const pixels = new Uint8Array([0, 1, 2, 253, 254, 255, 128, 7]);
    const text = encodeServerMessage({ event: 'framebuffer', width: 2, height: 1, pixels });
    const back = decodeServerMessage(text);
    expect(back).toMatchObject({ event: 'framebuffer', width: 2, height: 1 });
    const got = (back as { pixels: Uint8Array }).pixels;
    expect(got).toBeInstanceOf(Uint8Array);
    expect([...got]).toEqual([...pixels]);
  });

  it('keeps responses and rejects junk', () => {
    expect(decodeServerMessage('{"id":3,"ok":true,"result":{}}')).toEqual({ id: 3, ok: true, result: {} });
    expect(decodeServerMessage('not json')).toBeNull();
    expect(decodeServerMessage('42')).toBeNull();
    expect(decodeServerMessage('{"hello":1}')).toBeNull();
  });

  it('backs off exponentially up to a ceiling when reconnecting', () => {
    expect(nextBackoff(0)).toBe(250);
    expect(nextBackoff(1)).toBe(500);
    expect(nextBackoff(10)).toBe(5000);
  });
});
