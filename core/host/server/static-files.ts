// Serves the renderer's built files from one folder, never outside it.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, relative, isAbsolute } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ttf': 'font/ttf',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

export interface StaticFile {
  body: Buffer;
  type: string;
}

export function readStatic(root: string, urlPath: string): StaticFile | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const rel = normalize(decoded === '/' ? '/index.html' : decoded).replace(/^[/\\]+/, '');
  const abs = join(root, rel);
  const back = relative(root, abs);
  if (back.startsWith('..') || isAbsolute(back)) return null;
  if (!existsSync(abs) || !statSync(abs).isFile()) return null;
  return { body: readFileSync(abs), type: TYPES[extname(abs)] ?? 'application/octet-stream' };
}
