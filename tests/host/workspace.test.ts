import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Workspace, WorkspaceError } from '../../core/host/workspace/workspace';

function tempWorkspace(): Workspace {
  return new Workspace(mkdtempSync(join(tmpdir(), 'futura-ws-')));
}

describe('Workspace', () => {
  it('creates, lists, reads, saves, renames and deletes files', () => {
    const ws = tempWorkspace();
    ws.create('src', 'dir');
    ws.create('src/main.c', 'file');
    ws.save('src/main.c', 'int main(void) { return 0; }\n');
    expect(ws.read('src/main.c')).toBe('int main(void) { return 0; }\n');
    expect(ws.list().map((e) => `${e.kind}:${e.path}`)).toEqual(['dir:src', 'file:src/main.c']);
    ws.rename('src/main.c', 'src/hello.c');
    expect(() => ws.read('src/main.c')).toThrow(WorkspaceError);
    expect(ws.read('src/hello.c')).toContain('return 0');
    ws.delete('src/hello.c');
    expect(ws.list().map((e) => e.path)).toEqual(['src']);
  });

  it('refuses paths that escape the root', () => {
    const ws = tempWorkspace();
    for (const bad of ['../x', 'a/../../x', '/etc/passwd', '.']) {
      expect(() => ws.read(bad)).toThrow(/escapes|relative/);
    }
  });

  it('reports existing and missing files with codes', () => {
    const ws = tempWorkspace();
    ws.save('a.c', 'x');
    expect(() => ws.create('a.c', 'file')).toThrow(expect.objectContaining({ code: 'exists' }));
    expect(() => ws.delete('b.c')).toThrow(expect.objectContaining({ code: 'not-found' }));
    expect(() => ws.rename('a.c', 'a.c')).toThrow(expect.objectContaining({ code: 'exists' }));
  });

  it('keeps a file whole when the saving process is killed mid-save', async () => {
    const ws = tempWorkspace();
    const target = join(ws.root, 'big.c');
    const size = 4 * 1024 * 1024;
    writeFileSync(target, new Uint8Array(size).fill(0x61));
    const script = fileURLToPath(new URL('./fixtures/save-loop.ts', import.meta.url));
    for (let round = 0; round < 6; round++) {
      const child = spawn(process.execPath, ['--import', 'tsx', script, target, String(size)], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      await new Promise<void>((res) => child.stdout.once('data', () => res()));
      await new Promise((res) => setTimeout(res, 20 + round * 15));
      child.kill('SIGKILL');
      await new Promise((res) => child.once('exit', res));
      const data = readFileSync(target);
      expect(data.length).toBe(size);
      const first = data[0];
      expect(first === 0x61 || first === 0x62).toBe(true);
      expect(data.every((b) => b === first)).toBe(true);
    }
    // Leftover temporaries from killed saves are hidden from the listing.
    expect(ws.list().map((e) => e.path)).toEqual(['big.c']);
    expect(readdirSync(ws.root).length).toBeGreaterThanOrEqual(1);
  });
});
