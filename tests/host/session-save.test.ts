// A save through the session protocol is atomic: a child process saving in a loop is killed at
// arbitrary moments and the file is always wholly the old or wholly the new content.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Session } from '../../core/host/session/session';

describe('Session file.save', () => {
  it('leaves the file whole when the saving process is killed mid-save', async () => {
    const root = mkdtempSync(join(tmpdir(), 'futura-ss-'));
    const dataDir = mkdtempSync(join(tmpdir(), 'futura-ssd-'));
    const target = join(root, 'big.c');
    const size = 4 * 1024 * 1024;
    writeFileSync(target, 'a'.repeat(size));
    const script = fileURLToPath(new URL('./session-save-child.ts', import.meta.url));
    const temps = (): string[] =>
      readdirSync(root).filter((n) => n.startsWith('.big.c.') && n.endsWith('.tmp'));
    let interrupted = 0;
    for (let round = 0; round < 4; round++) {
      const child = spawn(process.execPath, ['--import', 'tsx', script, root, dataDir, String(size)], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      await new Promise<void>((res) => child.stdout.once('data', () => res()));
      // Kill as a save's temporary appears (the child is writing it), or a little later (its
      // fsync or rename, or the next save), never merely at a moment between saves.
      const before = new Set(temps());
      const t0 = performance.now();
      while (temps().every((n) => before.has(n)) && performance.now() - t0 < 5000) {
        // polling the folder: the kill must follow the temporary's creation closely
      }
      await new Promise((res) => setTimeout(res, [0, 2, 15, 40][round]));
      child.kill('SIGKILL');
      await new Promise((res) => child.once('exit', res));
      const data = readFileSync(target);
      expect(data.length).toBe(size);
      const first = data[0]!;
      expect(first === 0x61 || first === 0x62).toBe(true);
      expect(data.every((b) => b === first)).toBe(true);
      // A new temporary left beside the file is the proof that the kill landed inside a save.
      if (temps().some((n) => !before.has(n))) interrupted++;
    }
    expect(interrupted).toBeGreaterThan(0);
    // The session sees the survivor whole, and hides the temporaries killed saves left behind.
    const s = new Session({ dataDir });
    s.openWorkspace(root);
    const list = await s.handle({ id: 1, method: 'workspace.list', params: {} });
    expect(list).toMatchObject({ ok: true, result: [expect.objectContaining({ path: 'big.c', size })] });
    expect((list as { result: unknown[] }).result).toHaveLength(1);
    const read = await s.handle({ id: 2, method: 'file.read', params: { path: 'big.c' } });
    expect((read as { result: { content: string } }).result.content.length).toBe(size);
  });
});
