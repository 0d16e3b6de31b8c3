// -g never breaks a build: every corpus program that compiles without -g compiles with it (at -O0
// and -O2), its object's .debug_info decodes with a subprogram for each function it defines, and
// its .debug_frame holds a CIE and FDEs; mutated programs that compile with -g assemble cleanly
// and never hit an internal compiler error.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readElf } from '../../core/elf';
import { STT_FUNC } from '../../core/elf/constants';
import { decodeDebugInfo } from '../../core/elf/dwarf/info';
import { assembleToElf } from '../../core/toolchain/asm/assembler';
import { compileToAssembly } from '../../core/toolchain/cc/codegen/index';
import { compileUnit } from '../../core/toolchain/driver/index';
import { FIXTURES } from '../support/gcc';
import { FULL, memProvider, rng } from './cc-support';
import { CORPUS_DIR, corpusPrograms } from './corpus-support';

const provider = {
  read(p: string): string | undefined {
    try {
      return readFileSync(join(CORPUS_DIR, p), 'utf8');
    } catch {
      return undefined;
    }
  },
};

function section(elf: Uint8Array, name: string): Uint8Array | undefined {
  const s = readElf(elf).sections.find((x) => x.name === name);
  return s ? elf.subarray(s.offset, s.offset + s.size) : undefined;
}

describe('futcc -g does not change the code', () => {
  // A debug build must run the instructions the release build runs: line markers are transparent
  // to the peephole pass. A fifth of the corpus in `npm test`, all of it with FUTURA_FULL=1.
  const names = corpusPrograms().filter((_, i) => FULL || i % 5 === 1);

  it(`${names.length} programs get the same .text at -O2 with and without -g`, () => {
    const differ: string[] = [];
    for (const name of names) {
      const plain = compileUnit({ path: name, provider, optLevel: 2 });
      if (!plain.ok || !plain.object) continue;
      const debug = compileUnit({ path: name, provider, optLevel: 2, debug: true });
      const a = section(plain.object, '.text');
      const b = debug.object ? section(debug.object, '.text') : undefined;
      if (!a || !b || Buffer.compare(Buffer.from(a), Buffer.from(b)) !== 0) differ.push(name);
    }
    expect(differ).toEqual([]);
  });
});

describe('futcc -g on the corpus', () => {
  // A tenth of the corpus in `npm test`, all of it with FUTURA_FULL=1.
  const names = corpusPrograms().filter((_, i) => FULL || i % 10 === 3);

  it(`${names.length} programs compile with -g, each function described`, () => {
    const failures: string[] = [];
    for (const name of names)
      for (const optLevel of [0, 2] as const) {
        if (!compileUnit({ path: name, provider, optLevel }).ok) continue;
        const r = compileUnit({ path: name, provider, optLevel, debug: true });
        if (!r.ok || !r.object) {
          failures.push(`${name} -O${optLevel}: ${r.diagnostics.map((d) => d.message).join('; ')}`);
          continue;
        }
        const info = section(r.object, '.debug_info');
        const abbrev = section(r.object, '.debug_abbrev');
        const frame = section(r.object, '.debug_frame');
        if (!info || !abbrev || !frame || frame.length < 16) {
          failures.push(`${name} -O${optLevel}: debug sections missing`);
          continue;
        }
        const described = new Set(decodeDebugInfo({ info, abbrev }).map((f) => f.name));
        const defined = readElf(r.object)
          .symbols.filter((s) => s.type === STT_FUNC && s.shndx !== 0)
          .map((s) => s.name);
        const missing = defined.filter((n) => !described.has(n));
        if (missing.length) failures.push(`${name} -O${optLevel}: no subprogram for ${missing.join(', ')}`);
      }
    expect(failures).toEqual([]);
  }, 300_000);
});

describe('futcc -g on mutated programs', () => {
  const VALID = readFileSync(join(FIXTURES, 'cc', 'valid1.c'), 'utf8');
  const TOTAL = FULL ? 2000 : 200;

  it(`${TOTAL} line-level mutants: diagnostics or clean assembly, never an internal error`, () => {
    const r = rng(20261125);
    const lines = VALID.split('\n');
    const failures: string[] = [];
    let compiled = 0;
    for (let i = 0; i < TOTAL; i++) {
      const m = [...lines];
      for (let k = 0; k < 1 + (i % 3); k++) {
        const a = Math.floor(r() * m.length);
        const b = Math.floor(r() * m.length);
        if (k % 3 === 0) m.splice(a, 1);
        else if (k % 3 === 1) m.splice(a, 0, m[b] ?? '');
        else [m[a], m[b]] = [m[b] ?? '', m[a] ?? ''];
      }
      const text = m.join('\n');
      const cc = compileToAssembly({
        path: 'mut.c',
        provider: memProvider({ 'mut.c': text }),
        text,
        optLevel: i % 2,
        debug: true,
      });
      const ice = cc.diagnostics.find((d) => d.message.startsWith('internal compiler error'));
      if (ice) failures.push(`case ${i}: ${ice.message}`);
      if (!cc.ok) continue;
      compiled++;
      const as = assembleToElf(cc.asm, { file: 'mut.c' });
      if (!as.elf)
        failures.push(`case ${i}: ${as.diagnostics.map((d) => `${d.line}: ${d.message}`).join('; ')}`);
    }
    expect(failures).toEqual([]);
    expect(compiled).toBeGreaterThan(TOTAL / 20); // the mutants exercise the emitter, not only the parser
  }, 300_000);
});
