// The session's Builder over the userland build graph (core/host/build): one incremental
// WorkspaceBuild per workspace folder, its events turned into progress, its image into the boot
// image. A clean build starts from an empty cache (and keeps it for the builds that follow).
import { WorkspaceBuild, type WorkspaceBuildOptions } from '../build/workspace-build';
import type { ToolchainName } from '../../toolchain/build/manifest';
import type { Builder, BuildOptions, BuildProgress, BuildResult } from './builder';

export interface WorkspaceBuilderOptions extends WorkspaceBuildOptions {
  /** futcc (default) or the PATH's GCC, per the user's choice for the workspace. */
  toolchain?: ToolchainName;
}

export class WorkspaceBuilder implements Builder {
  private current: WorkspaceBuild | null = null;

  constructor(private readonly opts: WorkspaceBuilderOptions = {}) {}

  async build(
    workspaceDir: string,
    onProgress: (p: BuildProgress) => void,
    options: BuildOptions = {},
  ): Promise<BuildResult> {
    if (!this.current || this.current.root !== workspaceDir || options.clean) {
      const cacheDir = options.clean ? null : this.opts.cacheDir;
      this.current = new WorkspaceBuild(workspaceDir, {
        ...this.opts,
        ...(cacheDir === undefined ? {} : { cacheDir }),
      });
    }
    // `done` counts finished units: the event's index is already 1-based (index + 1 showed
    // [n+1/n]), and it is the unit's start order, which finishes need not follow.
    let finished = 0;
    const r = await this.current.build({
      ...(this.opts.toolchain ? { toolchain: this.opts.toolchain } : {}),
      onEvent: (e) => {
        if (e.type === 'start') onProgress({ done: 0, total: e.units });
        else if (e.type === 'unit-finish')
          onProgress({ done: ++finished, total: e.units, file: e.unit.name });
      },
    });
    const { compiled, reused, linked } = r.stats;
    return {
      ok: r.ok,
      diagnostics: r.diagnostics,
      image: r.ok ? r.image : null,
      stats: { compiled, reused, linked },
    };
  }
}
