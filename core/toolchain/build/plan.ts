// From a checked manifest to the build's units: the distinct compilations (a source with its
// effective flags), each library's members and startup object, each program's link inputs.
// Problems found here (a missing source, an unknown extension) are diagnostics on the manifest.
import type { Diagnostic } from '../diag';
import { expandPattern, sourceKind } from './glob';
import type { Manifest, ManifestParse } from './manifest';
import type { CompileRequest, FileSource } from './types';

export interface PlannedLibrary {
  name: string;
  /** Compile-unit ids of the archive's members, in order. */
  members: string[];
  startup: string | null;
}

export interface PlannedProgram {
  name: string;
  install: string;
  objects: string[];
  libs: string[];
}

export interface Plan {
  /** Compile units by id, in first-use order. */
  units: Map<string, CompileRequest>;
  libraries: PlannedLibrary[];
  programs: PlannedProgram[];
  diagnostics: Diagnostic[];
}

export function planBuild(
  m: Manifest,
  parse: ManifestParse,
  files: FileSource,
  manifestPath: string,
  extraCflags: readonly string[],
): Plan {
  const units = new Map<string, CompileRequest>();
  const diagnostics: Diagnostic[] = [];
  const report = (field: string, severity: 'error' | 'warning', message: string): void => {
    const { line, col } = parse.at(field);
    diagnostics.push({ file: manifestPath, line, col, severity, message });
  };
  const unit = (path: string, cflags: readonly string[], field: string): string | null => {
    const kind = sourceKind(path);
    if (kind === null) {
      report(field, 'error', `'${path}': not a C or assembly source (.c, .S, .s)`);
      return null;
    }
    const flags = [...m.cflags, ...cflags, ...extraCflags];
    const id = `${path}\0${JSON.stringify(flags)}`;
    if (!units.has(id)) units.set(id, { path, kind, cflags: flags, includeDirs: m.include });
    return id;
  };
  const expand = (patterns: readonly string[], cflags: readonly string[], field: string): string[] => {
    const ids: string[] = [];
    patterns.forEach((p, i) => {
      const matches = expandPattern(p, files);
      if (matches === null) report(`${field}.${i}`, 'error', `'${p}': no such file`);
      else if (matches.length === 0) report(`${field}.${i}`, 'warning', `'${p}' matches no file`);
      for (const path of matches ?? []) {
        const id = unit(path, cflags, `${field}.${i}`);
        if (id !== null && !ids.includes(id)) ids.push(id);
      }
    });
    return ids;
  };

  const libraries = m.libraries.map((lib, li): PlannedLibrary => {
    const field = `libraries.${li}`;
    const members = expand(lib.sources, lib.cflags, `${field}.sources`);
    let startup: string | null = null;
    if (lib.startup !== null) {
      if (files.read(lib.startup) === undefined)
        report(`${field}.startup`, 'error', `'${lib.startup}': no such file`);
      else startup = unit(lib.startup, lib.cflags, `${field}.startup`);
    }
    return { name: lib.name, members, startup };
  });
  const programs = m.programs.map((p, pi): PlannedProgram => {
    const objects = expand(p.sources, p.cflags, `programs.${pi}.sources`);
    if (objects.length === 0 && p.sources.length > 0)
      report(`programs.${pi}.sources`, 'error', `program '${p.name}' has no source files`);
    return { name: p.name, install: p.install, objects, libs: p.libs };
  });
  return { units, libraries, programs, diagnostics };
}
