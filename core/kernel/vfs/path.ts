// Path resolution: absolute or cwd-relative, '.' skipped, '..' follows the parent and stops at the
// root (and crosses back over a mount), entering a mount point switches to the mounted root.

import { NAME_MAX, PATH_MAX } from '../abi';
import { ENAMETOOLONG, ENOENT, ENOTDIR } from '../errno';
import type { Vnode } from './vnode';

export function nameBytes(name: string): number {
  let n = 0;
  for (const ch of name) {
    const c = ch.codePointAt(0)!;
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
  }
  return n;
}

/** The vnode a directory entry shows: the mounted root when it is a mount point. */
export function crossMount(v: Vnode): Vnode {
  while (v.mounted) v = v.mounted;
  return v;
}

/** '..' of a directory, never above root. */
export function parentOf(dir: Vnode, root: Vnode): Vnode {
  if (dir === root) return root;
  let d = dir;
  while (d.mountPoint) d = d.mountPoint; // a mounted root's parent is its mount point's parent
  return d === root ? root : crossMount(d.parent ?? root);
}

export interface ParentLookup {
  dir: Vnode;
  /** The last component ('' for the root itself; may be '.' or '..'). */
  name: string;
  /** The path ended in '/', so the target must be a directory. */
  trailingSlash: boolean;
}

function split(path: string): string[] | number {
  if (path.length === 0) return -ENOENT;
  if (nameBytes(path) >= PATH_MAX) return -ENAMETOOLONG;
  const parts = path.split('/').filter((c) => c.length > 0);
  for (const c of parts) if (nameBytes(c) > NAME_MAX) return -ENAMETOOLONG;
  return parts;
}

function walk(start: Vnode, parts: readonly string[], root: Vnode): Vnode | number {
  let cur = start;
  for (const c of parts) {
    if (cur.type !== 'dir') return -ENOTDIR;
    if (c === '.') continue;
    if (c === '..') {
      cur = parentOf(cur, root);
      continue;
    }
    const next = cur.entries.get(c) ?? cur.dynamic?.lookup(c);
    if (!next) return -ENOENT;
    cur = crossMount(next);
  }
  return cur;
}

/** The vnode at `path`, or -ENOENT / -ENOTDIR / -ENAMETOOLONG. */
export function resolvePath(path: string, cwd: Vnode, root: Vnode): Vnode | number {
  const parts = split(path);
  if (typeof parts === 'number') return parts;
  const v = walk(path.startsWith('/') ? root : cwd, parts, root);
  if (typeof v === 'number') return v;
  if (path.endsWith('/') && v.type !== 'dir') return -ENOTDIR;
  return v;
}

/** The directory that holds the last component of `path`, and that component. */
export function resolveParent(path: string, cwd: Vnode, root: Vnode): ParentLookup | number {
  const parts = split(path);
  if (typeof parts === 'number') return parts;
  const start = path.startsWith('/') ? root : cwd;
  if (parts.length === 0) return { dir: start, name: '', trailingSlash: true };
  const dir = walk(start, parts.slice(0, -1), root);
  if (typeof dir === 'number') return dir;
  if (dir.type !== 'dir') return -ENOTDIR;
  return { dir, name: parts[parts.length - 1]!, trailingSlash: path.endsWith('/') };
}
