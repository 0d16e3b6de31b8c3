// `futura cc`: futcc with gcc's command line. Compiles .c, preprocesses and assembles .S,
// assembles .s, and links those with the .o/.a inputs, the -l libraries and libfutcc-rt.a
// (nothing else: the program brings its own _start). libfutura's headers (the bundled sample's
// libfutura/include) are searched after the -I folders, as a system include folder is, so
// `#include <stdio.h>` finds Futura's. Diagnostics are printed like gcc's, with the source line and
// a caret; any error gives exit status 1 (2 for a bad command line).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Command } from 'commander';
import type { CliContext } from '../context';
import { formatDiagnostic as formatLinkDiagnostic } from '../../toolchain/asm/diag';
import { formatDiagnostic, type Diagnostic } from '../../toolchain/diag';
import {
  compileUnit,
  compileUnitToAssembly,
  linkProgram,
  preprocessUnit,
  sourceKind,
  type CompileUnitOptions,
  type NamedBytes,
} from '../../toolchain/driver/index';
import { parseCcArgs, type CcArgs } from './cc-args';
import { BUNDLED_SAMPLE } from '../../host/paths';

/** Where `#include <…>` ends up when no -I folder has the header: the Futura userland's own. */
export const LIBFUTURA_INCLUDE = join(BUNDLED_SAMPLE, 'libfutura', 'include');

const USAGE = `usage: futura cc [options] file...
  -c / -S / -E        compile to .o / to assembly / preprocess only
  -o FILE             output file
  -I DIR, -D NAME[=V], -U NAME
  -O0 -O1 -O2 -O3 -Os optimisation level; -g line information
  -Wall -Werror -w    warnings: more / as errors / none
  -L DIR, -lNAME      library search path, link libNAME.a
  -nostdlib           do not link libfutcc-rt.a (the compiler runtime)
  -nostdinc           do not search libfutura's headers after the -I folders
  -Wl,-Map,FILE       write a link map
inputs: .c, .S (preprocessed), .s, .o, .a
`;

/** Reads files for the compiler; unreadable files are `undefined` (the compiler reports them). */
const fsProvider = {
  read(path: string): string | undefined {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
  },
};

function printDiagnostics(list: readonly Diagnostic[]): void {
  for (const d of list) {
    const text = d.line > 0 ? fsProvider.read(d.file) : undefined;
    const s = d.line > 0 ? formatDiagnostic(d, text) : formatLinkDiagnostic(d);
    process.stderr.write(`${s}\n`);
  }
}

const hasErrors = (list: readonly Diagnostic[]): boolean => list.some((d) => d.severity === 'error');

function unitOptions(a: CcArgs, path: string): CompileUnitOptions {
  return {
    path,
    provider: fsProvider,
    includeDirs: a.noStdInc ? a.includeDirs : [...a.includeDirs, LIBFUTURA_INCLUDE],
    defines: a.defines,
    undefines: a.undefines,
    optLevel: a.optLevel,
    debug: a.debug,
    compDir: process.cwd(),
    wall: a.wall,
    werror: a.werror,
    noWarnings: a.noWarnings,
  };
}

/** `dir/name.c` → `name.o` (in the current directory, as gcc does). */
function outName(input: string, ext: string): string {
  return basename(input).replace(/\.[^.]*$/, '') + ext;
}

function write(path: string, data: Uint8Array | string, mode?: number): boolean {
  try {
    writeFileSync(path, data, mode === undefined ? undefined : { mode });
    return true;
  } catch (e) {
    process.stderr.write(`futura cc: cannot write ${path}: ${e instanceof Error ? e.message : String(e)}\n`);
    return false;
  }
}

/** Runs `futura cc`; returns the exit status. `out` receives -E output without -o. */
export function runCc(args: readonly string[], out: (s: string) => void): number {
  const a = parseCcArgs(args);
  if (typeof a === 'string') {
    process.stderr.write(`futura cc: error: ${a}\n`);
    return 2;
  }
  if (a.help) {
    out(USAGE);
    return 0;
  }
  if (a.inputs.length === 0) {
    process.stderr.write('futura cc: fatal error: no input files\n');
    return 2;
  }
  const sources = a.inputs.filter((f) => ['c', 'asm', 'asm-cpp'].includes(sourceKind(f)));
  if (a.mode !== 'link' && a.output !== null && sources.length > 1) {
    process.stderr.write('futura cc: fatal error: cannot specify -o with -c, -S or -E with multiple files\n');
    return 2;
  }
  for (const f of a.inputs) {
    if (!existsSync(f)) {
      process.stderr.write(`futura cc: error: ${f}: No such file or directory\n`);
      return 1;
    }
  }
  if (a.mode === 'preprocess') {
    let failed = false;
    // gcc -E leaves .s files alone (they are not preprocessed).
    for (const f of sources.filter((x) => sourceKind(x) !== 'asm')) {
      const r = preprocessUnit(unitOptions(a, f));
      printDiagnostics(r.diagnostics);
      if (!r.ok) failed = true;
      else if (a.output !== null) failed = !write(a.output, r.text) || failed;
      else out(r.text);
    }
    return failed ? 1 : 0;
  }
  if (a.mode === 'assemble-only') {
    let failed = false;
    for (const f of sources.filter((s) => sourceKind(s) === 'c')) {
      const r = compileUnitToAssembly(unitOptions(a, f));
      printDiagnostics(r.diagnostics);
      if (!r.ok) failed = true;
      else failed = !write(a.output ?? outName(f, '.s'), r.asm) || failed;
    }
    return failed ? 1 : 0;
  }
  // Compile every source (reporting all errors), keeping the command line's order for linking.
  const objects: NamedBytes[] = [];
  const archives: NamedBytes[] = [];
  let failed = false;
  for (const f of a.inputs) {
    const kind = sourceKind(f);
    if (kind === 'object' || kind === 'archive' || kind === 'unknown') {
      if (a.mode === 'compile') continue;
      const bytes = new Uint8Array(readFileSync(f));
      (kind === 'archive' ? archives : objects).push({ name: f, bytes });
      continue;
    }
    const r = compileUnit(unitOptions(a, f));
    printDiagnostics(r.diagnostics);
    if (!r.ok || !r.object) {
      failed = true;
      continue;
    }
    if (a.mode === 'compile') failed = !write(a.output ?? outName(f, '.o'), r.object) || failed;
    else objects.push({ name: outName(f, '.o'), bytes: r.object });
  }
  if (failed) return 1;
  if (a.mode === 'compile') return 0;
  for (const l of a.libs) {
    const hit = [...a.libDirs, '.'].map((d) => join(d, `lib${l}.a`)).find((p) => existsSync(p));
    if (!hit) {
      process.stderr.write(`futura cc: error: cannot find -l${l}\n`);
      return 1;
    }
    archives.push({ name: hit, bytes: new Uint8Array(readFileSync(hit)) });
  }
  const r = linkProgram({
    objects,
    archives,
    noRuntime: a.noRuntime,
    map: a.mapFile !== null,
    entry: a.entry,
  });
  printDiagnostics(r.diagnostics);
  if (!r.ok || !r.elf || hasErrors(r.diagnostics)) return 1;
  if (!write(a.output ?? 'a.out', r.elf, 0o755)) return 1;
  if (a.mapFile !== null && r.map !== undefined && !write(a.mapFile, r.map)) return 1;
  return 0;
}

export function registerCc(program: Command, ctx: CliContext): void {
  program
    .command('cc')
    .description('futcc: compile, assemble and link C for Futura (gcc-style options; --help for them)')
    .argument('[args...]', 'gcc-style options and inputs (.c .S .s .o .a)')
    .helpOption(false)
    .allowUnknownOption(true)
    .action((args: string[]) => {
      ctx.exitCode = runCc(args, (s) => process.stdout.write(s));
    });
}
