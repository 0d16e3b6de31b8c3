// Differential user-mode tests: each C program of tests/fixtures/diff, built by GCC at -O0 and
// -O2, runs under qemu-riscv32 and on our hart (hosted mode, the user-mode runner); stdout,
// stderr and the exit status must be identical.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runUser } from '../../core/cli/usermode';
import { buildWithGcc, FIXTURES } from '../support/gcc';
import { oracleIt, QEMU_USER, RV_GCC } from '../support/oracle';

const DIFF_DIR = join(FIXTURES, 'diff');
const PROGRAMS = readdirSync(DIFF_DIR)
  .filter((f) => f.endsWith('.c'))
  .sort();
// buildWithGcc hashes the listed sources only: make the shared header part of the flags.
const COMMON = createHash('sha256')
  .update(readFileSync(join(DIFF_DIR, 'common.h')))
  .digest('hex')
  .slice(0, 16);
const ARGS = ['alpha', 'two words', ''];

function build(program: string, opt: string): string {
  return buildWithGcc([join(DIFF_DIR, program)], { flags: [opt, `-DDIFF_COMMON=0x${COMMON}`] });
}

describe('differential user-mode programs: qemu-riscv32 vs our hart', () => {
  it('has at least 20 programs', () => {
    expect(PROGRAMS.length).toBeGreaterThanOrEqual(20);
  });

  for (const program of PROGRAMS) {
    for (const opt of ['-O0', '-O2']) {
      oracleIt(`${program} ${opt}`, [RV_GCC, QEMU_USER], () => {
        const elf = build(program, opt);
        const qemu = spawnSync(QEMU_USER, [elf, ...ARGS], { encoding: 'utf8', timeout: 60_000 });
        expect(qemu.error).toBeUndefined();
        expect(qemu.signal).toBeNull();
        const ours = runUser(new Uint8Array(readFileSync(elf)), {
          argv: [elf, ...ARGS],
          maxInstructions: 2e9,
          board: { ramSize: 32 * 1024 * 1024 },
        });
        expect(ours.outcome).toEqual({ kind: 'exit', status: qemu.status });
        expect(ours.stdout).toBe(qemu.stdout);
        expect(ours.stderr).toBe(qemu.stderr);
        // The programs print something substantial: guard against both sides printing nothing.
        expect(ours.stdout.length).toBeGreaterThan(5);
      });
    }
  }
});
