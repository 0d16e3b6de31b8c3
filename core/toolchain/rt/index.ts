// libfutcc-rt.a: futcc's compiler runtime library, linked last into every program unless
// -nostdlib. Its sources are RV32 assembly held as TypeScript strings (the pure core builds the
// archive without touching files), one function per member so a program's own definitions win.
import { writeArchive, type ArMember } from '../ar/archive';
import { assembleToElf } from '../asm/assembler';
import { FLOAT_SOURCES } from './float64';
import { INT64_SOURCES } from './int64';
import { MEMORY_SOURCES } from './memory';

export const RUNTIME_ARCHIVE_NAME = 'libfutcc-rt.a';

/** Member base name → assembly source (e.g. `divdi3` → the text defining `__divdi3`). */
export const RUNTIME_SOURCES: Readonly<Record<string, string>> = {
  ...INT64_SOURCES,
  ...FLOAT_SOURCES,
  ...MEMORY_SOURCES,
};

let cached: Uint8Array | null = null;

/** Assembles every runtime source; throws if one does not assemble (a bug in this library). */
export function runtimeMembers(): ArMember[] {
  return Object.entries(RUNTIME_SOURCES).map(([name, text]) => {
    const r = assembleToElf(text, { file: `${name}.S` });
    if (!r.elf) {
      const why = r.diagnostics.map((d) => `${d.line}:${d.col}: ${d.message}`).join('; ');
      throw new Error(`libfutcc-rt: ${name}.S does not assemble: ${why}`);
    }
    return { name: `${name}.o`, data: r.elf };
  });
}

/** The runtime archive (built once, then memoised). */
export function runtimeArchive(): Uint8Array {
  cached ??= writeArchive(runtimeMembers());
  return cached;
}
