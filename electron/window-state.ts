// Remembers the window's size and position between runs, in the user data folder.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Bounds } from './security';

export const DEFAULT_BOUNDS: Bounds = { width: 1400, height: 900 };

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Reads saved bounds; anything unreadable or implausible gives the default size. */
export function loadBounds(file: string): Bounds {
  try {
    const raw: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (typeof raw !== 'object' || raw === null) return DEFAULT_BOUNDS;
    const r = raw as Record<string, unknown>;
    const ok = (v: unknown, min: number): v is number =>
      typeof v === 'number' && Number.isFinite(v) && v >= min;
    if (!ok(r.width, 400) || !ok(r.height, 300)) return DEFAULT_BOUNDS;
    const b: Bounds = { width: Math.round(r.width), height: Math.round(r.height) };
    if (ok(r.x, -100000) && ok(r.y, -100000)) {
      b.x = Math.round(r.x);
      b.y = Math.round(r.y);
    }
    return b;
  } catch {
    return DEFAULT_BOUNDS;
  }
}

/** Keeps a saved position only if the window would still be visible on one of the displays. */
export function fitToDisplays(b: Bounds, workAreas: readonly Rect[]): Bounds {
  if (b.x === undefined || b.y === undefined) return b;
  const { x, y } = b;
  const visible = workAreas.some(
    (a) => x + 100 <= a.x + a.width && x + b.width - 100 >= a.x && y >= a.y && y + 50 <= a.y + a.height,
  );
  return visible ? b : { width: b.width, height: b.height };
}

export function saveBounds(file: string, b: Rect): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(b));
  } catch {
    // Losing the window position is not worth an error dialog.
  }
}
