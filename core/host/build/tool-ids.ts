// futcc's identity for the on-disk cache. The compiler has no release number of its own while it
// is developed in this tree, so its id hashes its own source files: an object cached by an older
// futcc is never reused by a newer one. Installed builds without the sources use the app version.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../paths';

const PARTS = ['cc', 'asm', 'obj', 'driver', 'rt', 'diag.ts'];

let memo: string | null = null;

function addTree(h: ReturnType<typeof createHash>, p: string): number {
  let n = 0;
  let entries;
  try {
    entries = readdirSync(p, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
  } catch {
    try {
      h.update(p).update(readFileSync(p));
      return 1;
    } catch {
      return 0;
    }
  }
  for (const e of entries) n += addTree(h, join(p, e.name));
  return n;
}

export function futccId(): string {
  if (memo !== null) return memo;
  const h = createHash('sha256');
  let files = 0;
  for (const part of PARTS) files += addTree(h, join(PROJECT_ROOT, 'core', 'toolchain', part));
  if (files === 0) {
    try {
      const pkg = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
        version?: string;
      };
      memo = `futcc:${pkg.version ?? 'unknown'}`;
    } catch {
      memo = 'futcc:unknown';
    }
  } else memo = `futcc:${h.digest('hex').slice(0, 24)}`;
  return memo;
}
