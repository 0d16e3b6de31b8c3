// Helpers for the code generator's differential tests: build a C program with futcc (front end,
// code generator, our assembler, linker and runtime library, as `futura cc` does) and run it on our
// machine; build the same source with Debian's GCC -O2 and run it under qemu-riscv32.
import { spawnSync, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { runUser } from '../../core/cli/usermode';
import { compileToAssembly } from '../../core/toolchain/cc/codegen/index';
import { buildProgram, type OptLevel } from '../../core/toolchain/driver/index';
import { buildWithGcc, RT_DIR, RV32_FLAGS } from '../support/gcc';
import { QEMU_USER, RV_GCC } from '../support/oracle';

export const TOOLS = [RV_GCC, QEMU_USER] as const;
/** GCC would otherwise fuse a*b+c into fmadd and round differently from the C abstract machine. */
export const GCC_REF_FLAGS = ['-O2', '-ffp-contract=off', '-w'];

export interface Run {
  out: string;
  code: number | null;
}

/** In-memory sources; anything else (the test runtime) comes from disk. */
function provider(files: Record<string, string>): { read(p: string): string | undefined } {
  return {
    read(p: string): string | undefined {
      const name = p.replace(/^.*\//, '');
      if (files[p] !== undefined) return files[p];
      if (files[name] !== undefined && !p.startsWith(RT_DIR)) return files[name];
      try {
        return readFileSync(p, 'utf8');
      } catch {
        return undefined;
      }
    },
  };
}

/** futcc assembly of `src` (main.c), failing the test on any error. */
export function futccAsm(
  src: string,
  optLevel = 0,
  debug = false,
  files: Record<string, string> = {},
): string {
  const r = compileToAssembly({
    path: 'main.c',
    provider: provider({ 'main.c': src, ...files }),
    includeDirs: [RT_DIR],
    optLevel,
    debug,
  });
  expect(r.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.line}: ${d.message}`)).toEqual(
    [],
  );
  return r.asm;
}

/** Builds main.c (+ extra .c files and GCC objects) with futcc and runs it on our machine. */
export function runFutcc(
  files: Record<string, string>,
  optLevel: OptLevel,
  objects: Array<{ name: string; bytes: Uint8Array }> = [],
): Run {
  const sources = [
    join(RT_DIR, 'crt0.S'),
    join(RT_DIR, 'rt.c'),
    ...Object.keys(files).filter((f) => /\.[cSs]$/.test(f)),
  ];
  const r = buildProgram({ sources, provider: provider(files), optLevel, includeDirs: [RT_DIR], objects });
  expect(
    r.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.file}:${d.line}: ${d.message}`),
  ).toEqual([]);
  const run = runUser(r.elf as Uint8Array, { maxInstructions: 200_000_000 });
  if (run.outcome.kind !== 'exit') throw new Error(`program did not exit: ${JSON.stringify(run.outcome)}`);
  return { out: run.stdout, code: run.outcome.status };
}

export function runQemu(elf: string): Run {
  const r = spawnSync(QEMU_USER, [elf], { encoding: 'utf8', timeout: 20000 });
  return { out: r.stdout, code: r.status };
}

/** The reference: GCC -O2 under qemu-riscv32. */
export function runGcc(sources: Array<{ name: string; text: string }>): Run {
  return runQemu(buildWithGcc(sources, { flags: GCC_REF_FLAGS }));
}

/** A GCC-compiled relocatable object (for linking with futcc objects through our linker). */
export function gccObject(
  name: string,
  text: string,
  headers: Record<string, string> = {},
): { name: string; path: string; bytes: Uint8Array } {
  const dir = mkdtempSync(join(tmpdir(), 'futcc-interop-'));
  for (const [h, t] of Object.entries({ ...headers, [name]: text })) writeFileSync(join(dir, h), t);
  const out = join(dir, name.replace(/\.c$/, '.o'));
  execFileSync(RV_GCC, [
    ...RV32_FLAGS,
    ...GCC_REF_FLAGS,
    `-I${RT_DIR}`,
    `-I${dir}`,
    '-c',
    '-o',
    out,
    join(dir, name),
  ]);
  return { name: name.replace(/\.c$/, '.o'), path: out, bytes: new Uint8Array(readFileSync(out)) };
}

/** Checks one program at -O0 and -O2 against GCC; returns GCC's run for extra assertions. */
export function expectSameAsGcc(src: string): Run {
  const ref = runGcc([{ name: 'prog.c', text: src }]);
  expect(ref.out.length).toBeGreaterThan(0);
  for (const opt of [0, 2] as const)
    expect({ opt, ...runFutcc({ 'main.c': src }, opt) }).toEqual({ opt, ...ref });
  return ref;
}
