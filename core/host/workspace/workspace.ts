// A workspace: a folder of C sources with its manifest. Every path the protocol carries is
// relative to the root and is checked to stay inside it.
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { isAbsolute, join, normalize, relative, resolve, sep } from 'node:path';
import type { FileEntry } from '../../protocol/messages';
import { writeFileAtomic } from './atomic-write';

export class WorkspaceError extends Error {
  constructor(
    readonly code: 'not-found' | 'exists' | 'forbidden' | 'failed',
    message: string,
  ) {
    super(message);
  }
}

/** Folders that hold build outputs or tool state, never shown as sources. */
const HIDDEN = new Set(['.git', 'node_modules', '.futura-build']);

export class Workspace {
  readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
    if (!existsSync(this.root) || !statSync(this.root).isDirectory()) {
      throw new WorkspaceError('not-found', `workspace folder ${this.root} does not exist`);
    }
  }

  /** Resolves a workspace-relative path, refusing anything that escapes the root. */
  resolvePath(rel: string): string {
    if (isAbsolute(rel) || rel.includes('\0'))
      throw new WorkspaceError('forbidden', `path must be relative: ${rel}`);
    const abs = resolve(this.root, normalize(rel));
    const back = relative(this.root, abs);
    if (back === '' || back.startsWith('..') || isAbsolute(back)) {
      throw new WorkspaceError('forbidden', `path escapes the workspace: ${rel}`);
    }
    return abs;
  }

  list(): FileEntry[] {
    const out: FileEntry[] = [];
    const walk = (dir: string): void => {
      const names = readdirSync(dir).sort();
      for (const name of names) {
        if (HIDDEN.has(name) || name.endsWith('.tmp')) continue;
        const abs = join(dir, name);
        const st = lstatSync(abs);
        if (st.isSymbolicLink()) continue;
        const path = relative(this.root, abs).split(sep).join('/');
        if (st.isDirectory()) {
          out.push({ path, kind: 'dir', size: 0, mtimeMs: st.mtimeMs });
          walk(abs);
        } else if (st.isFile()) {
          out.push({ path, kind: 'file', size: st.size, mtimeMs: st.mtimeMs });
        }
      }
    };
    walk(this.root);
    return out;
  }

  read(rel: string): string {
    const abs = this.resolvePath(rel);
    if (!existsSync(abs) || !statSync(abs).isFile())
      throw new WorkspaceError('not-found', `no such file: ${rel}`);
    return readFileSync(abs, 'utf8');
  }

  save(rel: string, content: string): void {
    const abs = this.resolvePath(rel);
    if (existsSync(abs) && statSync(abs).isDirectory())
      throw new WorkspaceError('exists', `${rel} is a folder`);
    mkdirSync(join(abs, '..'), { recursive: true });
    writeFileAtomic(abs, content);
  }

  create(rel: string, kind: 'file' | 'dir'): void {
    const abs = this.resolvePath(rel);
    if (existsSync(abs)) throw new WorkspaceError('exists', `${rel} already exists`);
    if (kind === 'dir') mkdirSync(abs, { recursive: true });
    else this.save(rel, '');
  }

  rename(from: string, to: string): void {
    const src = this.resolvePath(from);
    const dst = this.resolvePath(to);
    if (!existsSync(src)) throw new WorkspaceError('not-found', `no such file: ${from}`);
    if (existsSync(dst)) throw new WorkspaceError('exists', `${to} already exists`);
    mkdirSync(join(dst, '..'), { recursive: true });
    renameSync(src, dst);
  }

  delete(rel: string): void {
    const abs = this.resolvePath(rel);
    if (!existsSync(abs)) throw new WorkspaceError('not-found', `no such file: ${rel}`);
    rmSync(abs, { recursive: true });
  }
}
