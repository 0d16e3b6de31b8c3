// Assembles RISC-V source with the oracle toolchain (riscv64-unknown-elf-as) and returns the raw
// .text bytes — for tests that compare our decoding against GNU as's encodings.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const RV_AS = 'riscv64-unknown-elf-as';
export const RV_OBJCOPY = 'riscv64-unknown-elf-objcopy';

export function assemble(source: string, march = 'rv32imafdc'): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), 'futura-as-'));
  try {
    const src = join(dir, 'a.S');
    writeFileSync(src, source);
    execFileSync(RV_AS, [`-march=${march}`, '-mabi=ilp32d', '-o', join(dir, 'a.o'), src]);
    execFileSync(RV_OBJCOPY, ['-O', 'binary', '-j', '.text', join(dir, 'a.o'), join(dir, 'a.bin')]);
    return new Uint8Array(readFileSync(join(dir, 'a.bin')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Splits machine code into instruction parcels: 16-bit (compressed) or 32-bit. */
export function splitInstructions(code: Uint8Array): number[] {
  const out: number[] = [];
  let i = 0;
  while (i + 1 < code.length) {
    const lo = code[i]! | (code[i + 1]! << 8);
    if ((lo & 3) !== 3) {
      out.push(lo);
      i += 2;
    } else {
      out.push((lo | (code[i + 2]! << 16) | (code[i + 3]! << 24)) >>> 0);
      i += 4;
    }
  }
  return out;
}
