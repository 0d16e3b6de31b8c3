// The build cache on disk: one file per key under the user's cache folder (fan-out by the key's
// first two hex digits), written to a temporary name and renamed so a crash or a concurrent
// build never leaves a torn entry. Failures read as misses: the cache only ever saves time.
import {
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
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
/** Default size cap of the build cache. */
export const CACHE_MAX_BYTES = 512 << 20;
const DAY_MS = 24 * 3600 * 1000;
const PRUNE_MARK = '.last-prune';
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

  /**
   * Keeps the cache under `maxBytes`: removes the oldest entries (by write time) down to 80% of the
   * cap, and temporary files a crashed writer left. Runs at most once a day unless `force`.
   * Returns the number of files removed.
   */
  prune(maxBytes = CACHE_MAX_BYTES, force = false, now = Date.now()): number {
    const mark = join(this.dir, PRUNE_MARK);
    try {
      if (!force && now - statSync(mark).mtimeMs < DAY_MS) return 0;
    } catch {
      // never pruned
    }
    const files: Array<{ path: string; size: number; mtime: number }> = [];
    let removed = 0;
    const drop = (p: string): void => {
      try {
        unlinkSync(p);
        removed++;
      } catch {
        // gone already, or not ours to remove
      }
    };
    let fans: string[];
    try {
      fans = readdirSync(this.dir).filter((d) => /^[0-9a-f]{2}$/.test(d));
    } catch {
      return 0;
    }
    for (const fan of fans) {
      let names: string[];
      try {
        names = readdirSync(join(this.dir, fan));
      } catch {
        continue;
      }
      for (const name of names) {
        const p = join(this.dir, fan, name);
        try {
          const st = statSync(p);
          if (name.endsWith('.tmp')) {
            if (now - st.mtimeMs > 3600_000) drop(p);
          } else files.push({ path: p, size: st.size, mtime: st.mtimeMs });
        } catch {
          // raced with another writer
        }
      }
    }
    let total = files.reduce((n, f) => n + f.size, 0);
    if (total > maxBytes) {
      files.sort((a, b) => a.mtime - b.mtime);
      for (const f of files) {
        if (total <= maxBytes * 0.8) break;
        drop(f.path);
        total -= f.size;
      }
    }
    try {
      mkdirSync(this.dir, { recursive: true });
      writeFileSync(mark, '');
      utimesSync(mark, new Date(now), new Date(now));
    } catch {
      // a read-only cache folder: nothing to remember
    }
    return removed;
  }
}
