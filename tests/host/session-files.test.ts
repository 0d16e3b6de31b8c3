// The workspace's file methods through the session protocol, as the IDE's explorer uses them:
// any folder opens; files and folders are created, listed, read, saved, renamed and deleted,
// each change announced; refusals come back as error codes, never as a crash.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Session } from '../../core/host/session/session';
import type { FileEntry, SessionEvent } from '../../core/protocol/messages';
import { DirectClient } from './session-support';

const sessions: Session[] = [];
afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.dispose()));
});

function client(): DirectClient {
  const s = new Session({ dataDir: mkdtempSync(join(tmpdir(), 'futura-data-')) });
  sessions.push(s);
  return new DirectClient(s);
}

/**
 * The paths announced as changed since `from` (the session's own announcements, plus any the
 * folder watcher adds for the same changes, hence arrayContaining below).
 */
function announced(events: SessionEvent[], from: number): string[] {
  return events.slice(from).flatMap((e) => (e.event === 'workspace.changed' ? e.paths : []));
}

async function codeOf(c: DirectClient, method: string, params: unknown): Promise<string> {
  const r = await c.raw({ id: 1, method, params });
  return r.ok ? 'ok' : r.error.code;
}

describe('Session files', () => {
  it('creates, lists, reads, saves, renames and deletes in any folder, announcing each change', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'futura-any-'));
    writeFileSync(join(dir, 'notes.txt'), 'kept\n');
    const c = client();
    expect(await c.call('workspace.open', { path: dir })).toEqual({ root: dir });
    expect(await c.call('hello', { version: 1, client: 't' })).toMatchObject({ workspace: dir });

    let mark = c.events.length;
    await c.call('file.create', { path: 'prog', kind: 'dir' });
    await c.call('file.create', { path: 'prog/main.c', kind: 'file' });
    await c.call('file.save', { path: 'prog/main.c', content: 'int main(void) { return 0; }\n' });
    expect(announced(c.events, mark)).toEqual(expect.arrayContaining(['prog', 'prog/main.c']));
    const list = (await c.call('workspace.list', {})) as FileEntry[];
    expect(list.map((e) => [e.path, e.kind])).toEqual([
      ['notes.txt', 'file'],
      ['prog', 'dir'],
      ['prog/main.c', 'file'],
    ]);
    expect(list.find((e) => e.path === 'prog/main.c')!.size).toBe(29);
    expect(await c.call('file.read', { path: 'prog/main.c' })).toEqual({
      path: 'prog/main.c',
      content: 'int main(void) { return 0; }\n',
    });

    // Rename into a folder that does not exist yet; then the old name is gone.
    mark = c.events.length;
    await c.call('file.rename', { from: 'prog/main.c', to: 'src/app/main.c' });
    expect(announced(c.events, mark)).toEqual(expect.arrayContaining(['prog/main.c', 'src/app/main.c']));
    expect(readFileSync(join(dir, 'src/app/main.c'), 'utf8')).toBe('int main(void) { return 0; }\n');
    expect(existsSync(join(dir, 'prog/main.c'))).toBe(false);

    // Deleting a folder takes what is in it.
    mark = c.events.length;
    await c.call('file.delete', { path: 'src' });
    expect(announced(c.events, mark)).toContain('src');
    const after = (await c.call('workspace.list', {})) as FileEntry[];
    expect(after.map((e) => e.path)).toEqual(['notes.txt', 'prog']);
  });

  it('answers refusals with codes: exists, not-found, forbidden, no workspace, missing folder', async () => {
    const c = client();
    expect(await codeOf(c, 'file.read', { path: 'a.c' })).toBe('failed'); // nothing open yet
    expect(await codeOf(c, 'workspace.open', { path: join(tmpdir(), 'futura-no-such-folder-x') })).toBe(
      'not-found',
    );
    const dir = mkdtempSync(join(tmpdir(), 'futura-any-'));
    writeFileSync(join(dir, 'a.c'), 'a');
    writeFileSync(join(dir, 'b.c'), 'b');
    await c.call('workspace.open', { path: dir });
    expect(await codeOf(c, 'file.create', { path: 'a.c', kind: 'file' })).toBe('exists');
    expect(await codeOf(c, 'file.rename', { from: 'a.c', to: 'b.c' })).toBe('exists');
    expect(await codeOf(c, 'file.rename', { from: 'zz.c', to: 'y.c' })).toBe('not-found');
    expect(await codeOf(c, 'file.delete', { path: 'zz.c' })).toBe('not-found');
    expect(await codeOf(c, 'file.read', { path: 'zz.c' })).toBe('not-found');
    expect(await codeOf(c, 'file.save', { path: '../escape.c', content: 'x' })).toBe('forbidden');
    expect(await codeOf(c, 'file.delete', { path: '.' })).toBe('forbidden');
    expect(await codeOf(c, 'file.rename', { from: 'a.c', to: '/tmp/x.c' })).toBe('forbidden');
    // Nothing was touched by the refusals.
    expect(readFileSync(join(dir, 'a.c'), 'utf8')).toBe('a');
    expect(readFileSync(join(dir, 'b.c'), 'utf8')).toBe('b');
    expect(existsSync(join(tmpdir(), 'escape.c'))).toBe(false);
  });
});
