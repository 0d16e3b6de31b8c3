// Guest programs built by futcc itself (front end, code generator, assembler, linker, runtime) with
// -g, for debugger tests that need no external toolchain: the test runtime of tests/fixtures/rt,
// the program's source in memory.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { buildProgram, type OptLevel } from '../../core/toolchain/driver/index';
import { RT_DIR } from '../support/gcc';

/** Builds `name` (C source `text`) with crt0.S and rt.c into an ELF executable. */
export function buildWithFutcc(name: string, text: string, optLevel: OptLevel, debug = true): Uint8Array {
  const provider = {
    read(p: string): string | undefined {
      if (p === name) return text;
      try {
        return readFileSync(p, 'utf8');
      } catch {
        return undefined;
      }
    },
  };
  const r = buildProgram({
    sources: [join(RT_DIR, 'crt0.S'), join(RT_DIR, 'rt.c'), name],
    provider,
    includeDirs: [RT_DIR],
    optLevel,
    debug,
  });
  expect(
    r.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.file}:${d.line}: ${d.message}`),
  ).toEqual([]);
  return r.elf as Uint8Array;
}
