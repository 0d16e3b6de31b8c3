// Programs that fail: the user-mode runner must end them with the signal qemu-riscv32 delivers
// (or the errno it returns), and never throw.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { constants } from 'node:os';
import { describe, expect, it } from 'vitest';
import { runUser } from '../../core/cli/usermode';
import { buildWithGcc } from '../support/gcc';
import { oracleIt, QEMU_USER, RV_GCC } from '../support/oracle';

const CASES: Array<[string, string]> = [
  ['null pointer store', 'int main(void) { *(volatile int *)0 = 1; return 0; }'],
  ['store to code', 'int main(void) { *(volatile int *)(void *)main = 1; return 0; }'],
  ['illegal instruction', 'int main(void) { asm volatile(".word 0"); return 0; }'],
  ['ebreak', 'int main(void) { asm volatile("ebreak"); return 0; }'],
  [
    'runaway recursion',
    'static int down(volatile int n) { volatile char pad[4096]; pad[0] = (char)n; return down(n + 1) + pad[0]; }\n' +
      'int main(void) { return down(0); }',
  ],
];

describe('user-mode runner: faults match qemu-riscv32', () => {
  for (const [name, body] of CASES) {
    oracleIt(name, [RV_GCC, QEMU_USER], () => {
      const elf = buildWithGcc([{ name: 'fault.c', text: `#include "rt.h"\n${body}\n` }], { flags: ['-O1'] });
      const qemu = spawnSync(QEMU_USER, [elf], { encoding: 'utf8', timeout: 60_000 });
      expect(qemu.signal).not.toBeNull();
      const ours = runUser(new Uint8Array(readFileSync(elf)));
      expect(ours.outcome.kind).toBe('signal');
      if (ours.outcome.kind === 'signal') {
        expect(ours.outcome.signal).toBe(constants.signals[qemu.signal!]);
        expect(ours.outcome.message).toMatch(/pc 0x/);
      }
    });
  }

  oracleIt('a write from a bad pointer returns -EFAULT, as in qemu', [RV_GCC, QEMU_USER], () => {
    const src =
      '#include "rt.h"\nint main(void) { long r = rt_write(1, (void *)0x10, 4);\n' +
      'long s = rt_write(1, "abc", 0x7fffffff); printf("%ld %ld\\n", r, s); return 0; }\n';
    const elf = buildWithGcc([{ name: 'efault.c', text: src }]);
    const qemu = spawnSync(QEMU_USER, [elf], { encoding: 'utf8' });
    const ours = runUser(new Uint8Array(readFileSync(elf)));
    expect(ours.stdout).toBe(qemu.stdout);
    expect(ours.stdout).toMatch(/^-14 /);
  });

  oracleIt('an endless loop ends at the instruction limit', [RV_GCC], () => {
    const elf = buildWithGcc([{ name: 'spin.c', text: 'int main(void) { for (;;) {} }\n' }]);
    const ours = runUser(new Uint8Array(readFileSync(elf)), { maxInstructions: 100_000 });
    expect(ours.outcome).toEqual({ kind: 'error', message: 'the program ran past 100000 instructions' });
    expect(ours.instructions).toBe(100_000);
  });

  it('reports a malformed ELF without throwing', () => {
    const ours = runUser(new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1, 0]));
    expect(ours.outcome.kind).toBe('error');
    if (ours.outcome.kind === 'error') expect(ours.outcome.message).toMatch(/^malformed ELF: file too short/);
  });
});
