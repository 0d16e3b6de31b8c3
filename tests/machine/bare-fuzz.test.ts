// runBare on mutated bare-metal programs (headers, program headers and code bytes): whatever the
// bytes, the outcome is an HTIF exit or an error the user can act on (malformed ELF, outside RAM,
// instruction limit, trap loop, wfi forever), never a thrown exception or an internal error. Code
// mutations make wild jumps, unmapped accesses, illegal words and traps into random vectors.
import { readFileSync } from 'node:fs';
import { describe, expect } from 'vitest';
import { runBare } from '../../core/cli/bare-run';
import { readElf } from '../../core/elf';
import { buildBare } from '../fixtures/bare/build';
import { Rng } from '../fixtures/fpu/vectors';
import { oracleIt, RV_GCC } from '../support/oracle';

const COUNT = process.env.FUTURA_FULL === '1' ? 2000 : 200;
const INTERESTING = [0, 1, 2, 0x7f, 0xffff, 0x7fff_ffff, 0x8000_0000, 0x8000_0002, 0xffff_ffff, 0x3000_0000];
const KNOWN =
  /^(malformed ELF: |segment \d+ .* lies outside RAM|the tohost symbol|the program ran past --max-instructions|the hart is stuck in a trap loop|the hart is waiting)/;

function mutate(base: Uint8Array, code: [number, number], rng: Rng): Uint8Array {
  const kind = rng.below(6);
  if (kind === 0) return base.slice(0, rng.below(base.length));
  const out = base.slice();
  const v = new DataView(out.buffer);
  for (let k = 1 + rng.below(4); k > 0; k--) {
    if (kind <= 2) {
      // Code: random bytes or bit flips in the loaded instructions.
      const pos = code[0] + rng.below(code[1] - code[0]);
      if (kind === 1) out[pos] = rng.below(256);
      else out[pos]! ^= 1 << rng.below(8);
    } else {
      // ELF header and program headers (the first 52 + 3 * 32 bytes).
      const pos = rng.below(148) & ~3;
      v.setUint32(pos, kind === 3 ? rng.pick(INTERESTING) : rng.u32(), true);
    }
  }
  return out;
}

describe('futura bare on mutated programs', () => {
  oracleIt(`${COUNT} mutants end in an exit or a clear error, on both engines`, [RV_GCC], () => {
    const rng = new Rng(0xba4e_f022);
    const tally = { exit: 0, error: 0 };
    const messages = new Set<string>();
    for (const name of ['integer', 'traps', 'uart'] as const) {
      const base = new Uint8Array(readFileSync(buildBare(name)));
      const text = readElf(base).sections.find((s) => s.name === '.text');
      if (!text) throw new Error(`${name}: no .text`);
      for (let i = 0; i < COUNT / 3; i++) {
        const bytes = mutate(base, [text.offset, text.offset + text.size], rng);
        const engine = i % 2 === 0 ? 'jit' : 'interp';
        const out = runBare(bytes, { maxInstructions: 200_000, board: { engine, ramSize: 1 << 20 } });
        if (out.kind === 'exit') {
          tally.exit++;
          continue;
        }
        tally.error++;
        messages.add(out.message.replace(/0x[0-9a-f]+|\d+/g, 'N').slice(0, 60));
        expect(out.message, `${name} mutant ${i} (${engine})`).toMatch(KNOWN);
      }
    }
    // Both outcomes, and several kinds of error, or the mutator is not reaching the runner.
    expect(tally.exit).toBeGreaterThan(COUNT / 20);
    expect(tally.error).toBeGreaterThan(COUNT / 20);
    console.log(`bare fuzz: ${tally.exit} exits, ${tally.error} errors of ${messages.size} kinds`);
    expect(messages.size).toBeGreaterThan(3);
  });
});
