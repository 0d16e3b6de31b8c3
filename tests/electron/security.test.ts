import { describe, expect, it } from 'vitest';
import {
  contentSecurityPolicy,
  isAllowedNavigation,
  isTrustedSender,
  secureWebPreferences,
  windowOptions,
} from '../../electron/security';

describe('Electron window security', () => {
  it('isolates the page: no Node, context isolation, sandbox, web security', () => {
    const p = secureWebPreferences('/app/preload.cjs');
    expect(p.contextIsolation).toBe(true);
    expect(p.nodeIntegration).toBe(false);
    expect(p.nodeIntegrationInWorker).toBe(false);
    expect(p.nodeIntegrationInSubFrames).toBe(false);
    expect(p.sandbox).toBe(true);
    expect(p.webSecurity).toBe(true);
    expect(p.allowRunningInsecureContent).toBe(false);
    expect(p.webviewTag).toBe(false);
    expect(p.preload).toBe('/app/preload.cjs');
  });

  it('builds the window options around those preferences and the remembered bounds', () => {
    const o = windowOptions({ x: 10, y: 20, width: 1200, height: 800 }, '/p.cjs');
    expect(o).toMatchObject({ x: 10, y: 20, width: 1200, height: 800, show: false });
    expect(o.webPreferences).toEqual(secureWebPreferences('/p.cjs'));
  });

  it('has a strict CSP: own scripts only, no eval, no plugins, no framing', () => {
    const csp = contentSecurityPolicy();
    const directives = new Map(
      csp.split(';').map((d) => {
        const [name = '', ...values] = d.trim().split(/\s+/);
        return [name, values] as const;
      }),
    );
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(directives.get('default-src')).toEqual(["'self'"]);
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(csp).not.toMatch(/https?:/);
  });

  it('allows navigation only within app://studio', () => {
    expect(isAllowedNavigation('app://studio/index.html')).toBe(true);
    expect(isAllowedNavigation('app://studio/other')).toBe(true);
    expect(isAllowedNavigation('app://evil/index.html')).toBe(false);
    expect(isAllowedNavigation('https://example.com/')).toBe(false);
    expect(isAllowedNavigation('file:///etc/passwd')).toBe(false);
    expect(isAllowedNavigation('javascript:alert(1)')).toBe(false);
    expect(isAllowedNavigation('not a url')).toBe(false);
  });

  it('answers IPC only from the app origin', () => {
    expect(isTrustedSender('app://studio/index.html')).toBe(true);
    expect(isTrustedSender('https://example.com/')).toBe(false);
    expect(isTrustedSender(undefined)).toBe(false);
  });
});
