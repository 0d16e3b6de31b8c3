// objdump's "# address" comments for multi-instruction addressing (lui/auipc followed by
// addi, a load/store or jalr), reproduced for disassembleRange. objdump remembers the high part
// each lui/auipc/c.lui puts in a register; the next instruction that uses that register as a
// base consumes it and gets the sum as a comment. A zero or tp base (and gp, when the global
// pointer is known) prints the plain offset. Nothing else clears the remembered value.
import { bits, sext } from './disasm-tables';

/** What one instruction does to the tracker: set a register's high part, and/or use bases. */
interface AddressEffect {
  set?: { reg: number; value: number };
  /** Base/offset pairs in the order objdump's operand printer sees them. */
  uses: Array<{ base: number; offset: number }>;
}

const NONE: AddressEffect = { uses: [] };

/** The effect of an instruction objdump decoded (callers skip `.2byte`/`.4byte` data). */
function effectOf(raw: number, length: 2 | 4, pc: number, aliases: boolean): AddressEffect {
  if (length === 2) return compressedEffect(raw);
  const rd = bits(raw, 11, 7);
  const rs1 = bits(raw, 19, 15);
  const immI = raw >> 20;
  switch (raw & 0x7f) {
    case 0x37:
      return { set: { reg: rd, value: (raw & 0xfffff000) >>> 0 }, uses: [] };
    case 0x17:
      return { set: { reg: rd, value: (pc + (raw & 0xfffff000)) >>> 0 }, uses: [] };
    case 0x03:
    case 0x07:
      return { uses: [{ base: rs1, offset: immI }] };
    case 0x23:
    case 0x27:
      return { uses: [{ base: rs1, offset: sext((bits(raw, 31, 25) << 5) | rd, 12) }] };
    case 0x13:
      // Only addi, and only when its immediate is printed (not li, mv or nop).
      if (bits(raw, 14, 12) !== 0 || rs1 === 0 || (aliases && immI === 0)) return NONE;
      return { uses: [{ base: rs1, offset: immI }] };
    case 0x67: {
      if (aliases && rd === 0 && rs1 === 1 && immI === 0) return NONE; // `ret` has no operands
      const use = { base: rs1, offset: immI };
      // The offset operand and the base register operand each look the address up.
      return { uses: !aliases || immI !== 0 ? [use, use] : [use] };
    }
    default:
      return NONE;
  }
}

function compressedEffect(h: number): AddressEffect {
  const rd = bits(h, 11, 7);
  const imm6 = sext((bits(h, 12, 12) << 5) | bits(h, 6, 2), 6);
  if ((h & 0xe003) === 0x0001 && rd !== 0) return { uses: [{ base: rd, offset: imm6 }] }; // c.addi
  if ((h & 0xe003) === 0x6001 && rd !== 2) return { set: { reg: rd, value: (imm6 << 12) >>> 0 }, uses: [] }; // c.lui
  return NONE;
}

/** Tracks high parts across a range and yields the address objdump would comment, if any. */
export class AddressTracker {
  private readonly hi: Array<number | undefined> = new Array<number | undefined>(32).fill(undefined);

  constructor(
    private readonly aliases: boolean,
    private readonly gp: number | undefined,
  ) {}

  /** Feeds one decoded instruction; returns the address for its `# …` comment, if objdump prints one. */
  step(raw: number, length: 2 | 4, pc: number): number | undefined {
    const effect = effectOf(raw, length, pc, this.aliases);
    let printed: number | undefined;
    for (const { base, offset } of effect.uses) {
      const high = this.hi[base];
      if (high !== undefined) {
        printed = ((base !== 0 ? high : 0) + offset) >>> 0;
        this.hi[base] = undefined;
      } else if (base === 3 && this.gp !== undefined) {
        printed = (this.gp + offset) >>> 0;
      } else if (base === 4 || base === 0) {
        printed = offset >>> 0;
      }
    }
    if (effect.set) this.hi[effect.set.reg] = effect.set.value;
    return printed;
  }
}
