// The userland manifest (futura.json): libraries, programs and the RamFS image, parsed and checked
// with every problem reported at once as a diagnostic on the manifest (file:line:col + field), so
// the IDE can mark them like compiler errors. Unknown fields are ignored (forward compatibility).
//
//   version    1 (required)
//   name       the userland's name (required)
//   toolchain  "futcc" (default) or "gcc"; the command line and the IDE may override it
//   cflags     GCC-style flags for every unit; a library's or program's own cflags come after
//   include    -I folders
//   libraries  [{ name, sources, startup?, cflags? }]: sources become lib<name>.a; `startup`
//              (crt0) is linked first into every program using the library
//   programs   [{ name, sources, libs?, install? (default /bin/NAME), cflags? }]: linked as
//              startup objects, the program's objects, its libs' archives in order, the runtime
//   image      { dirs: [guest folders], files: [{ src, dst, mode? (default "0644") }] }
//
// Paths are relative to the manifest's folder and stay inside it; `*` may appear only in the last
// component of a source pattern. Guest paths are absolute.
import { normalizePath } from '../cc/paths';
import { sortDiagnostics, type Diagnostic } from '../diag';
import { JsonSyntaxError, parseJsonWithPositions, type JsonValue, type Pos } from './json';

export const MANIFEST_NAME = 'futura.json';

export type ToolchainName = 'futcc' | 'gcc';
export const TOOLCHAINS: readonly ToolchainName[] = ['futcc', 'gcc'];

export interface ManifestLibrary {
  name: string;
  /** Workspace-relative paths; `*` may appear in the last component. */
  sources: string[];
  /** Linked first into every program using the library (crt0). */
  startup: string | null;
  cflags: string[];
}

export interface ManifestProgram {
  name: string;
  sources: string[];
  /** Library names, linked as archives in this order. */
  libs: string[];
  /** Absolute guest path (default /bin/NAME). */
  install: string;
  cflags: string[];
}

export interface ManifestImageFile {
  src: string;
  dst: string;
  mode: number;
}

export interface Manifest {
  version: 1;
  name: string;
  toolchain: ToolchainName | null;
  cflags: string[];
  include: string[];
  libraries: ManifestLibrary[];
  programs: ManifestProgram[];
  image: { dirs: string[]; files: ManifestImageFile[] };
}

export interface ManifestParse {
  manifest: Manifest | null;
  diagnostics: Diagnostic[];
  /** Where a field starts (`programs.0.sources.1`), for later diagnostics about it. */
  at(field: string): Pos;
}

type Obj = { [k: string]: JsonValue };

const NAME_RE = /^[A-Za-z0-9_][A-Za-z0-9_.+-]*$/;

function isObj(v: JsonValue | undefined): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Shows a field path the way a user would write it: `programs[0].install`. */
export function fieldName(path: string): string {
  return path
    .split('.')
    .map((p, i) => (/^\d+$/.test(p) ? `[${p}]` : i === 0 ? p : `.${p}`))
    .join('');
}

class Checker {
  readonly diagnostics: Diagnostic[] = [];

  constructor(
    readonly file: string,
    readonly positions: Map<string, Pos>,
  ) {}

  at(field: string): Pos {
    for (let f = field; ; f = f.slice(0, Math.max(0, f.lastIndexOf('.')))) {
      const p = this.positions.get(f);
      if (p) return p;
      if (f === '') return { line: 1, col: 1 };
    }
  }

  error(field: string, message: string): void {
    const { line, col } = this.at(field);
    const where = field === '' ? '' : `${fieldName(field)}: `;
    this.diagnostics.push({ file: this.file, line, col, severity: 'error', message: `${where}${message}` });
  }

  string(o: Obj, field: string, key: string, dflt?: string): string | null {
    const v = o[key];
    if (v === undefined && dflt !== undefined) return dflt;
    if (typeof v === 'string' && v.length > 0) return v;
    this.error(`${field}${key}`, v === undefined ? 'is required' : 'must be a non-empty string');
    return null;
  }

  strings(o: Obj, field: string, key: string, required = false): string[] {
    const v = o[key];
    if (v === undefined && !required) return [];
    if (!Array.isArray(v)) {
      this.error(`${field}${key}`, v === undefined ? 'is required' : 'must be an array of strings');
      return [];
    }
    const out: string[] = [];
    v.forEach((s, i) => {
      if (typeof s === 'string' && s.length > 0) out.push(s);
      else this.error(`${field}${key}.${i}`, 'must be a non-empty string');
    });
    return out;
  }

  /** A path inside the workspace: relative, no escaping with `..`, `*` only in the last part. */
  relPath(s: string, field: string, glob: boolean): string | null {
    if (s.startsWith('/') || /^[A-Za-z]:[\\/]/.test(s) || s.includes('\\')) {
      this.error(field, `'${s}' must be a relative path with '/' separators (relative to ${this.file})`);
      return null;
    }
    const p = normalizePath(s);
    if (p === '.' || p === '..' || p.startsWith('../')) {
      this.error(field, `'${s}' is outside the workspace`);
      return null;
    }
    const parts = p.split('/');
    if (parts.slice(0, -1).some((c) => c.includes('*'))) {
      this.error(field, `'${s}': '*' is only allowed in the last path component`);
      return null;
    }
    if (!glob && p.includes('*')) {
      this.error(field, `'${s}': wildcards are not allowed here`);
      return null;
    }
    return p;
  }

  guestPath(s: string, field: string): string | null {
    if (!s.startsWith('/')) {
      this.error(field, `'${s}' must be an absolute guest path (starting with '/')`);
      return null;
    }
    const p = normalizePath(s);
    if (p === '/') {
      this.error(field, `'${s}' must name something below '/'`);
      return null;
    }
    return p;
  }

  sources(o: Obj, field: string, required: boolean): string[] {
    return this.strings(o, field, 'sources', required)
      .map((s, i) => this.relPath(s, `${field}sources.${i}`, true))
      .filter((p): p is string => p !== null);
  }

  uniqueName(o: Obj, field: string, seen: Set<string>, what: string): string | null {
    const name = this.string(o, field, 'name');
    if (name === null) return null;
    if (!NAME_RE.test(name)) {
      this.error(`${field}name`, `'${name}' is not a valid ${what} name (letters, digits, _ . + -)`);
      return null;
    }
    if (seen.has(name)) this.error(`${field}name`, `duplicate ${what} '${name}'`);
    seen.add(name);
    return name;
  }

  mode(o: Obj, field: string): number {
    const v = o.mode;
    if (v === undefined) return 0o644;
    if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 0o7777) return v;
    if (typeof v === 'string' && /^0?[0-7]{1,4}$/.test(v)) return parseInt(v, 8);
    this.error(`${field}mode`, 'must be a permission mode like "0755" (octal string) or 493 (number)');
    return 0o644;
  }

  list(root: Obj, key: string): Array<{ o: Obj; field: string }> {
    const v = root[key];
    if (v === undefined) return [];
    if (!Array.isArray(v)) {
      this.error(key, 'must be an array');
      return [];
    }
    const out: Array<{ o: Obj; field: string }> = [];
    v.forEach((item, i) => {
      if (isObj(item)) out.push({ o: item, field: `${key}.${i}.` });
      else this.error(`${key}.${i}`, 'must be an object');
    });
    return out;
  }
}

function libraries(c: Checker, root: Obj): ManifestLibrary[] {
  const seen = new Set<string>();
  const out: ManifestLibrary[] = [];
  for (const { o, field } of c.list(root, 'libraries')) {
    const name = c.uniqueName(o, field, seen, 'library');
    const sources = c.sources(o, field, true);
    let startup: string | null = null;
    if (o.startup !== undefined) {
      const s = c.string(o, field, 'startup');
      startup = s === null ? null : c.relPath(s, `${field}startup`, false);
    }
    const cflags = c.strings(o, field, 'cflags');
    if (name !== null) out.push({ name, sources, startup, cflags });
  }
  return out;
}

function programs(c: Checker, root: Obj, libs: ReadonlySet<string>): ManifestProgram[] {
  const seen = new Set<string>();
  const installs = new Map<string, string>();
  const out: ManifestProgram[] = [];
  const list = c.list(root, 'programs');
  if (root.programs !== undefined && list.length === 0 && Array.isArray(root.programs))
    c.error('programs', 'lists no program');
  for (const { o, field } of list) {
    const name = c.uniqueName(o, field, seen, 'program');
    const sources = c.sources(o, field, true);
    const linked = c.strings(o, field, 'libs');
    linked.forEach((l, i) => {
      if (!libs.has(l)) c.error(`${field}libs.${i}`, `unknown library '${l}'`);
    });
    // No install given: /bin/NAME (and nothing to say when the name itself was already wrong).
    let install: string | null = null;
    if (o.install !== undefined) {
      const text = c.string(o, field, 'install');
      install = text === null ? null : c.guestPath(text, `${field}install`);
    } else if (name !== null) install = `/bin/${name}`;
    if (install !== null && name !== null) {
      const other = installs.get(install);
      if (other !== undefined)
        c.error(`${field}install`, `'${install}' is already the install path of '${other}'`);
      installs.set(install, name);
    }
    const cflags = c.strings(o, field, 'cflags');
    if (name !== null && install !== null) out.push({ name, sources, libs: linked, install, cflags });
  }
  return out;
}

function image(c: Checker, root: Obj): Manifest['image'] {
  const v = root.image;
  if (v === undefined) return { dirs: [], files: [] };
  if (!isObj(v)) {
    c.error('image', 'must be an object');
    return { dirs: [], files: [] };
  }
  const dirs = c
    .strings(v, 'image.', 'dirs')
    .map((d, i) => c.guestPath(d, `image.dirs.${i}`))
    .filter((d): d is string => d !== null);
  const files: ManifestImageFile[] = [];
  for (const { o, field } of c.list(v, 'files').map((e) => ({ ...e, field: `image.${e.field}` }))) {
    const srcText = c.string(o, field, 'src');
    const dstText = c.string(o, field, 'dst');
    const src = srcText === null ? null : c.relPath(srcText, `${field}src`, false);
    const dst = dstText === null ? null : c.guestPath(dstText, `${field}dst`);
    const mode = c.mode(o, field);
    if (src !== null && dst !== null) files.push({ src, dst, mode });
  }
  return { dirs, files };
}

/** Parses and checks a manifest's text. `file` is its workspace-relative name for diagnostics. */
export function parseManifest(text: string, file = MANIFEST_NAME): ManifestParse {
  let parsed;
  try {
    parsed = parseJsonWithPositions(text);
  } catch (e) {
    const pos = e instanceof JsonSyntaxError ? e.pos : { line: 1, col: 1 };
    const message = `invalid JSON: ${e instanceof Error ? e.message : String(e)}`;
    return {
      manifest: null,
      diagnostics: [{ file, line: pos.line, col: pos.col, severity: 'error', message }],
      at: () => pos,
    };
  }
  const c = new Checker(file, parsed.positions);
  const at = (field: string): Pos => c.at(field);
  const root = parsed.value;
  if (!isObj(root)) {
    c.error('', 'the manifest must be a JSON object');
    return { manifest: null, diagnostics: c.diagnostics, at };
  }
  if (root.version !== 1)
    c.error(
      'version',
      root.version === undefined
        ? 'is required (1)'
        : `unsupported version ${JSON.stringify(root.version)} (expected 1)`,
    );
  const name = c.string(root, '', 'name');
  let toolchain: ToolchainName | null = null;
  if (root.toolchain !== undefined) {
    if (typeof root.toolchain === 'string' && (TOOLCHAINS as readonly string[]).includes(root.toolchain))
      toolchain = root.toolchain as ToolchainName;
    else c.error('toolchain', `must be one of ${TOOLCHAINS.map((t) => `"${t}"`).join(', ')}`);
  }
  const cflags = c.strings(root, '', 'cflags');
  const include = c
    .strings(root, '', 'include')
    .map((d, i) => c.relPath(d, `include.${i}`, false))
    .filter((d): d is string => d !== null);
  const libs = libraries(c, root);
  if (root.programs === undefined) c.error('programs', 'is required');
  const progs = programs(c, root, new Set(libs.map((l) => l.name)));
  const img = image(c, root);
  if (c.diagnostics.length > 0 || name === null)
    return { manifest: null, diagnostics: sortDiagnostics(c.diagnostics), at };
  return {
    manifest: { version: 1, name, toolchain, cflags, include, libraries: libs, programs: progs, image: img },
    diagnostics: [],
    at,
  };
}
