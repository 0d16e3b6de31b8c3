// Differential sweeps against objdump over the function and immediate fields of 32-bit
// encodings: the exact encodings random words rarely hit (a tenth of them by default).
import { describe, expect } from 'vitest';
import { oracleIt, RV_GCC } from '../support/oracle';
import { compareWithObjdump, OBJDUMP, withInsnObject } from './disasm-objdump';

const TOOLS = [RV_GCC, OBJDUMP];
const FULL = process.env.FUTURA_FULL === '1';
const SWEEP = FULL ? 'all' : 'a tenth';

describe('disassembler vs objdump: field sweeps', () => {
  oracleIt(`matches objdump on a sweep of funct7 × rs2 × funct3 per major opcode (${SWEEP})`, TOOLS, () => {
    // Random words rarely hit exact encodings (fence operand sets, old privileged returns,
    // conversions that only decode with rm = 0); sweeping the function fields does.
    const r = (f7: number, rs2: number, rs1: number, f3: number, rd: number, opc: number): number =>
      ((f7 << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | opc) >>> 0;
    const all: number[] = [];
    for (const opc of [0x53, 0x33, 0x2f, 0x73, 0x0f, 0x43, 0x47, 0x4b, 0x4f]) {
      const system = opc === 0x73 || opc === 0x0f;
      for (let f7 = 0; f7 < 128; f7++) {
        for (let rs2 = 0; rs2 < 32; rs2++) {
          for (let f3 = 0; f3 < 8; f3++) {
            all.push(system ? r(f7, rs2, 0, f3, 0, opc) : r(f7, rs2, 11, f3, 10, opc));
            if (system) all.push(r(f7, rs2, 1, f3, 0, opc), r(f7, rs2, 0, f3, 1, opc));
          }
        }
      }
    }
    for (const opc of [0x03, 0x23, 0x63, 0x67, 0x07, 0x27, 0x13]) {
      for (let f3 = 0; f3 < 8; f3++) for (let f7 = 0; f7 < 128; f7++) all.push(r(f7, 5, 11, f3, 10, opc));
    }
    // The default run takes a deterministic tenth, keeping privileged and fence encodings whole.
    const keep = (w: number, i: number): boolean =>
      FULL || (w & 0x707f) === 0x73 || (w & 0x707f) === 0x0f || i % 10 === 0;
    const items = all.filter(keep).map((value) => ({ size: 4 as const, value }));
    withInsnObject(items, (object) => {
      for (const aliases of [true, false]) {
        const result = compareWithObjdump(object, aliases);
        expect(result.mismatches).toEqual([]);
        expect(result.compared).toBe(items.length);
      }
    });
    console.log(`disasm: ${items.length} swept 32-bit encodings compared in each mode`);
  });

  oracleIt(
    `matches objdump on a sweep of every 12-bit immediate of OP-IMM and SYSTEM (${SWEEP})`,
    TOOLS,
    () => {
      // Some aliases hang on one immediate value (seqz = sltiu 1, not = xori -1, zext.b = andi 255),
      // and SYSTEM's immediate is the CSR number.
      const items: Array<{ size: 4; value: number }> = [];
      let i = 0;
      for (const opc of [0x13, 0x73]) {
        for (let f3 = 0; f3 < 8; f3++) {
          for (let imm = 0; imm < 4096; imm++) {
            for (const [rs1, rd] of [
              [11, 10],
              [0, 10],
              [10, 0],
            ]) {
              if (FULL || i++ % 10 === 0 || imm === 255 || imm === 1 || imm === 4095) {
                items.push({
                  size: 4,
                  value: ((imm << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | opc) >>> 0,
                });
              }
            }
          }
        }
      }
      withInsnObject(items, (object) => {
        for (const aliases of [true, false]) {
          const result = compareWithObjdump(object, aliases);
          expect(result.mismatches).toEqual([]);
          expect(result.compared).toBe(items.length);
        }
      });
      console.log(`disasm: ${items.length} immediate-swept encodings compared in each mode`);
    },
  );
});
