// A workspace folder's build, wired to the host: files from disk, an in-memory cache in front of
// the on-disk one, futcc or the PATH's GCC. One instance per open workspace (the session's, or
// the CLI's for a single run); each build() is incremental over the previous ones.
import { buildUserland } from '../../toolchain/build/graph';
import { futccToolchain } from '../../toolchain/build/futcc';
import type { ToolchainName } from '../../toolchain/build/manifest';
import { MemoryCache } from '../../toolchain/build/memory-cache';
import type { BuildEvent, BuildResult, CacheStore, Toolchain } from '../../toolchain/build/types';
import { buildCacheDir, DiskCache } from './disk-cache';
import { NodeFileSource } from './fs-source';
import { futccId, linkerId } from './tool-ids';
import { gccToolchain } from './gcc';

export interface WorkspaceBuildOptions {
  /** Cache folder; null keeps the cache in memory only. Default: the user's cache folder. */
  cacheDir?: string | null;
  /** GCC to use instead of searching PATH (tests). */
  gccPath?: string;
}

export interface BuildRequest {
  toolchain?: ToolchainName;
  extraCflags?: readonly string[];
  onEvent?: (e: BuildEvent) => void;
}

export class WorkspaceBuild {
  readonly files: NodeFileSource;
  readonly cache: CacheStore;
  private readonly disk: DiskCache | null;
  private pruned = false;
  private readonly toolchains = new Map<ToolchainName, Toolchain | string>();

  constructor(
    readonly root: string,
    private readonly opts: WorkspaceBuildOptions = {},
  ) {
    this.files = new NodeFileSource(root);
    const dir = opts.cacheDir === undefined ? buildCacheDir() : opts.cacheDir;
    this.disk = dir === null ? null : new DiskCache(dir);
    this.cache = new MemoryCache(this.disk ?? undefined);
  }

  toolchain(name: ToolchainName): Toolchain | string {
    let t = this.toolchains.get(name);
    if (t === undefined) {
      t =
        name === 'gcc' ? gccToolchain(this.files.root, this.opts.gccPath) : futccToolchain({ id: futccId() });
      this.toolchains.set(name, t);
    }
    return t;
  }

  async build(req: BuildRequest = {}): Promise<BuildResult> {
    const result = await buildUserland({
      files: this.files,
      cache: this.cache,
      toolchains: (n) => this.toolchain(n),
      toolchain: req.toolchain,
      linkerId: linkerId(),
      extraCflags: req.extraCflags,
      onEvent: req.onEvent,
    });
    // Once per workspace session, after the build it might otherwise slow down.
    if (!this.pruned && this.disk) {
      this.pruned = true;
      this.disk.prune();
    }
    return result;
  }
}
