// The debugger's view of an executable: DWARF .debug_line decoded like binutils' addr2line,
// functions from .symtab, and breakpoint placement on source lines.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readElf } from '../../core/elf';
import { ProgramInfo, sameFile } from '../../core/host/debug/program-info';
import { decodeDebugInfo } from '../../core/elf/dwarf/info';
import { decodeDebugLine } from '../../core/elf/dwarf/line';
import { buildWithGcc } from '../support/gcc';
import { oracleIt, RV_GCC } from '../support/oracle';
import { makeRng } from '../kernel/rng';

const SOURCE = `#include "rt.h"
static int square(int x) {
  return x * x;
}

int sum(int n) {
  int s = 0;
  for (int i = 0; i < n; i++)
    s += square(i);
  return s;
}

int main(void) {
  printf("%d\\n", sum(4));
  return 0;
}
`;

const ADDR2LINE = 'riscv64-unknown-elf-addr2line';

describe('ProgramInfo', () => {
  for (const opt of ['-O0', '-O2']) {
    oracleIt(`maps every text address to the line addr2line gives (${opt})`, [RV_GCC, ADDR2LINE], () => {
      const elf = buildWithGcc([{ name: 'lines.c', text: SOURCE }], { flags: [opt, '-g'] });
      const info = ProgramInfo.fromElf(new Uint8Array(readFileSync(elf)));
      const main = info.functionNamed('main')!;
      const sum = info.functionNamed('sum')!;
      expect(main).toBeDefined();
      const addrs: number[] = [];
      for (const f of [main, sum]) for (let a = f.start; a < f.end; a += 2) addrs.push(a);
      const out = execFileSync(ADDR2LINE, ['-e', elf, ...addrs.map((a) => `0x${a.toString(16)}`)], {
        encoding: 'utf8',
      })
        .trim()
        .split('\n');
      expect(out.length).toBe(addrs.length);
      let compared = 0;
      addrs.forEach((a, i) => {
        const m = /^(.*):(\d+|\?)(?: \(discriminator \d+\))?$/.exec(out[i]!);
        if (!m || m[2] === '?') return;
        const ours = info.lineAt(a);
        expect(ours, `0x${a.toString(16)}`).toBeDefined();
        expect(`${ours!.line}`, `line of 0x${a.toString(16)}`).toBe(m[2]);
        expect(sameFile(ours!.file, m[1]!)).toBe(true);
        compared++;
      });
      expect(compared).toBeGreaterThan(10);
    });
  }

  oracleIt(
    'places breakpoints on lines with code, and on the next line with code otherwise',
    [RV_GCC],
    () => {
      const elf = buildWithGcc([{ name: 'lines.c', text: SOURCE }], { flags: ['-O0', '-g'] });
      const info = ProgramInfo.fromElf(new Uint8Array(readFileSync(elf)));
      const file = info.files().find((f) => f.endsWith('lines.c'))!;
      expect(file).toBeDefined();
      const at3 = info.breakpointAddresses(file, 3)!;
      expect(at3.line).toBe(3);
      expect(at3.addrs.length).toBe(1);
      expect(info.functionAt(at3.addrs[0]!)?.name).toBe('square');
      expect(info.lineAt(at3.addrs[0]!)?.line).toBe(3);
      // Line 5 is blank: the breakpoint moves to line 6 (sum's opening line).
      const at5 = info.breakpointAddresses(file, 5)!;
      expect(at5.line).toBe(6);
      expect(info.functionAt(at5.addrs[0]!)?.name).toBe('sum');
      // The for header is one location, not one per block.
      expect(info.breakpointAddresses(file, 8)!.addrs.length).toBe(1);
      expect(info.breakpointAddresses('other.c', 3)).toBeUndefined();
      expect(info.breakpointAddresses(file, 99)).toBeUndefined();
    },
  );

  it('never throws on truncated or random .debug_line bytes', () => {
    const rng = makeRng(7);
    for (let n = 0; n < 2000; n++) {
      const b = new Uint8Array(rng.int(200)).map(() => rng.int(256));
      if (n % 2 === 0 && b.length > 8) {
        // A plausible unit length and version, so the header parser gets exercised.
        b[0] = b.length - 4;
        b[1] = b[2] = b[3] = 0;
        b[4] = 2 + (n % 4);
        b[5] = 0;
      }
      expect(() => decodeDebugLine(b)).not.toThrow();
    }
  });

  oracleIt('never throws on truncated or mutated .debug_info from a real program', [RV_GCC], () => {
    const elf = buildWithGcc([{ name: 'lines.c', text: SOURCE }], { flags: ['-O0', '-g'] });
    const bytes = new Uint8Array(readFileSync(elf));
    const info = ProgramInfo.fromElf(bytes);
    expect(info.scopeAt(info.functionNamed('sum')!.start)?.variables.map((v) => v.name)).toEqual([
      'n',
      's',
      'i',
    ]);
    const file = readElf(bytes);
    const sec = (n: string): Uint8Array => {
      const s = file.sections.find((x) => x.name === n)!;
      return bytes.slice(s.offset, s.offset + s.size);
    };
    const base = { info: sec('.debug_info'), abbrev: sec('.debug_abbrev'), str: sec('.debug_str') };
    const rng = makeRng(11);
    for (let n = 0; n < 1500; n++) {
      const which = n % 3 === 0 ? 'abbrev' : 'info';
      const b = base[which].slice(0, n % 5 === 0 ? rng.int(base[which].length) : base[which].length);
      for (let k = 0; k < 1 + rng.int(4); k++) if (b.length) b[rng.int(b.length)] = rng.int(256);
      expect(() => decodeDebugInfo({ ...base, [which]: b })).not.toThrow();
    }
  });
});
