// Register and rounding-mode names the assembler accepts: x0..x31 / f0..f31, the ABI names from the
// machine's tables (core/machine/disasm-tables.ts), and `fp` for s0.
import { FREG, ROUNDING, XREG } from '../../machine/disasm-tables';

const intRegs = new Map<string, number>();
const fpRegs = new Map<string, number>();
for (let i = 0; i < 32; i++) {
  intRegs.set(`x${i}`, i);
  intRegs.set(XREG[i]!, i);
  fpRegs.set(`f${i}`, i);
  fpRegs.set(FREG[i]!, i);
}
intRegs.set('fp', 8);

export const intReg = (name: string): number | undefined => intRegs.get(name);
export const fpReg = (name: string): number | undefined => fpRegs.get(name);

export const ROUNDING_MODES: Record<string, number> = Object.fromEntries(
  ROUNDING.flatMap((name, rm) => (name === undefined ? [] : [[name, rm] as const])),
);
