// User programs for every syscall and every documented error path (issue 4): one GCC-built guest
// per syscall group (tests/fixtures/kernel/abi/<group>.c) prints one line per call; the output must
// equal <group>.expected byte for byte, and every frame must be back in the pool afterwards.
import { describe, expect } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SYS } from '../../core/kernel/abi';
import { oracleIt } from '../support/oracle';
import { FIXTURES } from '../support/gcc';
import { ABI_DIR, runAbiProgram } from './abi-run';
import { INPUTS, PREPARE } from './abi-inputs';

const GCC = ['riscv64-unknown-elf-gcc'];
const GROUPS: [string, number][] = [
  ['proc', 3 << 8],
  ['mem', 0],
  ['time', 0],
  ['fs', 0],
  ['fipc', 0],
];

describe('ABI transcripts', () => {
  for (const [group, status] of GROUPS) {
    oracleIt(`${group}: every call and error path prints the expected transcript`, GCC, () => {
      const r = runAbiProgram(group, INPUTS[group] ?? [], PREPARE[group]);
      expect(r.out).toBe(readFileSync(join(ABI_DIR, `${group}.expected`), 'utf8'));
      expect(r.status).toBe(status);
      expect(r.kernel.tasks.aliveCount).toBe(0);
      r.kernel.pool.checkInvariants();
      expect(r.kernel.pool.used).toBe(r.usedBefore);
    });
  }

  oracleIt('together with signals.c the programs call every syscall number of the ABI', GCC, () => {
    const sources = [
      ...readdirSync(ABI_DIR)
        .filter((f) => f.endsWith('.c'))
        .map((f) => join(ABI_DIR, f)),
      join(FIXTURES, 'kernel', 'signals.c'),
    ];
    const called = new Set<number>();
    for (const f of sources)
      for (const m of readFileSync(f, 'utf8').matchAll(/\b(?:S\d?|rt_syscall)\((\d+)/g))
        called.add(Number(m[1]));
    const missing = Object.entries(SYS)
      .filter(([, nr]) => !called.has(nr))
      .map(([name]) => name);
    expect(missing).toEqual([]);
  });
});
