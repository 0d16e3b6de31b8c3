// futurawayd's expected output for fwaydemo, computed independently of the guest: the scene's
// geometry, premultiplication and source-over in TypeScript, and the frame's SHA-256.
import { createHash } from 'node:crypto';
import type { Board } from '../../core/machine/board';

/** The compositor's arithmetic, written independently: premultiply, then source-over. */
export function premultiply(p: number): number {
  const a = p >>> 24;
  const ch = (s: number): number => Math.floor((((p >>> s) & 255) * a + 127) / 255);
  return ((a << 24) | (ch(16) << 16) | (ch(8) << 8) | ch(0)) >>> 0;
}
export function over(src: number, dst: number): number {
  const ia = 255 - (src >>> 24);
  let out = 0;
  for (const s of [0, 8, 16, 24]) {
    const c = Math.min(255, ((src >>> s) & 255) + Math.floor((((dst >>> s) & 255) * ia + 127) / 255));
    out |= c << s;
  }
  return out >>> 0;
}

/** fwaydemo's scene: red 120×100 at (100,100) z1, blue at (160,150) z2 with a green 20×20 at (10,10). */
export function expectedScene(width: number, height: number): Uint32Array {
  const fb = new Uint32Array(width * height).fill(0xff20252e);
  const layers = [
    { x: 100, y: 100, px: (): number => premultiply(0x80ff0000) },
    {
      x: 160,
      y: 150,
      px: (sx: number, sy: number): number =>
        premultiply(sx >= 10 && sx < 30 && sy >= 10 && sy < 30 ? 0xff00ff00 : 0x800000ff),
    },
  ];
  for (const l of layers)
    for (let y = 0; y < 100; y++)
      for (let x = 0; x < 120; x++) {
        const i = (l.y + y) * width + l.x + x;
        fb[i] = over(l.px(x, y), fb[i]!);
      }
  return fb;
}

/** Blue over red over the background, as a cross-check of the model at one overlap pixel. */
export function blueOverRed(): number {
  return over(premultiply(0x800000ff), over(premultiply(0x80ff0000), 0xff20252e));
}

// Fixed once the model above agreed pixel for pixel; a change in the compositor's arithmetic shows here.
export const SCENE_SHA256 = 'b3edc3a6403056e07d79b03e22194dca529e8524729e251a64f968dddc676388';

/** The visible pixels (the framebuffer is rounded up to a page). */
export function visiblePixels(board: Board): Uint32Array {
  return board.fb.pixels.subarray(0, board.fb.width * board.fb.height);
}

export function frameDigest(px: Uint32Array): string {
  return createHash('sha256')
    .update(Buffer.from(px.buffer, px.byteOffset, px.byteLength))
    .digest('hex');
}

/** '' when the frame is exactly the modelled scene, else where it first differs. */
export function sceneMismatch(board: Board): string {
  const px = visiblePixels(board);
  const want = expectedScene(board.fb.width, board.fb.height);
  if (px.length !== want.length) return `size ${px.length} != ${want.length}`;
  const i = want.findIndex((v, k) => px[k] !== v);
  return i < 0 ? '' : `pixel ${i}: 0x${px[i]!.toString(16)} != 0x${want[i]!.toString(16)}`;
}
