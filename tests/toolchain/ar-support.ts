// Helpers for archive tests: small objects assembled by our assembler.
import { assembleToElf } from '../../core/toolchain/asm/assembler';
import type { ArMember } from '../../core/toolchain/ar/archive';
export { GNU_AR, GNU_NM } from './asm-support';

export function writeTmpAsm(name: string, src: string): ArMember {
  const r = assembleToElf(src, { file: name });
  if (!r.elf) throw new Error(`cannot assemble ${name}`);
  return { name, data: r.elf };
}
