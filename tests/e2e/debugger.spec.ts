// The debugger end to end: a breakpoint set in the editor's gutter, boot, run the program from the
// shell, the machine stops on that line (highlighted, with the Debug panel showing where and why),
// a step moves to the next line, continue runs the program to its end.
import { expect, test, type Page } from '@playwright/test';
import { readConsole, sharedWorkbench } from './support';

let page: Page;
sharedWorkbench((p) => (page = p));

const consoleText = (): Promise<string> => readConsole(page);

async function gutterClick(line: number): Promise<void> {
  await page.locator('[data-testid="editor"] .line-numbers', { hasText: new RegExp(`^${line}$`) }).click();
}

test('breakpoint in the gutter, boot, hit, step, continue', async () => {
  test.setTimeout(400_000);
  await page.locator('.tree-row[data-path="hello/hello.c"]').click();
  const editor = page.locator('[data-testid="editor"] .monaco-editor');
  await expect(editor.locator('.view-lines')).toContainText('Hello from Futura');
  // The printf line.
  const lines = (await editor.locator('.view-line').allTextContents()).map((t) => t.replace(/\u00a0/g, ' '));
  const printfLine = lines.findIndex((l) => l.includes('printf("Hello')) + 1;
  expect(printfLine).toBeGreaterThan(0);
  await gutterClick(printfLine);
  await expect(editor.locator('.bp-glyph')).toHaveCount(1);

  await page.keyboard.press('Control+Shift+B');
  await expect(page.locator('.statusbar')).toContainText(/Build (ok|failed)/, { timeout: 240_000 });
  await expect(page.locator('.statusbar')).toContainText('Build ok');
  await page.keyboard.press('F5');
  await expect.poll(consoleText, { timeout: 240_000 }).toContain('fsh:/$');
  await page.locator('[data-testid="console"]').click();
  await page.keyboard.type('hello one');
  await page.keyboard.press('Enter');

  await page.locator('.dv-tab', { hasText: 'Debug' }).first().click();
  const reason = page.getByTestId('stop-reason');
  await expect(reason).toContainText(`hello.c:${printfLine}`, { timeout: 60_000 });
  await expect(reason).toContainText('breakpoint');
  await expect(reason).toContainText('main');
  await expect(editor.locator('.debug-current-line')).toHaveCount(1);
  await expect(page.locator('.frame-row').first()).toContainText('main');
  await expect(page.getByTestId('registers')).toContainText('sp');
  await expect(page.getByTestId('disassembly').locator('.dis-row.current')).toHaveCount(1);
  await page.screenshot({ path: test.info().outputPath('debugger-hit.png') });

  // Step over the printf: the next line, and the greeting on the console.
  await page.keyboard.press('F10');
  await expect(reason).toContainText(`hello.c:${printfLine + 1}`, { timeout: 60_000 });
  await expect(reason).toContainText('step');
  await expect.poll(consoleText, { timeout: 30_000 }).toContain('Hello from Futura! (1 argument)');
  await page.screenshot({ path: test.info().outputPath('debugger-step.png') });

  // Remove the breakpoint and continue: the program ends and the shell prompts again.
  await gutterClick(printfLine);
  await expect(editor.locator('.bp-glyph')).toHaveCount(0);
  await page.keyboard.press('F8');
  await expect.poll(consoleText, { timeout: 60_000 }).toMatch(/argv\[1\] = one[\s\S]*fsh:\/\$\s*$/);
  await expect(page.getByTestId('debug-panel')).toContainText('Not stopped');
  // Power off: the other spec files share this session and fake their own machine events.
  await page.getByRole('button', { name: 'Reset' }).click();
  await expect(page.locator('.statusbar')).toContainText('Machine: off');
});
