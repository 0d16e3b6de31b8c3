// POSIX-style path helpers for include resolution (the compiler is pure: no node:path).

export function dirname(p: string): string {
  const i = p.lastIndexOf('/');
  if (i < 0) return '.';
  if (i === 0) return '/';
  return p.slice(0, i);
}

export function joinPath(dir: string, name: string): string {
  if (name.startsWith('/')) return normalizePath(name);
  if (dir === '' || dir === '.') return normalizePath(name);
  return normalizePath(`${dir}/${name}`);
}

/** Removes `.` and `x/..` segments and duplicate slashes. */
export function normalizePath(p: string): string {
  const abs = p.startsWith('/');
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..' && out.length && out[out.length - 1] !== '..') out.pop();
    else if (seg === '..' && abs) continue;
    else out.push(seg);
  }
  const s = out.join('/');
  return abs ? `/${s}` : s || '.';
}
