// What the end-to-end specs share: the server's URL (global-setup.ts starts it), one page per spec
// file opened on the workbench with its page errors collected, and the console helpers.
import { expect, test, type Page } from '@playwright/test';

export const e2eUrl = (): string => {
  const u = process.env.FUTURA_E2E_URL;
  if (!u) throw new Error('FUTURA_E2E_URL is not set: run through playwright.config.ts');
  return u;
};

/**
 * One page for the whole spec file (loading the development bundle is the slow part, and the steps
 * build on each other like a user's session): opened before the first test and handed to `use`;
 * every test must end with no page error. `watch` may add more kinds of errors to `errors`.
 */
export function sharedWorkbench(
  use: (page: Page) => void,
  watch?: (page: Page, errors: string[]) => void,
): void {
  test.describe.configure({ mode: 'serial' });
  let page: Page | undefined;
  const errors: string[] = [];
  test.beforeAll(async ({ browser }) => {
    page = await browser.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    watch?.(page, errors);
    use(page);
    await page.goto(e2eUrl());
    await expect(page.locator('.statusbar')).toContainText('connected', { timeout: 60_000 });
  });
  test.afterAll(async () => {
    await page?.close();
  });
  test.afterEach(() => {
    expect(errors).toEqual([]);
  });
}

/** The terminal's visible rows as text. */
export const readConsole = async (page: Page): Promise<string> =>
  (await page.locator('[data-testid="console"] .xterm-rows').textContent()) ?? '';

/** Types a line into the console and presses Enter. */
export async function typeLine(page: Page, text: string): Promise<void> {
  await page.locator('[data-testid="console"]').click();
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
}
