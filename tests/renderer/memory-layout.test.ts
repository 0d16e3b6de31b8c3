// The memory strip and its labels with a real task's map: the kernel half and the top of memory.
import { describe, expect, it } from 'vitest';
import { formatBytes, hex32, layoutStrip } from '../../renderer/src/live/memory-layout';
import type { VmaInfo } from '../../renderer/src/live/types';

const v = (start: number, end: number, kind: string): VmaInfo => ({
  start,
  end,
  prot: 'rw-',
  kind,
  resident: 0,
});

describe('memory strip with the kernel half', () => {
  it('gives the kernel VMA the minimum width so the user half fills the strip', () => {
    const segs = layoutStrip([
      v(0x400000, 0x40b000, 'text'),
      v(0x40b000, 0x414000, 'bss'),
      v(0x7ffaf000, 0x7ffb0000, 'guard'),
      v(0x7ffb0000, 0x7fff0000, 'stack'),
      v(0x80000000, 2 ** 32, 'kernel'),
    ]);
    const width = (kind: string) => segs.find((s) => s.vma?.kind === kind)?.w ?? 0;
    expect(width('kernel')).toBeLessThan(width('guard') * 1.01);
    expect(width('stack')).toBeGreaterThan(width('kernel') * 10);
    expect(segs.reduce((a, s) => a + s.w, 0)).toBeCloseTo(1, 6);
    // A map of nothing but the kernel still fills the strip.
    expect(layoutStrip([v(0x80000000, 2 ** 32, 'kernel')])[0]?.w).toBeCloseTo(1, 6);
  });

  it('labels the top of memory and gigabyte sizes', () => {
    expect(hex32(2 ** 32)).toBe('0x100000000');
    expect(hex32(0x80000000)).toBe('0x80000000');
    expect(formatBytes(2 ** 31)).toBe('2.0 GiB');
    expect(formatBytes(1023 * 1024 * 1024)).toBe('1023.0 MiB');
  });
});
