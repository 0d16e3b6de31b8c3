// Bare-metal instruction-group programs (tests/fixtures/bare) run under QEMU's spike machine
// and on our board, with both execution engines: every one must pass everywhere.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect } from 'vitest';
import { runBare } from '../../core/cli/bare-run';
import type { BareOutcome } from '../../core/cli/bare-run';
import { BARE_PROGRAMS, buildBare } from '../fixtures/bare/build';
import { oracleIt, QEMU_SYSTEM, RV_GCC } from '../support/oracle';

/** Exit status of the program under qemu-system-riscv32 -M spike (tohost >> 1). */
function runQemu(elf: string): number | null {
  const r = spawnSync(QEMU_SYSTEM, ['-M', 'spike', '-bios', 'none', '-nographic', '-kernel', elf], {
    timeout: 60_000,
    encoding: 'utf8',
  });
  if (r.error) throw r.error;
  if (r.status !== 0 && r.stderr) process.stderr.write(`qemu: ${r.stderr}`);
  return r.status;
}

function runOurs(elf: string, engine: 'interp' | 'jit'): BareOutcome & { output: string } {
  let output = '';
  const out = runBare(new Uint8Array(readFileSync(elf)), {
    maxInstructions: 50_000_000,
    board: { engine },
    onOutput: (b) => (output += String.fromCharCode(b)),
  });
  return { ...out, output };
}

describe('bare-metal programs: QEMU spike and our board agree', () => {
  for (const name of BARE_PROGRAMS) {
    oracleIt(`${name}: passes under QEMU, the interpreter and the translator`, [RV_GCC, QEMU_SYSTEM], () => {
      const elf = buildBare(name);
      expect(runQemu(elf), 'QEMU exit status (failed check number)').toBe(0);
      for (const engine of ['interp', 'jit'] as const) {
        const ours = runOurs(elf, engine);
        expect(ours, `${engine}: outcome (code = failed check number)`).toMatchObject({
          kind: 'exit',
          code: 0,
        });
        expect(ours.instructions).toBeGreaterThan(20);
      }
    });
  }

  oracleIt('a failing check is reported with its number by both', [RV_GCC, QEMU_SYSTEM], () => {
    const elf = buildBare('fail');
    expect(runQemu(elf)).toBe(5);
    for (const engine of ['interp', 'jit'] as const) {
      expect(runOurs(elf, engine)).toMatchObject({ kind: 'exit', code: 5 });
    }
  });

  oracleIt('the UART (our board only) prints and passes', [RV_GCC], () => {
    const elf = buildBare('uart');
    for (const engine of ['interp', 'jit'] as const) {
      const ours = runOurs(elf, engine);
      expect(ours).toMatchObject({ kind: 'exit', code: 0 });
      expect(ours.output).toBe('Hello from bare metal!\n');
    }
  });
});
