// The workbench in a real browser: loads the sample, edits and saves a file, shows the console,
// builds, and refuses access without the token.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { e2eUrl, sharedWorkbench } from './support';

const onDisk = (rel: string): string =>
  readFileSync(join(process.env.FUTURA_E2E_DATA ?? '', 'workspace', rel), 'utf8');

let page: Page;
sharedWorkbench(
  (p) => (page = p),
  // The server's strict CSP (no eval, same-origin scripts and workers) must not break anything.
  (p, errors) =>
    p.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text())) errors.push(m.text());
    }),
);

test('loads the workbench with the sample in the explorer', async () => {
  const info = test.info();
  await expect(page.getByRole('tree', { name: 'Workspace files' })).toBeVisible();
  await expect(page.locator('.tree-row[data-path="hello/hello.c"]')).toBeVisible();
  for (const title of ['Explorer', 'Editor', 'Console', 'Processes', 'Charts']) {
    await expect(page.locator('.dv-tab', { hasText: title }).first()).toBeVisible();
  }
  await page.screenshot({ path: info.outputPath('workbench-start.png') });
});

test('opens hello.c, edits it and saves with Ctrl+S', async () => {
  const info = test.info();
  const before = onDisk('hello/hello.c');
  await page.locator('.tree-row[data-path="hello/hello.c"]').click();
  const editor = page.locator('[data-testid="editor"] .monaco-editor');
  await expect(editor).toBeVisible();
  await expect(editor.locator('.view-lines')).toContainText('Hello from Futura');
  await editor.locator('.view-lines').click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type('/* edited by the e2e test */');
  const tab = page.locator('.editor-tab[data-path="hello/hello.c"]');
  await expect(tab.locator('.dirty-dot')).toBeVisible();
  await page.screenshot({ path: info.outputPath('workbench-editing.png') });
  await page.keyboard.press('Control+s');
  await expect(tab.locator('.dirty-dot')).toHaveCount(0);
  await expect.poll(() => onDisk('hello/hello.c')).toContain('/* edited by the e2e test */');
  expect(onDisk('hello/hello.c').startsWith(before.trimEnd())).toBe(true);
});

test('has a console terminal', async () => {
  const consoleEl = page.locator('[data-testid="console"]');
  await expect(consoleEl.locator('.xterm')).toBeVisible();
  await expect(consoleEl).toContainText('Futura console');
});

test('builds with Ctrl+Shift+B and shows the progress and the result in Build Output', async () => {
  const info = test.info();
  test.setTimeout(240_000);
  await page.keyboard.press('Control+Shift+B');
  await page.locator('.dv-tab', { hasText: 'Build Output' }).click();
  await expect(page.getByTestId('build-output')).toContainText('Build succeeded', { timeout: 200_000 });
  await expect(page.getByTestId('build-output')).toContainText('hello');
  await page.screenshot({ path: info.outputPath('workbench-build.png') });
});

test('creates a file from the explorer, next to the selected one', async () => {
  await page.locator('.tree-row[data-path="hello/hello.c"]').click();
  await page.getByRole('button', { name: '+ File' }).click();
  const input = page.getByRole('textbox', { name: 'Name' });
  await input.fill('notes.c');
  await input.press('Enter');
  await expect(page.locator('.tree-row[data-path="hello/notes.c"]')).toBeVisible();
  await expect(page.locator('.editor-tab[data-path="hello/notes.c"]')).toBeVisible();
  expect(onDisk('hello/notes.c')).toBe('');
  await page.screenshot({ path: test.info().outputPath('workbench-new-file.png') });
});

test('keeps the panel layout across a reload, and brings closed panels back', async () => {
  const memTab = page.locator('.dv-tab', { hasText: 'Memory Map' });
  await memTab.click();
  const timers = page.locator('.dv-tab', { hasText: 'Timers' });
  await timers.click();
  await timers.locator('.dv-default-tab-action').click();
  await expect(timers).toHaveCount(0);
  await memTab.click();
  await page.reload();
  await expect(page.locator('.statusbar')).toContainText('connected', { timeout: 60_000 });
  await expect(page.locator('.dv-tab', { hasText: 'Timers' })).toHaveCount(1);
  await expect(page.locator('.dv-tab.dv-active-tab', { hasText: 'Memory Map' })).toHaveCount(1);
});

test('refuses the URL without its token', async ({ request }) => {
  const origin = new URL(e2eUrl()).origin;
  const res = await request.get(origin + '/', { headers: { cookie: '' } });
  expect(res.status()).toBe(401);
  const wrong = await request.get(origin + '/?token=wrong', { headers: { cookie: '' } });
  expect(wrong.status()).toBe(403);
});
