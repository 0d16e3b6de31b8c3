// `futura build [DIR]`: builds a userland folder (default: the bundled sample) with futcc or the
// PATH's RISC-V GCC, incrementally through the user's build cache. Diagnostics go to stderr in
// GCC's format (file:line:col, source line, caret), progress too; exit status 1 on errors.
// `--out DIR` writes the boot image (programs and files at their guest paths) as a folder tree.
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { WorkspaceBuild } from '../../host/build/workspace-build';
import { BUNDLED_SAMPLE } from '../../host/paths';
import { formatDiagnostic, sortDiagnostics } from '../../toolchain/diag';
import { TOOLCHAINS, type ToolchainName } from '../../toolchain/build/manifest';
import type { BuildEvent, BuildResult, Image } from '../../toolchain/build/types';
import type { CliContext } from '../context';

export interface BuildFlags {
  toolchain?: string;
  optimize?: string | boolean;
  out?: string;
}

/** Adds the options `build` and `boot` share. */
export function buildOptions(cmd: Command): Command {
  return cmd
    .option(
      '--toolchain <name>',
      `compiler: ${TOOLCHAINS.join(' or ')} (default: the manifest's, else futcc)`,
    )
    .option(
      '-O, --optimize [level]',
      'optimisation level for every unit (-O, -O0…-O3, -Os), after the manifest’s flags',
    )
    .option('--no-cache', 'keep the build cache in memory only (nothing read from or written to disk)');
}

/** Turns the shared flags into a build request, or an error message. */
export function buildRequest(
  flags: BuildFlags,
): { toolchain?: ToolchainName; extraCflags: string[] } | string {
  let toolchain: ToolchainName | undefined;
  if (flags.toolchain !== undefined) {
    if (!(TOOLCHAINS as readonly string[]).includes(flags.toolchain))
      return `--toolchain must be ${TOOLCHAINS.join(' or ')}, got '${flags.toolchain}'`;
    toolchain = flags.toolchain as ToolchainName;
  }
  const extraCflags: string[] = [];
  if (flags.optimize !== undefined) {
    const level = flags.optimize === true ? '' : String(flags.optimize);
    if (!/^([0-3sgz]?)$/.test(level)) return `-O takes 0, 1, 2, 3, s, g or z, got '${level}'`;
    extraCflags.push(`-O${level}`);
  }
  return { toolchain, extraCflags };
}

/**
 * Progress on stderr: one line per unit that did work (cached units are silent) as it happens; the
 * summary is held until `summary()`, so it comes after the diagnostics, as the last word.
 */
export function progressPrinter(
  err: (s: string) => void,
  prefix: string,
): { onEvent: (e: BuildEvent) => void; summary: () => void } {
  const verbs = { compile: 'CC', archive: 'AR', link: 'LD' } as const;
  let last = '';
  return {
    onEvent: (e) => {
      if (e.type === 'unit-finish' && !e.cached)
        err(`[${e.index}/${e.units}] ${verbs[e.unit.kind]} ${e.unit.name}${e.ok ? '' : ' (failed)'}\n`);
      else if (e.type === 'finish') {
        const s = e.stats;
        const problems = s.errors || s.warnings ? `; ${s.errors} error(s), ${s.warnings} warning(s)` : '';
        last = `${prefix}: ${s.compiled} compiled, ${s.reused} cached, ${s.archived} archived, ${s.linked} linked in ${s.ms} ms${problems}\n`;
      }
    },
    summary: () => {
      if (last) err(last);
      last = '';
    },
  };
}

/** Diagnostics in GCC's format, paths shown relative to the current folder so terminals link them. */
export function printDiagnostics(result: BuildResult, root: string, err: (s: string) => void): void {
  const shown = (file: string): string => {
    if (isAbsolute(file)) return file;
    const rel = relative(process.cwd(), join(root, file));
    return rel.startsWith('..') ? join(root, file) : rel;
  };
  const sources = new Map<string, string | undefined>();
  const source = (file: string): string | undefined => {
    if (!sources.has(file)) {
      const b = isAbsolute(file) ? undefined : readText(join(root, file));
      sources.set(file, b);
    }
    return sources.get(file);
  };
  for (const d of sortDiagnostics(result.diagnostics))
    err(`${formatDiagnostic({ ...d, file: shown(d.file) }, source(d.file))}\n`);
}

function readText(p: string): string | undefined {
  try {
    return readFileSync(p, 'utf8');
  } catch {
    return undefined;
  }
}

/** Writes the image as a folder tree under `out` (guest paths made relative to it). */
export function writeImageTree(image: Image, out: string): void {
  mkdirSync(out, { recursive: true });
  for (const d of image.dirs) mkdirSync(join(out, d.slice(1)), { recursive: true });
  for (const f of image.files) {
    const p = join(out, f.path.slice(1));
    writeFileSync(p, f.data);
    chmodSync(p, f.mode & 0o777);
  }
}

export function registerBuild(program: Command, ctx: CliContext): void {
  buildOptions(
    program
      .command('build')
      .description(
        'build a userland folder (its futura.json: libraries, programs, image) incrementally; ' +
          'diagnostics in GCC’s format on stderr, exit status 1 on errors',
      )
      .argument('[dir]', 'the userland folder (default: the bundled sample userland)'),
  )
    .option(
      '--out <dir>',
      'write the boot image there as a folder tree (programs and files at their guest paths)',
    )
    .action(async (dir: string | undefined, flags: BuildFlags & { cache: boolean }) => {
      ctx.exitCode = await build(dir, flags);
    });
}

async function build(dir: string | undefined, flags: BuildFlags & { cache: boolean }): Promise<number> {
  const err = (s: string): void => void process.stderr.write(s);
  const req = buildRequest(flags);
  if (typeof req === 'string') {
    err(`futura build: ${req}\n`);
    return 2;
  }
  const root = resolve(dir ?? BUNDLED_SAMPLE);
  const ws = new WorkspaceBuild(root, flags.cache ? {} : { cacheDir: null });
  const progress = progressPrinter(err, 'futura build');
  const result = await ws.build({ ...req, onEvent: progress.onEvent });
  printDiagnostics(result, root, err);
  progress.summary();
  if (!result.ok || !result.image) return 1;
  if (flags.out !== undefined) {
    try {
      writeImageTree(result.image, resolve(flags.out));
    } catch (e) {
      err(
        `futura build: cannot write the image to ${flags.out}: ${e instanceof Error ? e.message : String(e)}\n`,
      );
      return 1;
    }
  }
  return 0;
}
