// Differential tests: our disassembly of every instruction objdump lists must equal objdump's text
// (after whitespace normalization), with aliases (`-d`) and without (`-M no-aliases`).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect } from 'vitest';
import { disassemble } from '../../core/machine/disasm';
import { oracleIt, RV_GCC } from '../support/oracle';
import { compareWithObjdump, compile, OBJDUMP, withInsnObject } from './disasm-objdump';

const FIXTURES = fileURLToPath(new URL('../fixtures/disasm', import.meta.url));
const TOOLS = [RV_GCC, OBJDUMP];
const FULL = process.env.FUTURA_FULL === '1';
const RANDOM_WORDS = FULL ? 100_000 : 10_000;

/** xorshift32: deterministic, so a failure is reproducible. */
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

function withObject<T>(source: string, flags: string[], fn: (object: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'futura-disasm-'));
  try {
    return fn(compile(join(FIXTURES, source), dir, flags));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Mnemonics the fixture must exercise (no-aliases names), so "every instruction" stays true. */
const EVERY_INSTRUCTION =
  `lui auipc jal jalr beq bne blt bge bltu bgeu lb lh lw lbu lhu sb sh sw addi slti sltiu
  xori ori andi slli srli srai add sub sll slt sltu xor srl sra or and fence fence.tso fence.i ecall
  ebreak sret mret wfi unimp sfence.vma mul mulh mulhsu mulhu div divu rem remu csrrw csrrs csrrc
  csrrwi csrrsi csrrci lr.w sc.w amoswap.w amoadd.w amoxor.w amoand.w amoor.w amomin.w amomax.w
  amominu.w amomaxu.w lr.w.aq sc.w.rl amoadd.w.aqrl flw fsw fld fsd fmadd.s fmsub.s fnmsub.s
  fnmadd.s fadd.s fsub.s fmul.s fdiv.s fsqrt.s fsgnj.s fsgnjn.s fsgnjx.s fmin.s fmax.s fcvt.w.s
  fcvt.wu.s fmv.x.w feq.s flt.s fle.s fclass.s fcvt.s.w fcvt.s.wu fmv.w.x fmadd.d fmsub.d fnmsub.d
  fnmadd.d fadd.d fsub.d fmul.d fdiv.d fsqrt.d fsgnj.d fsgnjn.d fsgnjx.d fmin.d fmax.d fcvt.s.d
  fcvt.d.s feq.d flt.d fle.d fclass.d fcvt.w.d fcvt.wu.d fcvt.d.w fcvt.d.wu c.addi4spn c.fld c.lw
  c.flw c.fsd c.sw c.fsw c.addi c.jal c.li c.addi16sp c.lui c.srli c.srai c.andi c.sub c.xor
  c.or c.and c.j c.beqz c.bnez c.slli c.slli64 c.srli64 c.fldsp c.lwsp c.flwsp c.jr c.mv c.ebreak c.jalr c.add c.fsdsp
  c.swsp c.fswsp c.unimp`
    .trim()
    .split(/\s+/);

describe('disassembler vs objdump', () => {
  oracleIt('matches objdump on every instruction of the fixture (aliases)', TOOLS, () => {
    withObject('all.S', [], (object) => {
      const result = compareWithObjdump(object, true);
      expect(result.mismatches).toEqual([]);
      expect(result.compared).toBeGreaterThan(2500);
      console.log(`disasm fixture (aliases): ${result.compared} instructions compared`);
    });
  });

  oracleIt('matches objdump -M no-aliases on every instruction of the fixture', TOOLS, () => {
    withObject('all.S', [], (object) => {
      const result = compareWithObjdump(object, false);
      expect(result.mismatches).toEqual([]);
      const seen = new Set(result.lines.map((l) => l.text.split(' ')[0]));
      expect(EVERY_INSTRUCTION.filter((m) => !seen.has(m))).toEqual([]);
      console.log(`disasm fixture (no-aliases): ${result.compared} instructions compared`);
    });
  });

  oracleIt('matches objdump on GCC -O2 floating-point C code, both modes', TOOLS, () => {
    withObject('realistic.c', ['-O2'], (object) => {
      for (const aliases of [true, false]) {
        const result = compareWithObjdump(object, aliases);
        expect(result.mismatches).toEqual([]);
        expect(result.compared).toBeGreaterThan(200);
        // The compiled code must really contain compressed and double-precision instructions.
        const texts = result.lines.map((l) => l.text).join('\n');
        expect(texts).toMatch(aliases ? /\bfmadd\.d\b/ : /\bc\.\w+/);
      }
    });
  });

  oracleIt('matches objdump on every 16-bit encoding, both modes', TOOLS, () => {
    const items: Array<{ size: 2; value: number }> = [];
    for (let h = 0; h < 0x10000; h++) if ((h & 3) !== 3) items.push({ size: 2, value: h });
    withInsnObject(items, (object) => {
      for (const aliases of [true, false]) {
        const result = compareWithObjdump(object, aliases);
        expect(result.mismatches).toEqual([]);
        expect(result.compared).toBe(items.length);
      }
    });
    console.log(`disasm: ${items.length} 16-bit encodings compared in each mode`);
  });

  oracleIt(`matches objdump on ${RANDOM_WORDS} random 32-bit words, both modes`, TOOLS, () => {
    // Three in four words get a real major opcode, so most decode to instructions.
    const majors = [0x37, 0x17, 0x6f, 0x67, 0x63, 0x03, 0x23, 0x13, 0x33, 0x0f, 0x73, 0x2f];
    majors.push(0x07, 0x27, 0x43, 0x47, 0x4b, 0x4f, 0x53);
    const next = rng(0x5eed_d15a);
    const items: Array<{ size: 4; value: number }> = [];
    while (items.length < RANDOM_WORDS) {
      let w = next();
      if (items.length % 4 !== 0) w = ((w & ~0x7f) | majors[next() % majors.length]) >>> 0;
      // 16-bit and >32-bit encodings cannot be assembled as a 4-byte .insn.
      if ((w & 3) !== 3 || (w & 0x1c) === 0x1c) continue;
      items.push({ size: 4, value: w });
    }
    let decoded = 0;
    withInsnObject(items, (object) => {
      for (const aliases of [true, false]) {
        const result = compareWithObjdump(object, aliases);
        expect(result.mismatches).toEqual([]);
        expect(result.compared).toBe(items.length);
        decoded = result.lines.filter((l) => !l.text.startsWith('.4byte')).length;
      }
    });
    // The comparison is only meaningful if many words are real instructions.
    expect(decoded).toBeGreaterThan(RANDOM_WORDS * 0.3);
    expect(disassemble(items[0].value, 0).length).toBe(4);
    console.log(`disasm: ${items.length} random 32-bit words compared in each mode (${decoded} decode)`);
  });
});
