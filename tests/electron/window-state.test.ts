import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_BOUNDS, fitToDisplays, loadBounds, saveBounds } from '../../electron/window-state';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'futura-win-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('window state', () => {
  it('round-trips bounds through the user data folder', () => {
    const f = join(dir, 'sub', 'window-state.json');
    expect(loadBounds(f)).toEqual(DEFAULT_BOUNDS);
    saveBounds(f, { x: 30, y: 40, width: 1000, height: 700 });
    expect(loadBounds(f)).toEqual({ x: 30, y: 40, width: 1000, height: 700 });
  });
  it('ignores corrupt or implausible files', () => {
    const f = join(dir, 's.json');
    writeFileSync(f, '{oops');
    expect(loadBounds(f)).toEqual(DEFAULT_BOUNDS);
    writeFileSync(f, JSON.stringify({ width: 5, height: 5 }));
    expect(loadBounds(f)).toEqual(DEFAULT_BOUNDS);
    writeFileSync(f, JSON.stringify({ width: 900, height: 600 }));
    expect(loadBounds(f)).toEqual({ width: 900, height: 600 });
  });
  it('drops a position that is off every display', () => {
    const screen = [{ x: 0, y: 0, width: 1920, height: 1080 }];
    expect(fitToDisplays({ x: 100, y: 100, width: 800, height: 600 }, screen)).toEqual({
      x: 100,
      y: 100,
      width: 800,
      height: 600,
    });
    expect(fitToDisplays({ x: 5000, y: 100, width: 800, height: 600 }, screen)).toEqual({
      width: 800,
      height: 600,
    });
  });
});
