// Runs one ABI transcript program (tests/fixtures/kernel/abi/<group>.c) on a fresh kernel and
// returns what it printed, for comparison with <group>.expected.
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { Board } from '../../core/machine/board';
import { Kernel } from '../../core/kernel/boot/kernel';
import { isLoadFailure } from '../../core/kernel/loader';
import { buildWithGcc, FIXTURES } from '../support/gcc';

export const ABI_DIR = join(FIXTURES, 'kernel', 'abi');

export interface AbiRun {
  out: string;
  status: number | undefined;
  kernel: Kernel;
  usedBefore: number;
}

/** `input` lines are fed one at a time whenever every task is blocked (the program asks for them). */
export function runAbiProgram(
  group: string,
  input: (string | ((k: Kernel) => string))[] = [],
  prepare?: (k: Kernel) => void,
): AbiRun {
  const elf = new Uint8Array(readFileSync(buildWithGcc([join(ABI_DIR, `${group}.c`)], { flags: ['-O1'] })));
  let out = '';
  const kernel = new Kernel(new Board({ ramSize: 32 << 20 }), {
    onOutput: (b) => (out += new TextDecoder().decode(b)),
  });
  kernel.console.echo = false;
  const path = `/bin/${group}`;
  kernel.vfs.writeFile(path, elf, 0o755);
  kernel.vfs.writeFile('/etc/motd', new TextEncoder().encode('hello\n'));
  const usedBefore = kernel.pool.used;
  const init = kernel.spawn(path, [path]);
  if (isLoadFailure(init)) throw new Error(init.message);
  prepare?.(kernel);
  const lines = [...input];
  for (let i = 0; i < 1000; i++) {
    const r = kernel.run(100_000_000);
    if (r === 'exited') break;
    if (r === 'budget') throw new Error(`${group}: still running after the budget:\n${out}`);
    const next = lines.shift();
    if (next === undefined) {
      kernel.console.endOfInput();
      if (kernel.run(100_000_000) === 'exited') break;
      throw new Error(`${group}: deadlock:\n${out}`);
    }
    kernel.console.feed(new TextEncoder().encode(typeof next === 'string' ? next : next(kernel)));
  }
  return { out, status: kernel.exits.get(init.pid), kernel, usedBefore };
}
