// The workspace on disk as the build's FileSource: workspace-relative '/' paths, never outside
// the root (an absolute or escaping path reads as missing), never throwing.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { FileSource } from '../../toolchain/build/types';

export class NodeFileSource implements FileSource {
  readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  /** The host path of a workspace path, or null when it would leave the workspace. */
  hostPath(path: string): string | null {
    if (path.startsWith('/') || isAbsolute(path)) return null;
    const p = resolve(this.root, path);
    const rel = relative(this.root, p);
    if (rel.startsWith('..') || isAbsolute(rel)) return null;
    return p;
  }

  /** A host path as a workspace path when it is inside the workspace (else unchanged). */
  workspacePath(hostPath: string): string {
    const rel = relative(this.root, resolve(this.root, hostPath));
    if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return hostPath;
    return rel.split(sep).join('/');
  }

  read(path: string): Uint8Array | undefined {
    const p = this.hostPath(path);
    if (p === null) return undefined;
    try {
      return new Uint8Array(readFileSync(p));
    } catch {
      return undefined;
    }
  }

  list(dir: string): string[] | undefined {
    const p = dir === '.' || dir === '' ? this.root : this.hostPath(dir);
    if (p === null) return undefined;
    try {
      return readdirSync(p, { withFileTypes: true })
        .filter((e) => e.isFile() || (e.isSymbolicLink() && isFile(join(p, e.name))))
        .map((e) => e.name)
        .sort();
    } catch {
      return undefined;
    }
  }
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}
