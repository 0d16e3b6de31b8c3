// Boots the guest syscall fuzzer (tests/fixtures/kernel/sysfuzz.c) on a fresh Board + Kernel.
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { Board } from '../../core/machine/board';
import { Kernel } from '../../core/kernel/boot/kernel';
import { isLoadFailure } from '../../core/kernel/loader';
import { buildWithGcc, FIXTURES } from '../support/gcc';
export const SYSFUZZ_SOURCE = join(FIXTURES, 'kernel', 'sysfuzz.c');

export function sysfuzzElf(): Uint8Array {
  return new Uint8Array(readFileSync(buildWithGcc([SYSFUZZ_SOURCE])));
}

export interface FuzzRun {
  out: string;
  outcome: string;
  status: number | undefined;
  usedBefore: number;
  kernel: Kernel;
}

/** Boots the fuzzer as init with `calls` and `seed` and runs it until every task has exited. */
export function runSysfuzz(elf: Uint8Array, calls: number, seed: number, budget: number): FuzzRun {
  const board = new Board({ ramSize: 32 << 20 });
  let out = '';
  const kernel = new Kernel(board, { onOutput: (b) => (out += new TextDecoder().decode(b)) });
  kernel.vfs.writeFile('/bin/sysfuzz', elf, 0o755);
  kernel.console.endOfInput(); // a console read found by chance must not wait forever
  const usedBefore = kernel.pool.used;
  const init = kernel.spawn('/bin/sysfuzz', ['/bin/sysfuzz', String(calls), String(seed)]);
  if (isLoadFailure(init)) throw new Error(init.message);
  const outcome = kernel.run(budget);
  return { out, outcome, status: kernel.exits.get(init.pid), usedBefore, kernel };
}
