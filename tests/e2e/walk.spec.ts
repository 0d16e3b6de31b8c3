// The walk of issue 7, as a user does it: open a program, break it, build (a marker and a Problems
// entry at the right line), fix it, build clean, boot to the shell prompt, run a command, and read
// the live views (memory map, wait queues, FIPC channels while pingpong runs, the display while
// fbtest draws). Screenshots of each view are saved as test artifacts.
import { expect, test, type Page } from '@playwright/test';
import { readConsole, sharedWorkbench, typeLine } from './support';

let page: Page;
sharedWorkbench((p) => (page = p));

const shot = async (name: string): Promise<void> => {
  await page.screenshot({ path: test.info().outputPath(`${name}.png`) });
};

const consoleText = (): Promise<string> => readConsole(page);

async function showPanel(title: string): Promise<void> {
  await page.locator('.dv-tab', { hasText: title }).first().click();
}

const typeInConsole = (text: string): Promise<void> => typeLine(page, text);

test('a build error shows as a marker and a Problems entry at its line; fixing it builds clean', async () => {
  test.setTimeout(240_000);
  await page.locator('.tree-row[data-path="hello/hello.c"]').click();
  const editor = page.locator('[data-testid="editor"] .monaco-editor');
  await expect(editor.locator('.view-lines')).toContainText('Hello');
  // Line 1 gets a statement that does not compile.
  await editor.locator('.view-lines').click();
  await page.keyboard.press('Control+Home');
  await page.keyboard.type('int broken = ;\n');
  await page.keyboard.press('Control+s');
  await page.keyboard.press('Control+Shift+B');
  await expect(page.locator('.statusbar')).toContainText(/Build failed/, { timeout: 180_000 });
  await showPanel('Problems');
  const problem = page.locator('.problem.sev-error').first();
  await expect(problem).toBeVisible();
  await expect(problem).toContainText('hello.c:1');
  await expect(editor.locator('.squiggly-error').first()).toBeVisible();
  await shot('walk-1-build-error');
  // Undo the edit, save, rebuild: clean.
  await editor.locator('.view-lines').click();
  await page.keyboard.press('Control+Home');
  await page.keyboard.press('Shift+End');
  await page.keyboard.press('Delete');
  await page.keyboard.press('Delete');
  await page.keyboard.press('Control+s');
  await page.keyboard.press('Control+Shift+B');
  await expect(page.locator('.statusbar')).toContainText(/Build (ok|succeeded)/, { timeout: 180_000 });
  await expect(page.locator('.problem.sev-error')).toHaveCount(0);
  await showPanel('Console');
  await shot('walk-2-build-clean');
});

test('boots to the shell prompt and runs a command', async () => {
  test.setTimeout(300_000);
  await page.keyboard.press('F5');
  await expect.poll(consoleText, { timeout: 240_000 }).toContain('fsh:/$');
  await typeInConsole('echo walk-$?-ok');
  await expect.poll(consoleText, { timeout: 30_000 }).toContain('walk-0-ok');
  await typeInConsole('hello');
  await expect.poll(consoleText, { timeout: 30_000 }).toMatch(/Hello/);
  await shot('walk-3-console');
});

test('the memory map lists the shell’s stack and guard page', async () => {
  await showPanel('Memory Map');
  const panel = page.locator('.memory-map');
  await panel.locator('select').selectOption({ label: await shellOption(panel) });
  await expect(panel.locator('.vma-row', { hasText: 'stack' }).first()).toBeVisible();
  await expect(panel.locator('.vma-row', { hasText: 'guard' }).first()).toBeVisible();
  await shot('walk-4-memory-map');
});

async function shellOption(panel: ReturnType<Page['locator']>): Promise<string> {
  const labels = await panel.locator('select option').allTextContents();
  const fsh = labels.find((l) => /\bfsh\b/.test(l));
  expect(fsh, `a task named fsh among ${labels.join(', ')}`).toBeDefined();
  return fsh!;
}

test('the wait-queue view shows the shell waiting on the console', async () => {
  await showPanel('Wait Queues');
  await expect(
    page
      .locator('.card', { hasText: /console/i })
      .locator('tr')
      .first(),
  ).toBeVisible({
    timeout: 20_000,
  });
  await shot('walk-5-wait-queues');
});

test('the FIPC view lists the services’ channels and its counters grow while pingpong runs', async () => {
  test.setTimeout(300_000);
  await showPanel('FIPC Channels');
  const rows = page.locator('table.grid tbody tr');
  await expect(rows.first()).toBeVisible({ timeout: 20_000 });
  const sent = async (): Promise<number> => {
    const cells = await page.locator('table.grid tbody tr td:nth-child(6)').allTextContents();
    return cells.reduce((a, c) => a + (Number(c) || 0), 0);
  };
  const before = await sent();
  // -f runs until ^C: a fixed count can finish between two snapshots on a fast machine, and its
  // channels vanish with it, so the counters would never be seen growing.
  await typeInConsole('pingpong -f');
  await expect.poll(sent, { timeout: 60_000 }).toBeGreaterThan(before);
  const first = await sent();
  await expect.poll(sent, { timeout: 60_000 }).toBeGreaterThan(first);
  // The graph draws pingpong's two channels between its tasks, and the log lists their messages.
  await expect(page.locator('[data-testid="fipc-graph"] .fipc-edge').first()).toBeVisible();
  await expect(
    page.locator('[data-testid="fipc-log"] tr.fipc-msg', { hasText: '0x1001' }).first(),
  ).toBeVisible();
  await shot('walk-6-fipc');
  await expect.poll(consoleText, { timeout: 60_000 }).toMatch(/pingpong: \d+ round trips/);
  // ^C ends it (SIGINT to the foreground group) and the shell prompts again.
  await page.locator('[data-testid="console"]').click();
  await page.keyboard.press('Control+C');
  await expect.poll(async () => (await consoleText()).trimEnd(), { timeout: 60_000 }).toMatch(/fsh:\/\$$/);
});

test('the display shows what fbtest draws', async () => {
  test.setTimeout(300_000);
  await typeInConsole('fbtest');
  await showPanel('Display');
  const canvas = page.locator('canvas.fb-canvas');
  await expect(canvas).toBeVisible({ timeout: 60_000 });
  await expect
    .poll(
      async () =>
        canvas.evaluate((c) => {
          const ctx = (
            c as unknown as {
              getContext(k: '2d'): {
                getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray };
              } | null;
              width: number;
              height: number;
            }
          ).getContext('2d');
          if (!ctx) return 0;
          const el = c as unknown as { width: number; height: number };
          const d = ctx.getImageData(0, 0, el.width, el.height).data;
          // Distinct colours in a sparse sample: a gradient has many, a blank screen one.
          const seen = new Set<number>();
          for (let i = 0; i < d.length; i += 4 * 997) seen.add((d[i]! << 16) | (d[i + 1]! << 8) | d[i + 2]!);
          return seen.size;
        }),
      { timeout: 60_000 },
    )
    .toBeGreaterThan(16);
  await shot('walk-7-display');
});
