// A complete process image from an executable: a new address space with the ELF mapped, the heap
// seeded, the stack and its guard page, and the initial stack. Used by execve and to start init.

import { ENOMEM } from '../errno';
import { FutMm, type FutMmOptions } from '../mm';
import type { FramePool } from '../pmm';
import { loadInto, parseExecutable, type LoadFailure } from './elf';
import { buildInitialStack } from './stack';

export interface ProcessImage {
  mm: FutMm;
  entry: number;
  sp: number;
  argc: number;
  argv: number;
  envp: number;
  brkStart: number;
}

export function isLoadFailure(x: unknown): x is LoadFailure {
  return typeof x === 'object' && x !== null && 'errno' in x && 'message' in x;
}

/** Builds the image, or a LoadFailure (ENOEXEC with a reason, ENOMEM, E2BIG). Nothing leaks on failure. */
export function createProcessImage(
  pool: FramePool,
  bytes: Uint8Array,
  argv: readonly string[],
  envp: readonly string[],
  opts: FutMmOptions = {},
): ProcessImage | LoadFailure {
  const img = parseExecutable(bytes);
  if (isLoadFailure(img)) return img;
  const mm = FutMm.create(pool, opts);
  if (typeof mm === 'number') return { errno: -ENOMEM, message: 'out of memory for a page table' };
  const fail = (f: LoadFailure): LoadFailure => {
    mm.release();
    return f;
  };
  const loaded = loadInto(mm, img);
  if (isLoadFailure(loaded)) return fail(loaded);
  const st = mm.mapStack();
  if (st < 0) return fail({ errno: st, message: 'cannot map the stack' });
  const stack = buildInitialStack(mm, argv, envp);
  if (typeof stack === 'number') return fail({ errno: stack, message: 'arguments do not fit the stack' });
  return { mm, entry: loaded.entry, brkStart: loaded.brkStart, ...stack };
}
