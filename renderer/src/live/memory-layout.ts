// The proportional address-space strip: each VMA gets a share of the strip's width by size, with
// a minimum so a 4 KiB guard page stays visible next to a 1 GiB mapping; the gaps between VMAs
// are shown compressed (their true sizes would make everything else a hairline).
import type { VmaInfo } from './types';

export interface StripSegment {
  kind: 'vma' | 'gap';
  /** Left edge and width, as fractions of the strip (0..1). */
  x: number;
  w: number;
  vma?: VmaInfo;
}

export function layoutStrip(vmas: readonly VmaInfo[], minFrac = 0.01, gapFrac = 0.01): StripSegment[] {
  const sorted = [...vmas].filter((v) => v.end > v.start).sort((a, b) => a.start - b.start);
  if (sorted.length === 0) return [];
  // sqrt keeps huge mappings from swallowing small ones while preserving order of size. The
  // kernel half (2 GiB in every task) would still take most of the strip: it gets the minimum.
  const weights = sorted.map((v) => (v.kind === 'kernel' ? 0 : Math.sqrt(v.end - v.start)));
  const gaps = sorted.filter((v, i) => i > 0 && v.start > (sorted[i - 1]?.end ?? v.start)).length;
  const room = Math.max(0, 1 - gaps * gapFrac);
  const total = weights.reduce((a, b) => a + b, 0) || 1;
  let widths = weights.map((w) => Math.max(minFrac, (w / total) * room));
  const scale = room / widths.reduce((a, b) => a + b, 0);
  widths = widths.map((w) => w * scale);
  const out: StripSegment[] = [];
  let x = 0;
  sorted.forEach((v, i) => {
    const prev = sorted[i - 1];
    if (prev && v.start > prev.end) {
      out.push({ kind: 'gap', x, w: gapFrac });
      x += gapFrac;
    }
    const w = widths[i] ?? 0;
    out.push({ kind: 'vma', x, w, vma: v });
    x += w;
  });
  return out;
}

/** A 32-bit address; 2^32, the end of a range reaching the top of memory, is not wrapped to 0. */
export function hex32(n: number): string {
  if (n === 2 ** 32) return '0x100000000';
  return '0x' + (n >>> 0).toString(16).padStart(8, '0');
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(n % 1024 === 0 ? 0 : 1)} KiB`;
  if (n < 1024 * 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
  return `${(n / (1024 * 1024 * 1024)).toFixed(1)} GiB`;
}
