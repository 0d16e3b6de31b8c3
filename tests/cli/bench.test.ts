// `futura bench --quick --json`: one flat JSON object on stdout with the agreed keys and types;
// the table and progress go to stderr.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { main } from '../../core/cli/main';
import { oracleIt, QEMU_USER, RV_GCC } from '../support/oracle';

const BIN = fileURLToPath(new URL('../../bin/futura.mjs', import.meta.url));

describe('futura bench', () => {
  oracleIt('--quick --json prints the figures of the hart and qemu', [RV_GCC, QEMU_USER], () => {
    const r = spawnSync(process.execPath, [BIN, 'bench', '--quick', '--json'], {
      encoding: 'utf8',
      timeout: 300_000,
    });
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const figures = JSON.parse(lines[0]!) as Record<string, unknown>;
    for (const key of ['mips', 'qemu_mips', 'ratio', 'instructions']) {
      expect(typeof figures[key], key).toBe('number');
      expect(Number.isFinite(figures[key]), key).toBe(true);
      expect(figures[key] as number, key).toBeGreaterThan(0);
    }
    // Flat: no nested objects or arrays.
    for (const v of Object.values(figures)) expect(v === null || typeof v !== 'object').toBe(true);
    expect(Number.isInteger(figures.instructions)).toBe(true);
    expect(figures.ratio as number).toBeCloseTo((figures.mips as number) / (figures.qemu_mips as number), 10);
    expect(figures.outputs_match).toBe(true);
    expect(r.stderr).toMatch(/== cpu/);
    expect(r.stderr).toMatch(/MIPS/);
  });

  it('without the RISC-V GCC, says so and prints null figures', () => {
    // A PATH holding only a shell: no GCC, no qemu.
    const bin = mkdtempSync(join(tmpdir(), 'futura-nogcc-'));
    symlinkSync('/bin/sh', join(bin, 'sh'));
    const r = spawnSync(process.execPath, [BIN, 'bench', '--quick', '--json'], {
      encoding: 'utf8',
      timeout: 120_000,
      env: { ...process.env, PATH: bin },
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/riscv64-unknown-elf-gcc is not installed/);
    const figures = JSON.parse(r.stdout) as Record<string, unknown>;
    for (const key of ['mips', 'qemu_mips', 'ratio', 'instructions']) expect(figures[key], key).toBeNull();
    for (const key of ['syscalls_per_s', 'fipc_roundtrips_per_s', 'fork_exit_wait_per_s'])
      expect(figures[key], key).toBeNull();
  });

  it('rejects a bad --rounds with status 2', async () => {
    let stderr = '';
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stderr += String(chunk);
      return true;
    });
    try {
      expect(await main(['bench', '--rounds', 'many'])).toBe(2);
    } finally {
      spy.mockRestore();
    }
    expect(stderr).toMatch(/--rounds must be a positive integer/);
  });
});
