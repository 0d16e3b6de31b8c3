// Shared by the corpus tests: listing the programs, building them with futcc (through the
// driver, as `futura cc` does) and with Debian's GCC, and running them (ours on our machine,
// GCC's under qemu-riscv32). GCC results are cached by content hash under os.tmpdir().
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runUser } from '../../core/cli/usermode';
import { compileUnit, linkProgram, type OptLevel, type UnitResult } from '../../core/toolchain/driver/index';
import { QEMU_USER, RV_GCC } from '../support/oracle';

export const CORPUS_DIR = fileURLToPath(new URL('../fixtures/cc/corpus/', import.meta.url));
export const KNOWN_FAILING = join(CORPUS_DIR, 'KNOWN-FAILING.txt');
/** Start-up and output helpers linked into every corpus program. */
export const CORPUS_RT = '_rt.S';
/** memcpy & co. for GCC's builds (futcc's come from libfutcc-rt.a). */
export const GCC_MEM = '_gcc_mem.c';
/** Upper bound on a corpus program's run (they are small: well under 10^8 in practice). */
export const MAX_INSTRUCTIONS = 400_000_000;

export const GCC_FLAGS = [
  '-march=rv32imafdc',
  '-mabi=ilp32d',
  '-ffreestanding',
  '-nostdlib',
  '-static',
  '-O2',
  // ISO C's default: no fused multiply-add across operations (futcc never contracts).
  '-ffp-contract=off',
  '-Wl,-Ttext-segment=0x400000',
];

export interface RunOutput {
  out: string;
  code: number | null;
  /** Why there is no output (build failure, crash...). */
  error?: string;
}

export function corpusPrograms(): string[] {
  return readdirSync(CORPUS_DIR)
    .filter((f) => /^\d{3}-[\w-]+\.c$/.test(f))
    .sort();
}

/** KNOWN-FAILING.txt: one program name a line, `#` starts a comment. */
export function readKnownFailing(): Set<string> {
  if (!existsSync(KNOWN_FAILING)) return new Set();
  return new Set(
    readFileSync(KNOWN_FAILING, 'utf8')
      .split('\n')
      .map((l) => l.replace(/#.*/, '').trim())
      .filter((l) => l !== ''),
  );
}

const provider = {
  read(path: string): string | undefined {
    try {
      return readFileSync(join(CORPUS_DIR, path), 'utf8');
    } catch {
      return undefined;
    }
  },
};

let rtObject: Uint8Array | null = null;

/** _rt.S assembled once per process (through the driver, so `.S` preprocessing is covered). */
function corpusRuntime(): Uint8Array {
  if (!rtObject) {
    const r = compileUnit({ path: CORPUS_RT, provider });
    if (!r.object) throw new Error(`corpus runtime: ${JSON.stringify(r.diagnostics[0])}`);
    rtObject = r.object;
  }
  return rtObject;
}

function linkAndRun(unit: UnitResult, label: string): RunOutput {
  if (!unit.ok || !unit.object) {
    const first = unit.diagnostics.find((d) => d.severity === 'error');
    const where = first ? `${first.file}:${first.line}:${first.col}: ${first.message}` : 'no object';
    return { out: '', code: null, error: `${label}: ${where}` };
  }
  const objects = [
    { name: '_rt.o', bytes: corpusRuntime() },
    { name: 'prog.o', bytes: unit.object },
  ];
  const linked = linkProgram({ objects });
  if (!linked.elf)
    return { out: '', code: null, error: `${label}: link: ${linked.diagnostics[0]?.message ?? '?'}` };
  // A smaller board than the default: creating it dominates the run time of these small programs.
  const run = runUser(linked.elf, { maxInstructions: MAX_INSTRUCTIONS, board: { ramSize: 32 << 20 } });
  if (run.outcome.kind !== 'exit') {
    const what =
      run.outcome.kind === 'signal' || run.outcome.kind === 'error' ? run.outcome.message : run.outcome.kind;
    return { out: run.stdout, code: null, error: `${label} build: ${what}` };
  }
  return { out: run.stdout, code: run.outcome.status };
}

/**
 * futcc builds at each level, run on our machine; failures come back as `error`. A level whose
 * assembly is identical to the previous level's reuses that run (same program, same result).
 */
export function runWithFutcc(name: string, levels: readonly OptLevel[] = [0, 2]): Map<OptLevel, RunOutput> {
  const out = new Map<OptLevel, RunOutput>();
  let prev: { asm: string | undefined; result: RunOutput } | null = null;
  for (const optLevel of levels) {
    const unit = compileUnit({ path: name, provider, optLevel });
    const result: RunOutput =
      prev && unit.ok && unit.asm !== undefined && unit.asm === prev.asm
        ? prev.result
        : linkAndRun(unit, `futcc -O${optLevel}`);
    out.set(optLevel, result);
    prev = { asm: unit.asm, result };
  }
  return out;
}

const cacheDir = join(tmpdir(), 'futura-corpus-cache');

function gccKey(name: string): string {
  const h = createHash('sha256').update(JSON.stringify(GCC_FLAGS));
  for (const f of ['_rt.S', '_rt.h', GCC_MEM, name]) h.update(f).update(readFileSync(join(CORPUS_DIR, f)));
  return h.digest('hex').slice(0, 32);
}

function exec(
  cmd: string,
  args: string[],
  timeoutMs: number,
): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.setEncoding('utf8').on('data', (s: string) => (out += s));
    p.stderr.setEncoding('utf8').on('data', (s: string) => (err += s));
    const timer = setTimeout(() => p.kill('SIGKILL'), timeoutMs);
    p.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out, err });
    });
  });
}

async function gccReference(name: string): Promise<RunOutput> {
  const key = gccKey(name);
  const cached = join(cacheDir, `${key}.json`);
  if (existsSync(cached)) return JSON.parse(readFileSync(cached, 'utf8')) as RunOutput;
  const elf = join(cacheDir, `${key}.elf`);
  const args = [
    ...GCC_FLAGS,
    `-I${CORPUS_DIR}`,
    '-o',
    elf,
    join(CORPUS_DIR, CORPUS_RT),
    join(CORPUS_DIR, GCC_MEM),
    join(CORPUS_DIR, name),
    '-lgcc',
  ];
  const built = await exec(RV_GCC, args, 60_000);
  let result: RunOutput;
  if (built.code !== 0) result = { out: '', code: null, error: `gcc: ${built.err.slice(0, 2000)}` };
  else {
    const ran = await exec(QEMU_USER, [elf], 60_000);
    result = { out: ran.out, code: ran.code };
  }
  const tmp = `${cached}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(result));
  renameSync(tmp, cached);
  return result;
}

/** GCC -O2 builds run under qemu, two at a time (the machine has two cores). */
export async function gccReferences(names: string[], jobs = 2): Promise<Map<string, RunOutput>> {
  mkdirSync(cacheDir, { recursive: true });
  const results = new Map<string, RunOutput>();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < names.length) {
      const name = names[next++] as string;
      results.set(name, await gccReference(name));
    }
  };
  await Promise.all(Array.from({ length: jobs }, worker));
  return results;
}

/** Null when futcc's run matches GCC's; otherwise a one-line reason. */
export function compareRuns(ours: RunOutput, ref: RunOutput): string | null {
  if (ours.error) return ours.error;
  if (ours.code !== ref.code) return `exit code ${String(ours.code)}, GCC's ${String(ref.code)}`;
  if (ours.out !== ref.out) {
    const a = ours.out.split('\n');
    const b = ref.out.split('\n');
    const i = b.findIndex((l, k) => l !== a[k]);
    const line = i < 0 ? a.length : i;
    return `output differs at line ${line + 1}: ${JSON.stringify((a[line] ?? '').slice(0, 120))} vs GCC's ${JSON.stringify((b[line] ?? '').slice(0, 120))}`;
  }
  return null;
}
