// The boot image writer: the RamFS contents a build produces — the manifest's folders, its files
// (read from the workspace) and the linked programs at their install paths. Every parent folder
// is listed before its children, so a consumer can create them in order.
import type { Diagnostic } from '../diag';
import type { ManifestParse, Manifest } from './manifest';
import type { BuiltProgram, FileSource, Image, ImageFile } from './types';

function parents(path: string): string[] {
  const out: string[] = [];
  for (let i = path.indexOf('/', 1); i > 0; i = path.indexOf('/', i + 1)) out.push(path.slice(0, i));
  return out;
}

export function writeImage(
  m: Manifest,
  parse: ManifestParse,
  files: FileSource,
  manifestPath: string,
  programs: readonly BuiltProgram[],
): { image: Image; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const dirs: string[] = [];
  const seenDirs = new Set<string>();
  const addDir = (d: string): void => {
    for (const p of [...parents(d), d]) {
      if (!seenDirs.has(p)) {
        seenDirs.add(p);
        dirs.push(p);
      }
    }
  };
  const out: ImageFile[] = [];
  const owner = new Map<string, string>();
  const place = (path: string, data: Uint8Array, mode: number, what: string, field: string): void => {
    const prev = owner.get(path);
    if (prev !== undefined || seenDirs.has(path)) {
      const { line, col } = parse.at(field);
      const message = `${what} would overwrite ${prev ?? 'the folder'} at '${path}' in the image`;
      diagnostics.push({ file: manifestPath, line, col, severity: 'error', message });
      return;
    }
    for (const p of parents(path)) addDir(p);
    owner.set(path, what);
    out.push({ path, data, mode });
  };
  for (const d of m.image.dirs) addDir(d);
  programs.forEach((p) => {
    const i = m.programs.findIndex((q) => q.name === p.name);
    place(p.install, p.elf, 0o755, `program '${p.name}'`, `programs.${i}.install`);
  });
  m.image.files.forEach((f, i) => {
    const data = files.read(f.src);
    if (data === undefined) {
      const { line, col } = parse.at(`image.files.${i}.src`);
      diagnostics.push({
        file: manifestPath,
        line,
        col,
        severity: 'error',
        message: `'${f.src}': no such file`,
      });
      return;
    }
    place(f.dst, data, f.mode, `'${f.src}'`, `image.files.${i}.dst`);
  });
  // A file placed before a folder of the same name was declared: report it too.
  for (const f of out) {
    if (seenDirs.has(f.path)) {
      const message = `'${f.path}' is both a file and a folder in the image`;
      diagnostics.push({ file: manifestPath, line: 1, col: 1, severity: 'error', message });
    }
  }
  return { image: { dirs, files: out }, diagnostics };
}
