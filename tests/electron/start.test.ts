import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { electronBinary, nodeSupportsElectron, planStart } from '../../core/cli/commands/start';

describe('futura start: choosing Electron or the browser mode', () => {
  it('knows which Node runs Electron', () => {
    expect(nodeSupportsElectron('v20.19.0')).toBe(false);
    expect(nodeSupportsElectron('v22.11.0')).toBe(false);
    expect(nodeSupportsElectron('v22.12.0')).toBe(true);
    expect(nodeSupportsElectron('v24.1.0')).toBe(true);
  });

  it('falls back to the browser mode on an old Node, without trying to download', () => {
    let installs = 0;
    const plan = planStart({
      nodeVersion: 'v20.20.2',
      findBinary: () => '/e',
      install: () => ++installs > 0,
    });
    expect(plan).toEqual({ mode: 'browser', reason: expect.stringContaining('Electron needs Node ≥ 22.12') });
    expect(installs).toBe(0);
  });

  it('uses an installed binary', () => {
    expect(
      planStart({ nodeVersion: 'v22.12.0', findBinary: () => '/bin/electron', install: () => false }),
    ).toEqual({
      mode: 'electron',
      binary: '/bin/electron',
    });
  });

  it('downloads once when missing, and says so when that fails', () => {
    let present = false;
    const ok = planStart({
      nodeVersion: 'v24.0.0',
      findBinary: () => (present ? '/e' : null),
      install: () => (present = true),
    });
    expect(ok).toEqual({ mode: 'electron', binary: '/e' });
    const fail = planStart({ nodeVersion: 'v24.0.0', findBinary: () => null, install: () => false });
    expect(fail).toEqual({ mode: 'browser', reason: 'Electron could not be downloaded' });
  });

  it('finds the binary through electron/path.txt only when it exists', () => {
    const dir = mkdtempSync(join(tmpdir(), 'futura-electron-'));
    try {
      expect(electronBinary(dir, {})).toBeNull();
      writeFileSync(join(dir, 'path.txt'), 'electron');
      expect(electronBinary(dir, {})).toBeNull();
      mkdirSync(join(dir, 'dist'));
      writeFileSync(join(dir, 'dist', 'electron'), '');
      expect(electronBinary(dir, {})).toBe(join(dir, 'dist', 'electron'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
