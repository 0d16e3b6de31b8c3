// Identities of our own tools for the on-disk cache. futcc and the linker have no release numbers
// of their own while they are developed in this tree, so an id hashes the tool's source files: an
// object compiled (or a program linked) by an older version is never reused by a newer one.
// Installed builds without the sources fall back to the app's version.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../paths';

/** What futcc's output depends on (under core/toolchain). */
const FUTCC_PARTS = ['cc', 'asm', 'obj', 'driver', 'rt', 'diag.ts'];
/** What archives and linked programs depend on. */
const LINKER_PARTS = ['link', 'ar', 'obj', '../elf'];

const memo = new Map<string, string>();

function addTree(h: ReturnType<typeof createHash>, p: string): number {
  let n = 0;
  let entries;
  try {
    entries = readdirSync(p, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
  } catch {
    try {
      h.update(p.slice(PROJECT_ROOT.length)).update(readFileSync(p));
      return 1;
    } catch {
      return 0;
    }
  }
  for (const e of entries) n += addTree(h, join(p, e.name));
  return n;
}

function sourcesId(tool: string, parts: readonly string[]): string {
  const known = memo.get(tool);
  if (known !== undefined) return known;
  const h = createHash('sha256');
  let files = 0;
  for (const part of parts) files += addTree(h, join(PROJECT_ROOT, 'core', 'toolchain', part));
  let id: string;
  if (files === 0) {
    try {
      const pkg = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
        version?: string;
      };
      id = `${tool}:${pkg.version ?? 'unknown'}`;
    } catch {
      id = `${tool}:unknown`;
    }
  } else id = `${tool}:${h.digest('hex').slice(0, 24)}`;
  memo.set(tool, id);
  return id;
}

export function futccId(): string {
  return sourcesId('futcc', FUTCC_PARTS);
}

export function linkerId(): string {
  return sourcesId('futura-ld', LINKER_PARTS);
}
