// Helpers for the futcc front-end tests: in-memory sources, token spelling, GCC's -E output.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DiagnosticSink } from '../../core/toolchain/diag';
import { preprocess, type PreprocessOptions } from '../../core/toolchain/cc/preprocess';
import type { Token } from '../../core/toolchain/cc/token';

export function memProvider(files: Record<string, string>): { read(p: string): string | undefined } {
  return { read: (p) => files[p] };
}

export function pp(
  src: string,
  files: Record<string, string> = {},
  extra: Partial<PreprocessOptions> = {},
): { text: string; tokens: Token[]; sink: DiagnosticSink } {
  const sink = new DiagnosticSink();
  const all = { 'main.c': src, ...files };
  const r = preprocess('main.c', {
    provider: memProvider(all),
    sink,
    now: new Date(2024, 0, 5, 1, 2, 3),
    ...extra,
  });
  const tokens = r.tokens.filter((t) => t.kind !== 'eof');
  return { text: tokens.map((t) => t.text).join(' '), tokens, sink };
}

/** GCC's -E -P output, re-spelled as space-separated tokens (via our lexer, so spacing is irrelevant). */
export function gccPP(src: string, files: Record<string, string> = {}, flags: string[] = []): string {
  const dir = mkdtempSync(join(tmpdir(), 'futcc-pp-'));
  for (const [name, text] of Object.entries({ 'main.c': src, ...files })) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return execFileSync(
    'riscv64-unknown-elf-gcc',
    ['-march=rv32imafdc', '-mabi=ilp32d', '-std=c11', '-E', '-P', ...flags, join(dir, 'main.c')],
    { encoding: 'utf8', cwd: dir },
  );
}

export function errorsOf(sink: DiagnosticSink): string[] {
  return sink.items.map((d) => `${d.file}:${d.line}:${d.col}: ${d.severity}: ${d.message}`);
}

import { compileToAst, type CompileOptions, type CompileResult } from '../../core/toolchain/cc/index';

/** Compiles `src` as main.c (plus extra in-memory files). */
export function compile(
  src: string,
  files: Record<string, string> = {},
  opts: Partial<CompileOptions> = {},
): CompileResult {
  return compileToAst({ path: 'main.c', provider: memProvider({ 'main.c': src, ...files }), ...opts });
}

export function diagsOf(r: CompileResult): string[] {
  return r.diagnostics.map((d) => `${d.file}:${d.line}:${d.col}: ${d.severity}: ${d.message}`);
}

/** Runs GCC -fsyntax-only on `src` for rv32imafdc/ilp32d; returns its stderr ('' when clean). */
export function gccSyntax(src: string, flags: string[] = []): string {
  const dir = mkdtempSync(join(tmpdir(), 'futcc-syn-'));
  const file = join(dir, 'main.c');
  writeFileSync(file, src);
  try {
    execFileSync(
      'riscv64-unknown-elf-gcc',
      ['-march=rv32imafdc', '-mabi=ilp32d', '-std=c11', '-fsyntax-only', '-ffreestanding', ...flags, file],
      {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    return '';
  } catch (e) {
    return String((e as { stderr?: string }).stderr ?? e);
  }
}

/** A small deterministic PRNG (mulberry32) for generated tests. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const FULL = process.env.FUTURA_FULL === '1';
