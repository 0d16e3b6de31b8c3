// The build graph's contracts: where files come from, where cached results go, what a toolchain
// does, and what a build reports. Paths are workspace-relative with '/' separators (the workspace
// is the manifest's folder), so diagnostics name files the way an editor shows them.
import type { Diagnostic } from '../diag';

export type { Diagnostic, Severity } from '../diag';

/** Read access to the workspace. Implementations never throw: a missing file is `undefined`. */
export interface FileSource {
  read(path: string): Uint8Array | undefined;
  /** Names of the regular files in a folder (not recursive), or undefined when it does not exist. */
  list(dir: string): string[] | undefined;
}

/** A content-addressed store: keys are hex hashes. Implementations never throw. */
export interface CacheStore {
  get(key: string): Uint8Array | undefined;
  put(key: string, data: Uint8Array): void;
}

export type SourceKind = 'c' | 'asm-cpp' | 'asm';

/** One compilation: a source file with its effective flags. */
export interface CompileRequest {
  path: string;
  kind: SourceKind;
  /** Effective flags (manifest, library/program, command line), in order. */
  cflags: readonly string[];
  /** -I folders (workspace-relative), manifest order. */
  includeDirs: readonly string[];
}

export interface CompileOutcome {
  ok: boolean;
  /** ELF32 relocatable object when ok. */
  object: Uint8Array | null;
  diagnostics: Diagnostic[];
  /** Every file read (the source and each header), for the cache key. */
  includes: string[];
}

/** A C compiler + assembler; linking is always ours, with the same rules for every toolchain. */
export interface Toolchain {
  /** Identifies the compiler and its version: part of every cache key. */
  readonly id: string;
  /** How many compilations may run at once (a pure in-process compiler: 1). */
  readonly parallel: number;
  compile(req: CompileRequest, files: FileSource): Promise<CompileOutcome>;
  /** The compiler runtime archive linked last into every program (libgcc, futcc's rt), if any. */
  runtime(): Promise<{ name: string; data: Uint8Array } | null>;
}

export type UnitKind = 'compile' | 'archive' | 'link';

export interface UnitRef {
  kind: UnitKind;
  /** Source path (compile), library name (archive) or program name (link). */
  name: string;
}

export type BuildEvent =
  | { type: 'start'; units: number }
  /** `index` is the unit's 1-based position among `units` (the last unit has index === units). */
  | { type: 'unit-start'; unit: UnitRef; index: number; units: number }
  | { type: 'unit-finish'; unit: UnitRef; ok: boolean; cached: boolean; index: number; units: number }
  | { type: 'finish'; ok: boolean; stats: BuildStats };

export interface BuildStats {
  /** Compilations actually run (cache misses). */
  compiled: number;
  /** Objects taken from the cache. */
  reused: number;
  /** Archives written this build. */
  archived: number;
  /** Programs linked this build. */
  linked: number;
  errors: number;
  warnings: number;
  ms: number;
}

export interface ImageFile {
  /** Absolute guest path. */
  path: string;
  data: Uint8Array;
  mode: number;
}

/** The RamFS contents the kernel boots from: folders first (in creation order), then files. */
export interface Image {
  dirs: string[];
  files: ImageFile[];
}

export interface BuiltProgram {
  name: string;
  /** Guest path it is installed at. */
  install: string;
  elf: Uint8Array;
}

export interface BuildResult {
  ok: boolean;
  diagnostics: Diagnostic[];
  programs: BuiltProgram[];
  /** Null when the build failed. */
  image: Image | null;
  stats: BuildStats;
}
