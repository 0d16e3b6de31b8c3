// Mutation fuzzing: whatever the bytes, readElf (and loadImage) either succeed with a result that
// stays inside the file, or throw ElfError, never any other exception.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ElfError, loadImage, readElf } from '../../core/elf';
import { SHT_NOBITS, SHT_NULL } from '../../core/elf/constants';
import { buildWithGcc } from '../support/gcc';
import { oracleIt, RV_GCC } from '../support/oracle';
import { buildTinyElf } from './tiny-elf';

const FULL = process.env.FUTURA_FULL === '1';
const COUNT = FULL ? 20_000 : 2_000;

/** xorshift32: deterministic, so a failure names a reproducible seed. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
}

const INTERESTING = [0, 1, 0x7f, 0x80, 0xff, 0xffff, 0x7fff_ffff, 0x8000_0000, 0xffff_ffff, 0xffff_fff0];

function mutate(base: Uint8Array, next: () => number): Uint8Array {
  const kind = next() % 5;
  if (kind === 0) return base.slice(0, next() % base.length);
  const out = base.slice();
  const v = new DataView(out.buffer);
  const n = 1 + (next() % 4);
  for (let k = 0; k < n; k++) {
    // Headers and tables are where the reader's decisions are; aim there half of the time.
    const hot = next() % 2 === 0;
    const pos = hot ? next() % Math.min(out.length, 128) : next() % out.length;
    if (kind === 1) out[pos] = next() & 0xff;
    else if (kind === 2) out[pos] ^= 1 << (next() % 8);
    else if (pos + 4 <= out.length) {
      const value = kind === 3 ? INTERESTING[next() % INTERESTING.length]! : next() % (out.length * 2);
      v.setUint32(pos & ~3, value, true);
    }
  }
  return out;
}

interface Tally {
  accepted: number;
  rejected: number;
}

function fuzz(base: Uint8Array, seed: number, count: number): Tally {
  const next = rng(seed);
  const tally: Tally = { accepted: 0, rejected: 0 };
  for (let i = 0; i < count; i++) {
    const bytes = mutate(base, next);
    try {
      const elf = readElf(bytes);
      for (const s of elf.sections) {
        if (s.type !== SHT_NOBITS && s.type !== SHT_NULL)
          expect(s.offset + s.size).toBeLessThanOrEqual(bytes.length);
      }
      if (elf.header.type === 2) {
        const img = loadImage(elf);
        for (const seg of img.segments) expect(seg.data.length).toBeLessThanOrEqual(seg.memsz);
      }
      tally.accepted++;
    } catch (e) {
      if (!(e instanceof ElfError)) throw new Error(`case ${i} (seed ${seed}): ${String(e)}`);
      tally.rejected++;
    }
  }
  return tally;
}

describe('ELF reader fuzzing', () => {
  it(`survives ${COUNT} mutations of a hand-built executable`, () => {
    const t = fuzz(buildTinyElf().bytes, 12345, COUNT);
    expect(t.accepted + t.rejected).toBe(COUNT);
    // Both outcomes must occur, or the mutator is not exercising the reader.
    expect(t.accepted).toBeGreaterThan(0);
    expect(t.rejected).toBeGreaterThan(0);
  });

  oracleIt(`survives ${COUNT} mutations of GCC-built user and bare programs`, [RV_GCC], () => {
    const user = buildWithGcc([{ name: 'fz.c', text: 'int main(void) { return 7; }\n' }]);
    const bare = buildWithGcc(
      [{ name: 'fzb.c', text: 'volatile int tohost; void _start(void) { tohost = 1; for (;;) {} }\n' }],
      { runtime: false, bare: true },
    );
    for (const [path, seed] of [
      [user, 777],
      [bare, 4242],
    ] as const) {
      const t = fuzz(new Uint8Array(readFileSync(path)), seed, COUNT / 2);
      expect(t.accepted).toBeGreaterThan(0);
      expect(t.rejected).toBeGreaterThan(0);
    }
  });
});
