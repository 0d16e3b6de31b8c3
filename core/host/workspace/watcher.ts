// Notices changes made to the workspace behind the app's back (another editor, git, a build
// script): a recursive fs.watch, debounced, reporting workspace-relative paths. The app's own
// atomic-save temporaries are not reported. Where watching is impossible it quietly does nothing.
import { watch, type FSWatcher } from 'node:fs';
import { basename } from 'node:path';

const DEBOUNCE_MS = 100;
const SKIP_DIRS = /(^|\/)(\.git|node_modules)(\/|$)/;

export function watchWorkspace(root: string, onChange: (paths: string[]) => void): () => void {
  let watcher: FSWatcher;
  const pending = new Set<string>();
  let timer: ReturnType<typeof setTimeout> | null = null;
  try {
    watcher = watch(root, { recursive: true }, (_event, name) => {
      if (!name) return;
      const rel = name.toString().replace(/\\/g, '/');
      const base = basename(rel);
      if (SKIP_DIRS.test(rel) || (base.startsWith('.') && base.endsWith('.tmp'))) return;
      pending.add(rel);
      if (timer) return;
      timer = setTimeout(() => {
        timer = null;
        const paths = [...pending].sort();
        pending.clear();
        onChange(paths);
      }, DEBOUNCE_MS);
    });
    watcher.on('error', () => watcher.close());
  } catch {
    return () => {};
  }
  return () => {
    if (timer) clearTimeout(timer);
    watcher.close();
  };
}
