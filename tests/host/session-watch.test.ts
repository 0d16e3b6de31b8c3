// External changes to the workspace (another editor, git) reach the clients as workspace.changed,
// without the app's own save temporaries.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Session } from '../../core/host/session/session';
import type { SessionEvent } from '../../core/protocol/messages';
import { DirectClient } from './session-support';

const sessions: Session[] = [];
afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.dispose()));
});

const changed = (path: string) => (e: SessionEvent) =>
  e.event === 'workspace.changed' && e.paths.includes(path);

describe('Session workspace watching', () => {
  it('reports files changed behind its back, and its own saves once they land', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'futura-watch-'));
    mkdirSync(join(dir, 'prog'));
    writeFileSync(join(dir, 'prog', 'main.c'), 'int main(void) { return 0; }\n');
    const s = new Session({ dataDir: mkdtempSync(join(tmpdir(), 'futura-data-')) });
    sessions.push(s);
    const c = new DirectClient(s);
    await c.call('workspace.open', { path: dir });
    const seen = c.waitFor(changed('prog/main.c'), 10_000);
    writeFileSync(join(dir, 'prog', 'main.c'), 'int main(void) { return 1; }\n');
    await seen;
    const created = c.waitFor(changed('prog/extra.h'), 10_000);
    writeFileSync(join(dir, 'prog', 'extra.h'), '#define X 1\n');
    await created;
    await c.call('file.save', { path: 'prog/main.c', content: 'int main(void) { return 2; }\n' });
    await new Promise((r) => setTimeout(r, 400));
    const reported = c.events.flatMap((e) => (e.event === 'workspace.changed' ? e.paths : []));
    expect(reported.some((p) => p.endsWith('.tmp'))).toBe(false);
  });
});
