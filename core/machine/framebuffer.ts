// The linear framebuffer at 0x5000_0000: ARGB32 pixels, pitch = width * 4. Backed by its own
// Uint32Array (not RAM) so the UI can blit it directly; any store sets `damaged`.
import type { MmioDevice } from './memory';

export const FB_BASE = 0x5000_0000;

export class Framebuffer implements MmioDevice {
  readonly name = 'framebuffer';
  readonly base = FB_BASE;
  readonly size: number;
  readonly width: number;
  readonly height: number;
  readonly pitch: number;
  readonly pixels: Uint32Array;
  private readonly bytes: Uint8Array;
  /** Set by every guest store; the viewer clears it after repainting. */
  damaged = false;

  constructor(width = 800, height = 600) {
    if (!(width > 0 && height > 0)) throw new RangeError('framebuffer size must be positive');
    this.width = width;
    this.height = height;
    this.pitch = width * 4;
    // Round the region up to whole pages so it can be mapped page by page.
    this.size = Math.ceil((this.pitch * height) / 4096) * 4096;
    this.pixels = new Uint32Array(this.size / 4);
    this.bytes = new Uint8Array(this.pixels.buffer);
  }

  read(off: number, width: 1 | 2 | 4): number {
    if (width === 4 && (off & 3) === 0) return this.pixels[off >>> 2]! >>> 0;
    let v = 0;
    for (let i = width - 1; i >= 0; i--) v = (v << 8) | this.bytes[off + i]!;
    return v >>> 0;
  }

  write(off: number, width: 1 | 2 | 4, value: number): void {
    if (width === 4 && (off & 3) === 0) this.pixels[off >>> 2] = value;
    else for (let i = 0; i < width; i++) this.bytes[off + i] = (value >>> (8 * i)) & 0xff;
    this.damaged = true;
  }
}
