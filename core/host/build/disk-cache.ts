// The build cache on disk: one file per key under the user's cache folder (fan-out by the key's
// first two hex digits), written to a temporary name and renamed so a crash or a concurrent
// build never leaves a torn entry. Failures read as misses: the cache only ever saves time.
import { mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { homedir, platform } from 'node:os';
import { join, resolve } from 'node:path';
import type { CacheStore } from '../../toolchain/build/types';

/** Where caches go: FUTURA_CACHE_DIR, else the platform's user cache folder. */
export function userCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.FUTURA_CACHE_DIR) return resolve(env.FUTURA_CACHE_DIR);
  const home = homedir();
  switch (platform()) {
    case 'win32':
      return join(env.LOCALAPPDATA ?? join(home, 'AppData', 'Local'), 'Futura Studio', 'Cache');
    case 'darwin':
      return join(home, 'Library', 'Caches', 'Futura Studio');
    default:
      return join(env.XDG_CACHE_HOME ?? join(home, '.cache'), 'futura-studio');
  }
}

/** The build cache's folder (versioned, so a format change starts afresh). */
export function buildCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(userCacheDir(env), 'build-v1');
}

const KEY = /^[0-9a-f]{16,128}$/;
let serial = 0;

export class DiskCache implements CacheStore {
  constructor(readonly dir: string) {}

  private path(key: string): string | null {
    return KEY.test(key) ? join(this.dir, key.slice(0, 2), key) : null;
  }

  get(key: string): Uint8Array | undefined {
    const p = this.path(key);
    if (p === null) return undefined;
    try {
      return new Uint8Array(readFileSync(p));
    } catch {
      return undefined;
    }
  }

  put(key: string, data: Uint8Array): void {
    const p = this.path(key);
    if (p === null) return;
    const tmp = `${p}.${process.pid}.${serial++}.tmp`;
    try {
      mkdirSync(join(this.dir, key.slice(0, 2)), { recursive: true });
      writeFileSync(tmp, data);
      renameSync(tmp, p);
    } catch {
      try {
        unlinkSync(tmp);
      } catch {
        // nothing was written
      }
    }
  }
}
