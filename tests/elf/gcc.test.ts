// The reader against GNU readelf on GCC-built files: every program header, section and symbol
// must agree field by field.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { loadImage, readElf } from '../../core/elf';
import type { ElfFile } from '../../core/elf';
import { buildWithGcc, RV32_FLAGS } from '../support/gcc';
import { oracleIt, RV_GCC } from '../support/oracle';

const READELF = 'riscv64-unknown-elf-readelf';

const SOURCE = `#include "rt.h"
volatile unsigned long long tohost __attribute__((section(".tohost")));
static int table[300];
const char *names[] = {"alpha", "beta", "gamma"};
__attribute__((weak)) int tunable = 9;
static int helper(int x) { return table[x % 300] + x; }
int main(int argc, char **argv) {
  for (int i = 0; i < 300; i++) table[i] = i * argc;
  printf("%s %d %d\\n", names[argc % 3], helper(argc + 5), tunable);
  return argv[0] != 0;
}
`;

function readelf(path: string, flag: string): string[] {
  return execFileSync(READELF, ['-W', flag, path], { encoding: 'utf8' }).split('\n');
}

function compareWithReadelf(path: string, elf: ElfFile): void {
  const h = readelf(path, '-h');
  const field = (label: string): string =>
    h
      .find((l) => l.trim().startsWith(label))!
      .split(':')[1]!
      .trim();
  expect(elf.header.entry).toBe(Number(field('Entry point address')));
  expect(elf.header.shnum).toBe(Number(field('Number of section headers')));
  expect(elf.header.phnum).toBe(Number(field('Number of program headers')));

  // [Nr] Name Type Addr Off Size ES Flg Lk Inf Al
  const secRe = /^\s*\[\s*(\d+)\]\s+(\S*)\s+(\S+)\s+([0-9a-f]{8}) ([0-9a-f]{6}) ([0-9a-f]{6})/;
  const secs = readelf(path, '-S')
    .map((l) => secRe.exec(l))
    .filter((m): m is RegExpExecArray => m !== null);
  expect(secs.length).toBe(elf.sections.length);
  for (const m of secs) {
    const s = elf.sections[Number(m[1])]!;
    expect(s.name).toBe(m[2] === 'NULL' ? '' : m[2]);
    expect([s.addr, s.offset, s.size]).toEqual([
      parseInt(m[4]!, 16),
      parseInt(m[5]!, 16),
      parseInt(m[6]!, 16),
    ]);
  }

  const phRe =
    /^\s+(LOAD|RISCV_ATTRIBUT\S*)\s+0x([0-9a-f]+) 0x([0-9a-f]+) 0x([0-9a-f]+) 0x([0-9a-f]+) 0x([0-9a-f]+)/;
  const phs = readelf(path, '-l')
    .map((l) => phRe.exec(l))
    .filter((m): m is RegExpExecArray => m !== null);
  expect(phs.length).toBe(elf.programHeaders.length);
  phs.forEach((m, i) => {
    const p = elf.programHeaders[i]!;
    expect([p.offset, p.vaddr, p.paddr, p.filesz, p.memsz]).toEqual(
      m.slice(2, 7).map((x) => parseInt(x, 16)),
    );
  });

  // Num: Value Size Type Bind Vis Ndx Name
  const symRe = /^\s*(\d+): ([0-9a-f]{8})\s+(\d+) (\w+)\s+(\w+)\s+\w+\s+(\w+)\s?(.*)$/;
  const syms = readelf(path, '-s')
    .map((l) => symRe.exec(l))
    .filter((m): m is RegExpExecArray => m !== null);
  expect(syms.length).toBe(elf.symbols.length);
  expect(syms.length).toBeGreaterThan(10);
  const types = ['NOTYPE', 'OBJECT', 'FUNC', 'SECTION', 'FILE'];
  const binds = ['LOCAL', 'GLOBAL', 'WEAK'];
  for (const m of syms) {
    const s = elf.symbols[Number(m[1])]!;
    expect([s.value, s.size]).toEqual([parseInt(m[2]!, 16), Number(m[3])]);
    expect(types[s.type]).toBe(m[4]);
    expect(binds[s.bind]).toBe(m[5]);
    const ndx = m[6]!;
    if (ndx === 'UND') expect(s.section).toBe('*UND*');
    else if (ndx === 'ABS') expect(s.section).toBe('*ABS*');
    else expect(s.shndx).toBe(Number(ndx));
    // readelf prints section symbols by their section's name.
    if (types[s.type] !== 'SECTION') expect(s.name).toBe(m[7]);
  }
}

describe('readElf agrees with readelf on GCC output', () => {
  oracleIt('user program at -O0 and -O2', [RV_GCC, READELF], () => {
    for (const opt of ['-O0', '-O2']) {
      const path = buildWithGcc([{ name: 'elfcmp.c', text: SOURCE }], { flags: [opt] });
      const elf = readElf(new Uint8Array(readFileSync(path)));
      compareWithReadelf(path, elf);
      const img = loadImage(elf);
      expect(img.tohost).not.toBeNull();
      expect(img.segments.length).toBeGreaterThan(0);
      expect(elf.symbols.some((s) => s.name === 'tunable' && s.bind === 2)).toBe(true);
    }
  });

  oracleIt('relocatable object', [RV_GCC, READELF], () => {
    const dir = mkdtempSync(join(tmpdir(), 'futura-elf-'));
    const src = join(dir, 'obj.c');
    writeFileSync(src, SOURCE.replace('#include "rt.h"', 'int printf(const char *, ...);'));
    const obj = join(dir, 'obj.o');
    execFileSync(RV_GCC, [...RV32_FLAGS, '-O2', '-c', src, '-o', obj]);
    const elf = readElf(new Uint8Array(readFileSync(obj)));
    expect(elf.header.type).toBe(1);
    compareWithReadelf(obj, elf);
    expect(elf.symbols.find((s) => s.name === 'printf')?.section).toBe('*UND*');
  });
});
