// Source patterns of the manifest: a literal path, or `*` wildcards in the last component only
// (`libfutura/src/*.c`). Matches are sorted so builds (and archive member order) are reproducible.
import type { FileSource, SourceKind } from './types';

function globRegExp(pattern: string): RegExp {
  const body = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*');
  return new RegExp(`^${body}$`);
}

/** Files matching a pattern: null when a literal path does not exist; [] when a wildcard matches none. */
export function expandPattern(pattern: string, files: FileSource): string[] | null {
  const slash = pattern.lastIndexOf('/');
  const dir = slash < 0 ? '' : pattern.slice(0, slash);
  const last = pattern.slice(slash + 1);
  if (!last.includes('*')) return files.read(pattern) === undefined ? null : [pattern];
  const names = files.list(dir === '' ? '.' : dir) ?? [];
  const re = globRegExp(last);
  return names
    .filter((n) => re.test(n) && !n.startsWith('.'))
    .sort()
    .map((n) => (dir === '' ? n : `${dir}/${n}`));
}

/** How a file is compiled, from its extension (GCC's rules: .S goes through the preprocessor). */
export function sourceKind(path: string): SourceKind | null {
  if (path.endsWith('.c')) return 'c';
  if (path.endsWith('.S')) return 'asm-cpp';
  if (path.endsWith('.s')) return 'asm';
  return null;
}
