// What the session needs from a build service: build the workspace, report progress, and hand back
// diagnostics and, when the build succeeded, the boot image. The incremental builder
// (core/host/build) implements it; tests use doubles.
import type { BuildStats, Diagnostic } from '../../protocol/messages';
import type { BootImage } from '../worker/protocol';

export type { BootImage, ImageFile } from '../worker/protocol';

export interface BuildProgress {
  done: number;
  total: number;
  /** The file being compiled or linked, workspace-relative. */
  file?: string;
}

export interface BuildResult {
  ok: boolean;
  diagnostics: Diagnostic[];
  /** The image to boot; null when the build failed. */
  image: BootImage | null;
  stats?: BuildStats;
}

export interface BuildOptions {
  /** Ignore the object cache and rebuild everything. */
  clean?: boolean;
}

export interface Builder {
  build(
    workspaceDir: string,
    onProgress: (p: BuildProgress) => void,
    options?: BuildOptions,
  ): Promise<BuildResult>;
}
