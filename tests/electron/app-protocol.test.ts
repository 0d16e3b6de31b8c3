import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => ({ protocol: { registerSchemesAsPrivileged: vi.fn(), handle: vi.fn() } }));
const { appResponse } = await import('../../electron/app-protocol');

const root = mkdtempSync(join(tmpdir(), 'futura-app-'));
mkdirSync(join(root, 'assets'));
writeFileSync(join(root, 'index.html'), '<!doctype html><title>x</title>');
writeFileSync(join(root, 'main.js'), 'console.log(1)');
writeFileSync(join(tmpdir(), 'futura-outside.txt'), 'secret');
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('app:// protocol', () => {
  it('serves the renderer with its CSP on HTML', async () => {
    const r = appResponse(root, 'app://studio/index.html');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await r.text()).toContain('<title>x</title>');
    const js = appResponse(root, 'app://studio/main.js');
    expect(js.headers.get('content-type')).toMatch(/javascript/);
    expect(js.headers.get('content-security-policy')).toBeNull();
  });
  it('refuses other hosts, missing files and escapes from the folder', () => {
    expect(appResponse(root, 'app://other/index.html').status).toBe(404);
    expect(appResponse(root, 'app://studio/nope.js').status).toBe(404);
    expect(appResponse(root, 'app://studio/..%2Ffutura-outside.txt').status).toBe(404);
    expect(appResponse(root, 'app://studio/%2e%2e/futura-outside.txt').status).toBe(404);
  });
});
