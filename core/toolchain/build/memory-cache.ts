// The simplest CacheStore: a Map, for tests and for the in-process layer in front of a disk cache.
import type { CacheStore } from './types';

export class MemoryCache implements CacheStore {
  readonly entries = new Map<string, Uint8Array>();

  constructor(private readonly behind?: CacheStore) {}

  get(key: string): Uint8Array | undefined {
    let v = this.entries.get(key);
    if (v === undefined && this.behind) {
      v = this.behind.get(key);
      if (v !== undefined) this.entries.set(key, v);
    }
    return v;
  }

  put(key: string, data: Uint8Array): void {
    this.entries.set(key, data);
    this.behind?.put(key, data);
  }
}
