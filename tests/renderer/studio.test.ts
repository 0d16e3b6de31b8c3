// The workbench controller against a real Session (in-process, JSON over a fake transport).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SessionEvent } from '../../core/protocol/messages';
import { Session } from '../../core/host/session/session';
import { SessionClient } from '../../renderer/src/client/session-client';
import { isDirty } from '../../renderer/src/state/app-state';
import { Studio } from '../../renderer/src/state/studio';
import { SessionTransport } from './fake-transport';

/** A session whose events the test can push, as the later build/machine code will. */
class TestSession extends Session {
  push(e: SessionEvent): void {
    this.emit(e);
  }
}

let dir: string;
let session: TestSession;
let studio: Studio;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'futura-studio-'));
  session = new TestSession({ dataDir: dir });
  studio = new Studio(new SessionClient(new SessionTransport(session)));
  await studio.start();
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const onDisk = (rel: string): string => readFileSync(join(dir, 'workspace', rel), 'utf8');

describe('Studio', () => {
  it('opens the default workspace with the sample', () => {
    expect(studio.state.workspaceRoot).toBe(join(dir, 'workspace'));
    expect(studio.state.files.map((f) => f.path)).toContain('hello/hello.c');
    expect(studio.state.connection).toBe('open');
  });

  it('keeps the workspace the session already has open', async () => {
    const other = join(dir, 'elsewhere');
    mkdirSync(other);
    writeFileSync(join(other, 'main.c'), 'int main(void) { return 0; }\n');
    const s2 = new TestSession({ dataDir: join(dir, 'data2') });
    s2.openWorkspace(other);
    const st2 = new Studio(new SessionClient(new SessionTransport(s2)));
    await st2.start();
    expect(st2.state.workspaceRoot).toBe(other);
    expect(st2.state.files.map((f) => f.path)).toEqual(['main.c']);
  });

  it('opens a file, tracks edits as dirty, and saves to disk', async () => {
    expect(await studio.openFile('hello/hello.c')).toBe(true);
    expect(studio.state.tabs).toEqual(['hello/hello.c']);
    expect(studio.state.active).toBe('hello/hello.c');
    const original = studio.state.docs['hello/hello.c']!.current;
    studio.edit('hello/hello.c', original + '// edited\n');
    expect(isDirty(studio.state.docs['hello/hello.c'])).toBe(true);
    expect(await studio.save()).toBe(true);
    expect(isDirty(studio.state.docs['hello/hello.c'])).toBe(false);
    expect(onDisk('hello/hello.c')).toBe(original + '// edited\n');
  });

  it('saves every dirty document with Save All', async () => {
    await studio.create('hello/a.c', 'file');
    await studio.create('b.h', 'file');
    studio.edit('hello/a.c', 'int a;\n');
    studio.edit('b.h', '#define B 1\n');
    expect(await studio.saveAll()).toBe(2);
    expect(onDisk('hello/a.c')).toBe('int a;\n');
    expect(onDisk('b.h')).toBe('#define B 1\n');
  });

  it('creates, renames and deletes entries, keeping open tabs in step', async () => {
    expect(await studio.create('lib', 'dir')).toBe(true);
    expect(await studio.create('lib/x.c', 'file')).toBe(true);
    expect(studio.state.active).toBe('lib/x.c');
    expect(await studio.rename('lib', 'src')).toBe(true);
    expect(studio.state.tabs).toEqual(['src/x.c']);
    expect(studio.state.files.map((f) => f.path)).toContain('src/x.c');
    expect(await studio.remove('src')).toBe(true);
    expect(studio.state.tabs).toEqual([]);
    expect(studio.state.files.some((f) => f.path.startsWith('src'))).toBe(false);
  });

  it('reports a failed request as a notice instead of throwing', async () => {
    expect(await studio.openFile('no/such.c')).toBe(false);
    expect(studio.state.notice?.kind).toBe('error');
  });

  it('says plainly that build and machine are not available yet', async () => {
    await studio.build();
    expect(studio.state.build.running).toBe(false);
    expect(studio.state.output.map((l) => l.text)).toContain(
      'Build is not available yet: this session has no toolchain.',
    );
    await studio.bootOrReboot();
    expect(studio.state.machine.available).toBe(false);
    expect(studio.state.notice?.text).toMatch(/machine is not available yet/);
  });

  it('turns build events into output, progress and sorted problems', () => {
    session.push({ event: 'build.progress', done: 1, total: 2, file: 'hello/hello.c' });
    expect(studio.state.build).toMatchObject({ running: true, done: 1, total: 2 });
    session.push({
      event: 'build.finished',
      ok: false,
      ms: 42,
      diagnostics: [
        { file: 'hello/hello.c', line: 9, col: 2, severity: 'warning', message: 'unused' },
        { file: 'hello/hello.c', line: 3, col: 5, severity: 'error', message: 'bad' },
      ],
    });
    expect(studio.state.problems.map((p) => p.message)).toEqual(['bad', 'unused']);
    expect(studio.state.build.result).toEqual({ ok: false, ms: 42, errors: 1, warnings: 1 });
    expect(studio.state.output.at(-1)?.text).toMatch(/Build failed in 42 ms/);
  });

  it('jumps to a problem location', async () => {
    await studio.openFile('hello/hello.c', { line: 3, col: 5 });
    expect(studio.state.reveal).toMatchObject({ path: 'hello/hello.c', line: 3, col: 5 });
  });

  it('follows machine state, console output, snapshots and counters', () => {
    const consoleSeen: string[] = [];
    studio.onConsoleOutput((d) => consoleSeen.push(d));
    session.push({ event: 'machine.state', state: 'running' });
    expect(studio.state.machine.state).toBe('running');
    expect(studio.state.machine.bootedAt).not.toBeNull();
    session.push({ event: 'console.output', data: 'futura$ ' });
    expect(consoleSeen).toEqual(['futura$ ']);
    session.push({
      event: 'snapshot',
      seq: 1,
      full: true,
      data: { now: 5, tasks: [{ pid: 1, name: 'init', state: 'running', priority: 10, cpu: 0.5 }] },
    });
    expect(studio.state.live?.tasks[0]).toMatchObject({ pid: 1, name: 'init', parent: null });
    session.push({ event: 'counters', t: 1000, values: { instructions: 0 } });
    session.push({ event: 'counters', t: 2000, values: { instructions: 50e6 } });
    expect(studio.state.rates.values.instructions).toEqual([50]);
    session.push({ event: 'machine.state', state: 'off' });
    expect(studio.state.live).toBeNull();
    expect(studio.state.machine.bootedAt).toBeNull();
  });

  it('routes menu commands: file and build to itself, panels to the workbench', async () => {
    const views: string[] = [];
    studio.onViewCommand((c) => views.push(c));
    studio.run('view.memory');
    expect(views).toEqual(['view.memory']);
    await studio.openFile('hello/hello.c');
    studio.edit('hello/hello.c', 'int main(void) { return 1; }\n');
    studio.run('file.save');
    await new Promise((r) => setTimeout(r, 50));
    expect(onDisk('hello/hello.c')).toBe('int main(void) { return 1; }\n');
  });
});
