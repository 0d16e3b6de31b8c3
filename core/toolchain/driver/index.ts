// futcc's driver: the one entry point that turns sources into objects and objects into a
// program, shared by `futura cc`, the build system and the IDE. Pure: files come through the
// preprocessor's SourceProvider; outputs are byte arrays. Never throws on any input.
//
//   compileUnit   .c → .o (front end, code generator, assembler); .S → cpp + assembler; .s → assembler
//   linkProgram   objects + archives + libfutcc-rt.a (last, so the program's own definitions win)
//   runtimeArchive  the compiler runtime library (64-bit arithmetic, int↔float, memcpy & co.)
import { assembleToElf } from '../asm/assembler';
import { compileToAssembly, type CodegenOptions } from '../cc/codegen/index';
import { preprocessToText, type CompileOptions, type SourceProvider } from '../cc/index';
import { SYSTEM_INCLUDE_DIR } from '../cc/headers';
import type { Diagnostic } from '../diag';
import { link } from '../link/linker';
import { runtimeArchive, RUNTIME_ARCHIVE_NAME } from '../rt/index';
import { assembleUnit } from './asm-source';

export type { SourceProvider } from '../cc/index';
export type { Diagnostic } from '../diag';
export { runtimeArchive, RUNTIME_ARCHIVE_NAME } from '../rt/index';

export type OptLevel = 0 | 1 | 2 | 3;

export interface CompileUnitOptions {
  /** Path of the source as the provider knows it; the extension picks the language (.c, .S, .s). */
  path: string;
  provider: SourceProvider;
  /** Text of the main file (else read through the provider). */
  text?: string;
  /** -I directories, searched before the toolchain's own headers. */
  includeDirs?: string[];
  /** -D: `NAME` or `NAME=value`. */
  defines?: string[];
  /** -U names. */
  undefines?: string[];
  /** -O level (-Os maps to 2): 0 is the plain scheme, 1+ register locals, folding, peephole. */
  optLevel?: OptLevel;
  /** -g: `.loc` line information (kept by the linker for the debugger and the IDE) and DWARF. */
  debug?: boolean;
  /** -g: the directory relative source names are resolved against (DW_AT_comp_dir). */
  compDir?: string;
  wall?: boolean;
  werror?: boolean;
  /** -w: drop every warning. */
  noWarnings?: boolean;
}

export interface UnitResult {
  ok: boolean;
  /** The ELF32 relocatable object, or null when there were errors. */
  object: Uint8Array | null;
  /** Errors and warnings of every stage, each with file:line:col. */
  diagnostics: Diagnostic[];
  /** Every file read (the source and its headers), for dependency tracking. */
  includes: string[];
  /** The generated assembly of a .c unit (what `-S` writes). */
  asm?: string;
}

export type SourceKind = 'c' | 'asm-cpp' | 'asm' | 'object' | 'archive' | 'unknown';

/** What a file name is, by its extension (as gcc decides). */
export function sourceKind(path: string): SourceKind {
  if (/\.(c|h|i)$/.test(path)) return 'c';
  if (/\.S$/.test(path)) return 'asm-cpp';
  if (/\.s$/.test(path)) return 'asm';
  if (/\.o$/.test(path)) return 'object';
  if (/\.a$/.test(path)) return 'archive';
  return 'unknown';
}

function finish(ds: Diagnostic[], noWarnings: boolean | undefined): Diagnostic[] {
  return noWarnings ? ds.filter((d) => d.severity === 'error') : ds;
}

/** Compiles or assembles one translation unit into an object. */
export function compileUnit(opts: CompileUnitOptions): UnitResult {
  const kind = sourceKind(opts.path);
  if (kind === 'asm' || kind === 'asm-cpp') {
    const r = assembleUnit(opts);
    const ok = r.object !== null && !r.diagnostics.some((d) => d.severity === 'error');
    return {
      ok,
      object: ok ? r.object : null,
      diagnostics: finish(r.diagnostics, opts.noWarnings),
      includes: r.includes,
    };
  }
  if (kind !== 'c') {
    const message = `${opts.path}: not a C or assembly source (expected .c, .S or .s)`;
    return {
      ok: false,
      object: null,
      diagnostics: [{ file: opts.path, line: 0, col: 0, severity: 'error', message }],
      includes: [],
    };
  }
  const ccOpts: CompileOptions & CodegenOptions = {
    path: opts.path,
    provider: opts.provider,
    text: opts.text,
    includeDirs: opts.includeDirs,
    defines: opts.defines,
    undefines: opts.undefines,
    wall: opts.wall,
    werror: opts.werror,
    optLevel: opts.optLevel,
    debug: opts.debug,
    compDir: opts.compDir,
  };
  const cc = compileToAssembly(ccOpts);
  const diagnostics = [...cc.diagnostics];
  if (!cc.ok)
    return {
      ok: false,
      object: null,
      diagnostics: finish(diagnostics, opts.noWarnings),
      includes: cc.includes,
    };
  const as = assembleToElf(cc.asm, { file: opts.path });
  for (const d of as.diagnostics)
    diagnostics.push({
      ...d,
      message: `internal compiler error: generated assembly line ${d.line}: ${d.message}`,
      line: 1,
      col: 1,
    });
  const ok = as.elf !== null && !diagnostics.some((d) => d.severity === 'error');
  return {
    ok,
    object: ok ? as.elf : null,
    diagnostics: finish(diagnostics, opts.noWarnings),
    includes: cc.includes,
    asm: cc.asm,
  };
}

/** Assembly text of a .c unit (`-S`), without assembling it. */
export function compileUnitToAssembly(opts: CompileUnitOptions): {
  ok: boolean;
  asm: string;
  diagnostics: Diagnostic[];
  includes: string[];
} {
  const ccOpts: CompileOptions & CodegenOptions = { ...opts };
  const r = compileToAssembly(ccOpts);
  return { ok: r.ok, asm: r.asm, diagnostics: finish(r.diagnostics, opts.noWarnings), includes: r.includes };
}

/** `-E`: the preprocessed text of a C or .S source. */
export function preprocessUnit(opts: CompileUnitOptions): {
  ok: boolean;
  text: string;
  diagnostics: Diagnostic[];
  includes: string[];
} {
  const r = preprocessToText({ ...opts, asm: sourceKind(opts.path) === 'asm-cpp' });
  const ok = !r.diagnostics.some((d) => d.severity === 'error');
  return { ok, text: r.text, diagnostics: finish(r.diagnostics, opts.noWarnings), includes: r.includes };
}

export interface NamedBytes {
  name: string;
  bytes: Uint8Array;
}

export interface LinkProgramOptions {
  /** Objects, linked in this order. */
  objects: NamedBytes[];
  /** Archives (e.g. -l libraries), searched after the objects, in order. */
  archives?: NamedBytes[];
  /** -nostdlib: do not append libfutcc-rt.a. */
  noRuntime?: boolean;
  /** Produce the link map text. */
  map?: boolean;
  /** Entry symbol (default `_start`). */
  entry?: string;
}

export interface LinkProgramResult {
  ok: boolean;
  elf: Uint8Array | null;
  map?: string;
  diagnostics: Diagnostic[];
}

/** Links objects and archives into an executable, with the runtime archive appended last. */
export function linkProgram(opts: LinkProgramOptions): LinkProgramResult {
  const inputs = [...opts.objects, ...(opts.archives ?? [])].map((x) => ({ name: x.name, data: x.bytes }));
  if (!opts.noRuntime) inputs.push({ name: RUNTIME_ARCHIVE_NAME, data: runtimeArchive() });
  const r = link(inputs, { map: opts.map, entry: opts.entry });
  const ok = r.elf !== null && !r.diagnostics.some((d) => d.severity === 'error');
  return { ok, elf: ok ? r.elf : null, map: r.map ?? undefined, diagnostics: r.diagnostics };
}

/** Virtual directory of the freestanding headers (stddef.h, stdint.h, stdarg.h, ...). */
export function toolchainIncludeDir(): string {
  return SYSTEM_INCLUDE_DIR;
}

export interface BuildProgramOptions
  extends Omit<CompileUnitOptions, 'path' | 'text'>, Omit<LinkProgramOptions, 'objects'> {
  /** Sources (.c, .S, .s) compiled one by one, then linked in order with `objects`. */
  sources: string[];
  objects?: NamedBytes[];
}

/** Compile every source and link: the whole `futcc -o prog a.c b.S` in one call. */
export function buildProgram(opts: BuildProgramOptions): LinkProgramResult & { units: UnitResult[] } {
  const units = opts.sources.map((path) => compileUnit({ ...opts, path }));
  const diagnostics = units.flatMap((u) => u.diagnostics);
  if (units.some((u) => !u.ok)) return { ok: false, elf: null, diagnostics, units };
  const objects = units.map((u, i) => ({
    name: (opts.sources[i] ?? '').replace(/\.[cSs]$/, '.o'),
    bytes: u.object as Uint8Array,
  }));
  const r = linkProgram({ ...opts, objects: [...objects, ...(opts.objects ?? [])] });
  return { ...r, diagnostics: [...diagnostics, ...r.diagnostics], units };
}
