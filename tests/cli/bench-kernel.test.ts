// `futura bench --quick --json`: the kernel section boots its GCC-built guests on the real kernel
// and reports getpid calls, FIPC round trips and fork/exit/wait cycles per second.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect } from 'vitest';
import { oracleIt, RV_GCC } from '../support/oracle';

const BIN = fileURLToPath(new URL('../../bin/futura.mjs', import.meta.url));
const KEYS = ['syscalls_per_s', 'fipc_roundtrips_per_s', 'fork_exit_wait_per_s'];

describe('futura bench: kernel section', () => {
  oracleIt('--quick --json reports positive kernel rates', [RV_GCC], () => {
    const r = spawnSync(process.execPath, [BIN, 'bench', '--quick', '--json'], {
      encoding: 'utf8',
      timeout: 300_000,
    });
    expect(r.status, r.stderr).toBe(0);
    const figures = JSON.parse(r.stdout) as Record<string, unknown>;
    for (const key of KEYS) {
      expect(typeof figures[key], key).toBe('number');
      expect(Number.isFinite(figures[key]), key).toBe(true);
      expect(figures[key] as number, key).toBeGreaterThan(0);
    }
    expect(r.stderr).toMatch(/== kernel/);
    expect(r.stderr).not.toMatch(/kernel: FAILED/);
  });
});
