// A RISC-V GCC from the user's PATH as a build-graph Toolchain: compiles with the Futura flags
// (RV32GC, ilp32d, freestanding, only the compiler's own freestanding headers), its diagnostics
// parsed into the same structure as futcc's, its header list taken from a -MD depfile. Linking
// stays ours (same rules as futcc), with GCC's libgcc.a as the runtime archive.
import { execFile, execFileSync } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { availableParallelism } from 'node:os';
import type { Diagnostic, Severity } from '../../toolchain/diag';
import type { CompileOutcome, CompileRequest, FileSource, Toolchain } from '../../toolchain/build/types';
import { NodeFileSource } from './fs-source';

export const GCC_NAMES = ['riscv64-unknown-elf-gcc', 'riscv32-unknown-elf-gcc'] as const;
export const GCC_TARGET_FLAGS = ['-march=rv32imafdc', '-mabi=ilp32d'];
const GCC_FLAGS = [...GCC_TARGET_FLAGS, '-ffreestanding', '-nostdlib', '-nostdinc'];

/** The first RISC-V GCC on PATH, or null. */
export function findGcc(env: NodeJS.ProcessEnv = process.env): string | null {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    for (const name of GCC_NAMES) {
      const p = join(dir, name);
      try {
        accessSync(p, constants.X_OK);
        return p;
      } catch {
        // not here
      }
    }
  }
  return null;
}

const LINE = /^(.+?):(\d+):(?:(\d+):)? (fatal error|error|warning|note|Error|Warning|Info): (.*)$/;
const NO_LOCATION =
  /^(?:cc1|cc1plus|as|gcc|riscv\d*-unknown-elf-[a-z]+)(?:\.exe)?: (fatal error|error|warning|Error|Warning): (.*)$/;

function severityOf(s: string): Severity {
  const l = s.toLowerCase();
  return l.includes('error') ? 'error' : l === 'warning' ? 'warning' : 'note';
}

/**
 * GCC's (and GNU as's) stderr as diagnostics: `file:line:col: error: msg` lines; located-less
 * driver messages (`cc1: error: …`) land on the source at 1:1; context lines are dropped.
 */
export function parseGccDiagnostics(
  stderr: string,
  source: string,
  toWorkspace: (p: string) => string,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const line of stderr.split(/\r?\n/)) {
    const m = LINE.exec(line);
    if (m) {
      out.push({
        file: toWorkspace(m[1]!),
        line: Number(m[2]),
        col: m[3] ? Number(m[3]) : 1,
        severity: severityOf(m[4]!),
        message: m[5]!,
      });
      continue;
    }
    const n = NO_LOCATION.exec(line);
    if (n) out.push({ file: source, line: 1, col: 1, severity: severityOf(n[1]!), message: n[2]! });
  }
  return out;
}

/** The files of a make-style depfile (`out.o: a.c b.h \` …), escapes undone. */
export function parseDepfile(text: string): string[] {
  const body = text.replace(/\\\r?\n/g, ' ');
  const colon = body.search(/:(\s|$)/);
  const rest = colon < 0 ? '' : body.slice(colon + 1);
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < rest.length; i++) {
    const c = rest[i]!;
    if (c === '\\' && rest[i + 1] === ' ') {
      cur += ' ';
      i++;
    } else if (c === '$' && rest[i + 1] === '$') {
      cur += '$';
      i++;
    } else if (/\s/.test(c)) {
      if (cur) out.push(cur);
      cur = '';
      if (c === '\n') break;
    } else cur += c;
  }
  if (cur) out.push(cur);
  return out;
}

/** A compiler that hangs must not hang the build. */
const COMPILE_TIMEOUT_MS = 300_000;

function run(cmd: string, args: string[], cwd: string): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      cmd,
      args,
      {
        cwd,
        env: { ...process.env, LC_ALL: 'C' },
        maxBuffer: 16 << 20,
        encoding: 'utf8',
        timeout: COMPILE_TIMEOUT_MS,
      },
      (err, _stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
        const why = err?.killed ? `killed after ${COMPILE_TIMEOUT_MS / 1000} s` : (err?.message ?? '');
        resolve({ code, stderr: code === -1 ? `${stderr}${why}` : stderr });
      },
    );
  });
}

let serial = 0;

function remove(p: string): void {
  try {
    unlinkSync(p);
  } catch {
    // already gone
  }
}

export interface GccToolchain extends Toolchain {
  readonly path: string;
}

/** A GCC toolchain for a workspace on disk, or a message saying why there is none. */
export function gccToolchain(root: string, gcc: string | null = findGcc()): GccToolchain | string {
  if (gcc === null) return `no RISC-V GCC on PATH (looked for ${GCC_NAMES.join(', ')})`;
  let version: string;
  let sysInclude: string[];
  try {
    const q = (...a: string[]): string =>
      execFileSync(gcc, a, { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } }).trim();
    version = q('--version').split('\n')[0]!;
    sysInclude = ['include', 'include-fixed']
      .map((d) => q(...GCC_TARGET_FLAGS, `-print-file-name=${d}`))
      .filter((d) => d.startsWith('/') && existsSync(d));
  } catch (e) {
    return `${gcc} does not run: ${e instanceof Error ? e.message : String(e)}`;
  }
  const ws = new NodeFileSource(root);
  let runtime: Promise<{ name: string; data: Uint8Array } | null> | null = null;
  return {
    path: gcc,
    id: `gcc:${gcc}:${version}`,
    parallel: Math.max(1, Math.min(4, availableParallelism())),
    async compile(req: CompileRequest, _files: FileSource): Promise<CompileOutcome> {
      const base = join(tmpdir(), `futura-gcc-${process.pid}-${serial++}`);
      const obj = `${base}.o`;
      const dep = `${base}.d`;
      const args = [
        ...GCC_FLAGS,
        ...sysInclude.flatMap((d) => ['-isystem', d]),
        '-fdiagnostics-color=never',
        '-fno-diagnostics-show-caret',
        ...req.includeDirs.map((d) => `-I${d}`),
        ...req.cflags,
        '-c',
        req.path,
        '-o',
        obj,
        '-MD',
        '-MF',
        dep,
      ];
      try {
        const r = await run(gcc, args, ws.root);
        const diagnostics = parseGccDiagnostics(r.stderr, req.path, (p) => ws.workspacePath(p));
        let includes = [req.path];
        try {
          includes = parseDepfile(readFileSync(dep, 'utf8')).map((p) => ws.workspacePath(p));
        } catch {
          // no depfile: the compiler stopped early
        }
        if (r.code !== 0 && !diagnostics.some((d) => d.severity === 'error')) {
          const message = `${gcc} failed (status ${r.code})${r.stderr ? `: ${r.stderr.trim().split('\n').pop()}` : ''}`;
          diagnostics.push({ file: req.path, line: 1, col: 1, severity: 'error', message });
        }
        if (r.code !== 0) return { ok: false, object: null, diagnostics, includes };
        return { ok: true, object: new Uint8Array(readFileSync(obj)), diagnostics, includes };
      } finally {
        remove(obj);
        remove(dep);
      }
    },
    runtime() {
      runtime ??= (async () => {
        try {
          const p = execFileSync(gcc, [...GCC_TARGET_FLAGS, '-print-libgcc-file-name'], {
            encoding: 'utf8',
          }).trim();
          return { name: 'libgcc.a', data: new Uint8Array(readFileSync(p)) };
        } catch {
          return null;
        }
      })();
      return runtime;
    },
  };
}
