// The assembler against GNU as: fixtures covering every instruction, pseudo-instruction and
// directive, and random instruction streams, must give the same section bytes and relocations.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { assembleToElf } from '../../core/toolchain/asm/assembler';
import { formatDiagnostic } from '../../core/toolchain/asm/diag';
import { oracleIt } from '../support/oracle';
import { FIXTURES } from '../support/gcc';
import { randomProgram } from './asm-gen';
import { GNU_AS, gnuAs, normaliseElf, objdump, symbolList } from './asm-support';

const ASM_DIR = join(FIXTURES, 'asm');
const full = process.env.FUTURA_FULL === '1';

function ours(src: string): Uint8Array {
  const r = assembleToElf(src, { file: 'test.S' });
  if (!r.elf) throw new Error(r.diagnostics.map(formatDiagnostic).join('\n'));
  return r.elf;
}

function compare(src: string, symbols = false): void {
  const mine = ours(src);
  const gnu = gnuAs(src);
  const a = normaliseElf(gnu);
  const b = normaliseElf(mine);
  expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
  for (const [name, g] of a) {
    const m = b.get(name);
    if (m?.bytes !== g.bytes) {
      throw new Error(`section ${name} differs\n--- GNU\n${objdump(gnu)}\n--- futcc\n${objdump(mine)}`);
    }
    expect(m.relocs, `relocations of ${name}`).toEqual(g.relocs);
  }
  if (symbols) expect(symbolList(mine)).toEqual(symbolList(gnu));
}

describe('assembler vs GNU as (fixtures)', () => {
  for (const f of readdirSync(ASM_DIR).filter((n) => n.endsWith('.S'))) {
    oracleIt(`${f} assembles to the same bytes and relocations`, [GNU_AS], () => {
      compare(readFileSync(join(ASM_DIR, f), 'utf8'), true);
    });
  }
});

describe('assembler vs GNU as (random instruction streams)', () => {
  const seeds = full ? 200 : 12;
  oracleIt(
    `${seeds} random programs covering every table entry`,
    [GNU_AS],
    () => {
      for (let seed = 1; seed <= seeds; seed++) compare(randomProgram(seed * 7919, 1));
    },
    60_000,
  );
  oracleIt(
    'the same streams with .option norvc',
    [GNU_AS],
    () => {
      for (let seed = 1; seed <= Math.ceil(seeds / 4); seed++)
        compare(`.option norvc\n${randomProgram(seed * 104729, 1)}`);
    },
    60_000,
  );
});
