// The explorer's tree, built from the session's flat file list (paths relative, '/'-separated).
import type { FileEntry } from '../../../core/protocol/messages';

export interface TreeNode {
  name: string;
  path: string;
  kind: 'file' | 'dir';
  children: TreeNode[];
}

/** Folders first, then files, each sorted by name; parents are implied when missing. */
export function buildTree(entries: readonly FileEntry[]): TreeNode[] {
  const root: TreeNode = { name: '', path: '', kind: 'dir', children: [] };
  const dirs = new Map<string, TreeNode>([['', root]]);
  const dirFor = (path: string): TreeNode => {
    const found = dirs.get(path);
    if (found) return found;
    const cut = path.lastIndexOf('/');
    const parent = dirFor(cut < 0 ? '' : path.slice(0, cut));
    const node: TreeNode = { name: path.slice(cut + 1), path, kind: 'dir', children: [] };
    parent.children.push(node);
    dirs.set(path, node);
    return node;
  };
  for (const e of entries) {
    const path = e.path.replace(/\\/g, '/').replace(/\/+$/, '');
    if (!path) continue;
    if (e.kind === 'dir') {
      dirFor(path);
      continue;
    }
    const cut = path.lastIndexOf('/');
    const parent = dirFor(cut < 0 ? '' : path.slice(0, cut));
    parent.children.push({ name: path.slice(cut + 1), path, kind: 'file', children: [] });
  }
  const sort = (n: TreeNode): void => {
    n.children.sort((a, b) =>
      a.kind !== b.kind ? (a.kind === 'dir' ? -1 : 1) : a.name.localeCompare(b.name),
    );
    n.children.forEach(sort);
  };
  sort(root);
  return root.children;
}

/** The folder a new entry goes into when `selected` is the current selection. */
export function folderOf(selected: string | null, kindOfSelected: 'file' | 'dir' | null): string {
  if (!selected) return '';
  if (kindOfSelected === 'dir') return selected;
  const cut = selected.lastIndexOf('/');
  return cut < 0 ? '' : selected.slice(0, cut);
}

/** Validates a name typed by the user for a new file, folder or rename. */
export function checkName(name: string): string | null {
  const n = name.trim();
  if (!n) return 'a name is needed';
  if (n === '.' || n === '..') return 'not a valid name';
  if (/[\\/\0]/.test(n)) return 'a name cannot contain / or \\';
  return null;
}

export function joinPath(dir: string, name: string): string {
  return dir ? `${dir}/${name.trim()}` : name.trim();
}
