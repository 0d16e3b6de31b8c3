// The renderer's Content-Security-Policy, one definition for the browser mode and Electron:
// only the app's own scripts (no eval), Monaco's worker, inline styles, and the given connect
// sources (the browser mode's WebSocket).
export function rendererCsp(connectSources: readonly string[] = []): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "worker-src 'self' blob:",
    ["connect-src 'self'", ...connectSources].join(' '),
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
