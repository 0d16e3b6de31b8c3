// The app:// protocol: serves the built renderer from one folder (never file://), with the CSP
// on every HTML response.
import { protocol } from 'electron';
import { readStatic } from '../core/host/server/static-files';
import { APP_HOST, APP_SCHEME } from './ipc-channels';
import { contentSecurityPolicy } from './security';

/** Must run before the app is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      // standard + secure: a real origin ('self' in the CSP works, workers may load from it);
      // codeCache: V8 caches the large renderer bundle between starts.
      privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, codeCache: true },
    },
  ]);
}

/** Answers one app:// request from `root`; pure apart from reading the file. */
export function appResponse(root: string, url: string): Response {
  const u = new URL(url);
  if (u.host !== APP_HOST) return new Response('not found', { status: 404 });
  const file = readStatic(root, u.pathname);
  if (!file) return new Response('not found', { status: 404 });
  const headers: Record<string, string> = { 'content-type': file.type, 'x-content-type-options': 'nosniff' };
  if (file.type.startsWith('text/html')) headers['content-security-policy'] = contentSecurityPolicy();
  return new Response(new Uint8Array(file.body), { status: 200, headers });
}

export function serveApp(root: string): void {
  protocol.handle(APP_SCHEME, (req) => appResponse(root, req.url));
}
