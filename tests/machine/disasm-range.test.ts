// disassembleRange against whole objdump listings, comments included: lui/auipc pairs in objects
// and a linked program (gp-relative accesses, real symbols); and CSR names per privileged spec.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect } from 'vitest';
import { disassembleRange } from '../../core/machine/disasm';
import { buildWithGcc } from '../support/gcc';
import { oracleIt, RV_GCC } from '../support/oracle';
import {
  compareWithObjdump,
  compile,
  namesFrom,
  OBJDUMP,
  objdump,
  symbolValue,
  textSection,
  withInsnObject,
} from './disasm-objdump';

const FIXTURES = fileURLToPath(new URL('../fixtures/disasm', import.meta.url));
const TOOLS = [RV_GCC, OBJDUMP, 'riscv64-unknown-elf-objcopy'];

/** Compares disassembleRange over the file's .text with objdump's full lines; returns stats. */
function compareRange(
  file: string,
  aliases: boolean,
  gp?: number,
): { compared: number; comments: number; bad: string[] } {
  const lines = objdump(file, aliases);
  const { bytes, address } = textSection(file);
  const ours = disassembleRange(bytes, address, { aliases, gp, symbolize: namesFrom(lines) });
  const byAddress = new Map(ours.map((d) => [d.address, d]));
  const bad: string[] = [];
  for (const l of lines) {
    const d = byAddress.get(l.address);
    if (d?.text === l.full && d.raw === l.raw) continue;
    if (bad.length < 20)
      bad.push(`${l.address.toString(16)}: ${l.full} | ${d?.text ?? '(no instruction here)'}`);
  }
  // Every instruction we produced must be one objdump listed (same instruction boundaries).
  expect(ours.filter((d) => !lines.some((l) => l.address === d.address)).length).toBe(0);
  return { compared: lines.length, comments: lines.filter((l) => l.full.includes(' # ')).length, bad };
}

function withObject<T>(source: string, flags: string[], fn: (object: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'futura-disasm-'));
  try {
    return fn(compile(join(FIXTURES, source), dir, flags));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('disassembleRange vs objdump listings', () => {
  oracleIt('reproduces the address comments of lui/auipc pairs', TOOLS, () => {
    withObject('pairs.S', [], (object) => {
      for (const aliases of [true, false]) {
        const r = compareRange(object, aliases);
        expect(r.bad).toEqual([]);
        expect(r.comments).toBeGreaterThan(20);
      }
    });
  });

  oracleIt('matches whole listings of the instruction fixture and -O2 C code', TOOLS, () => {
    for (const [source, flags] of [
      ['all.S', []],
      ['realistic.c', ['-O2']],
    ] as const) {
      withObject(source, [...flags], (object) => {
        for (const aliases of [true, false]) expect(compareRange(object, aliases).bad).toEqual([]);
      });
    }
  });

  oracleIt('matches a linked program, with gp-relative comments and real symbols', TOOLS, () => {
    const elf = buildWithGcc([join(FIXTURES, 'globals.c')]);
    const gp = symbolValue(elf, '__global_pointer$');
    expect(gp).toBeDefined();
    for (const aliases of [true, false]) {
      const r = compareRange(elf, aliases, gp);
      expect(r.bad).toEqual([]);
      expect(r.compared).toBeGreaterThan(300);
      expect(r.comments).toBeGreaterThan(5);
      console.log(`disasm range (linked, aliases=${aliases}): ${r.compared} lines, ${r.comments} comments`);
    }
  });
});

describe('CSR names per privileged spec', () => {
  oracleIt('names all 4096 CSRs like objdump -M priv-spec=1.12 and =1.11', TOOLS, () => {
    // csrrs a0,<csr>,zero and csrrw zero,<csr>,a1 for every CSR number.
    const items: Array<{ size: 4; value: number }> = [];
    for (let csr = 0; csr < 4096; csr++) {
      items.push({ size: 4, value: ((csr << 20) | (2 << 12) | (10 << 7) | 0x73) >>> 0 });
      items.push({ size: 4, value: ((csr << 20) | (11 << 15) | (1 << 12) | 0x73) >>> 0 });
    }
    withInsnObject(items, (object) => {
      for (const privSpec of ['1.12', '1.11'] as const) {
        for (const aliases of [true, false]) {
          const r = compareWithObjdump(object, aliases, privSpec);
          expect(r.mismatches).toEqual([]);
          expect(r.compared).toBe(items.length);
        }
      }
      const named11 = objdump(object, false, '1.11').filter((l) => !/,0x[0-9a-f]+,/.test(l.text));
      expect(named11.some((l) => l.text === 'csrrs a0,ustatus,zero')).toBe(true);
    });
  });
});
