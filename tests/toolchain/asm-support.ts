// Test helpers: GNU as as the oracle, and a normalised view of an object (section bytes and
// relocations with targets as section+offset or symbol name) to compare objects from both.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { R_RISCV, SHN_ABS, SHN_COMMON, SHN_UNDEF, SHT_NOBITS, SHT_PROGBITS } from '../../core/elf/constants';
import { readObject } from '../../core/toolchain/obj/reader';
import type { ObjectModel } from '../../core/toolchain/obj/types';

export const GNU_AS = 'riscv64-unknown-elf-as';
export const GNU_LD = 'riscv64-unknown-elf-ld';
export const GNU_AR = 'riscv64-unknown-elf-ar';
export const GNU_NM = 'riscv64-unknown-elf-nm';
export const GNU_OBJDUMP = 'riscv64-unknown-elf-objdump';
export const GNU_READELF = 'riscv64-unknown-elf-readelf';

export const tmp = (): string => mkdtempSync(join(tmpdir(), 'futura-asm-'));

/** Assembles with GNU as (rv32imafdc, ilp32d, no relaxation); returns the object bytes. */
export function gnuAs(source: string, extra: string[] = []): Uint8Array {
  const dir = tmp();
  const src = join(dir, 'in.S');
  const out = join(dir, 'out.o');
  writeFileSync(src, source);
  execFileSync(
    GNU_AS,
    ['-march=rv32imafdc_zicsr_zifencei_zihintpause', '-mabi=ilp32d', '-mno-relax', ...extra, '-o', out, src],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  return new Uint8Array(readFileSync(out));
}

export interface NormSection {
  bytes: string;
  relocs: string[];
}

const relocName = new Map<number, string>(Object.entries(R_RISCV).map(([k, v]) => [v, k]));

/** Content sections by name (sections GNU adds for its own bookkeeping are dropped). */
export function normalise(obj: ObjectModel): Map<string, NormSection> {
  const out = new Map<string, NormSection>();
  obj.sections.forEach((s) => {
    if (s.type !== SHT_PROGBITS && s.type !== SHT_NOBITS) return;
    // GNU's bookkeeping (.ident -> .comment, .cfi_* -> .eh_frame) is not produced by futcc.
    if (['.riscv.attributes', '.comment', '.eh_frame'].includes(s.name) || s.name.startsWith('.futura.'))
      return;
    if (s.size === 0 && s.relocs.length === 0) return;
    const relocs = s.relocs
      .filter((r) => r.type !== R_RISCV.RELAX && r.type !== R_RISCV.ALIGN)
      .map((r) => {
        const sym = obj.symbols[r.sym];
        let target = '?';
        if (sym) {
          if (sym.shndx === SHN_UNDEF || sym.shndx === SHN_COMMON) target = sym.name;
          else if (sym.shndx === SHN_ABS) target = `ABS+${sym.value}`;
          else target = `${obj.sections[sym.shndx - 1]?.name ?? '?'}+${sym.value}`;
        }
        return `${r.offset.toString(16)} ${relocName.get(r.type) ?? r.type} ${target}${r.addend ? `${r.addend >= 0 ? '+' : ''}${r.addend}` : ''}`;
      })
      .sort();
    const bytes = s.type === SHT_NOBITS ? `nobits:${s.size}` : Buffer.from(s.data).toString('hex');
    out.set(s.name, { bytes, relocs });
  });
  return out;
}

export const normaliseElf = (b: Uint8Array): Map<string, NormSection> => normalise(readObject(b));

/** Disassembles object bytes with GNU objdump (for readable failure messages). */
export function objdump(b: Uint8Array): string {
  const dir = tmp();
  const p = join(dir, 'x.o');
  writeFileSync(p, b);
  return execFileSync(GNU_OBJDUMP, ['-dr', p], { encoding: 'utf8' });
}

/** Named symbols (no section, file, `.L` or mapping symbols) as comparable strings. */
export function symbolList(b: Uint8Array): string[] {
  const obj = readObject(b);
  const binds = ['LOCAL', 'GLOBAL', 'WEAK'];
  return obj.symbols
    .filter(
      (s) =>
        s.name !== '' && s.type !== 3 && s.type !== 4 && !s.name.startsWith('.L') && !s.name.startsWith('$'),
    )
    .map((s) => {
      const where =
        s.shndx === SHN_UNDEF
          ? 'UND'
          : s.shndx === SHN_ABS
            ? `ABS+${s.value}`
            : s.shndx === SHN_COMMON
              ? `COM/${s.value}`
              : `${obj.sections[s.shndx - 1]?.name ?? '?'}+${s.value}`;
      return `${s.name} ${binds[s.bind] ?? s.bind} type=${s.type} size=${s.size} ${where}`;
    })
    .sort();
}
