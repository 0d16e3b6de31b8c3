// Call frame information: .debug_frame decoded row by row as binutils' readelf interprets it (GCC's
// and futcc's tables), and the debugger's call stack right at every instruction of a GCC -O2
// function — epilogue included, where reading the prologue alone gets the frame wrong.
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { readElf } from '../../core/elf';
import { decodeDebugFrame, type RegisterRule } from '../../core/elf/dwarf/frame';
import { FREG, XREG } from '../../core/machine/disasm-tables';
import { Debugger } from '../../core/host/debug/debugger';
import { ProgramInfo } from '../../core/host/debug/program-info';
import { buildWithGcc } from '../support/gcc';
import { oracleIt, RV_GCC } from '../support/oracle';
import { buildWithFutcc } from './futcc-support';
import { kernelRunning } from './kernel-rig';

const READELF = 'riscv64-unknown-elf-readelf';

const SOURCE = `#include "rt.h"
int g = 3;
__attribute__((noinline)) int leaf(int x) { return x * 3 + g; }
__attribute__((noinline)) double fp(double a, int n) {
  double s = 0;
  for (int i = 0; i < n; i++) s += a * leaf(i);
  return s;
}
__attribute__((noinline)) int mid(int n) {
  if (n < 0) return 0;
  int s = 0;
  for (int i = 0; i < n; i++) s += leaf(i);
  return s;
}
int main(void) {
  int r = mid(5) + (int)fp(1.5, 3);
  printf("%d\\n", r);
  return 0;
}
`;

const regNumber = (name: string): number => {
  const x = XREG.indexOf(name);
  if (x >= 0) return x;
  const f = FREG.indexOf(name);
  if (f >= 0) return 32 + f;
  const m = /^r(\d+)$/.exec(name);
  if (m) return Number(m[1]);
  throw new Error(`register name ${name}`);
};

interface ReadelfRow {
  loc: number;
  cfa: string;
  cols: Map<number, string>;
}

/** readelf --debug-dump=frames-interp: each FDE's rows (LOC, CFA, one column per register). */
function readelfRows(elf: string): ReadelfRow[] {
  const out = execFileSync(READELF, ['--debug-dump=frames-interp', elf], { encoding: 'utf8' });
  const rows: ReadelfRow[] = [];
  let header: number[] | null = null;
  let fdeEnd = -1; // the current FDE's end; -1 in a CIE
  for (const line of out.split('\n')) {
    const fde = / FDE .*pc=[0-9a-f]+\.\.([0-9a-f]+)/.exec(line);
    if (fde) fdeEnd = parseInt(fde[1]!, 16);
    else if (/ CIE /.test(line)) fdeEnd = -1;
    else if (/^\s+LOC\s+CFA/.test(line)) header = line.trim().split(/\s+/).slice(2).map(regNumber);
    else if (header && /^[0-9a-f]{8} /.test(line)) {
      const [loc, cfa, ...cols] = line.trim().split(/\s+/);
      // A row at the FDE's end address (an advance past the last instruction) covers no code.
      if (parseInt(loc!, 16) >= fdeEnd) continue;
      rows.push({ loc: parseInt(loc!, 16), cfa: cfa!, cols: new Map(header.map((r, i) => [r, cols[i]!])) });
    }
  }
  return rows;
}

const ruleText = (r: RegisterRule | undefined): string => {
  if (!r || r.kind === 'same') return 'u';
  if (r.kind === 'offset') return `c${r.off >= 0 ? '+' : ''}${r.off}`;
  return r.kind;
};

function compareWithReadelf(elf: string): number {
  const fdes = decodeDebugFrame(sectionOf(elf, '.debug_frame'));
  const rows = readelfRows(elf);
  expect(rows.length).toBeGreaterThan(0);
  for (const want of rows) {
    const fde = fdes.find((f) => want.loc >= f.start && want.loc < f.end);
    const at = `0x${want.loc.toString(16)}`;
    expect(fde, at).toBeDefined();
    const row = fde!.row(want.loc)!;
    const cfaName = row.cfaReg < 32 ? XREG[row.cfaReg] : `r${row.cfaReg}`;
    expect(`${cfaName}+${row.cfaOffset}`, `CFA at ${at}`).toBe(want.cfa.replace('+-', '-'));
    for (const [reg, text] of want.cols)
      expect(ruleText(row.regs.get(reg)), `reg ${reg} at ${at}`).toBe(text);
  }
  return rows.length;
}

function sectionOf(elf: string, name: string): Uint8Array {
  const file = readElf(new Uint8Array(readFileSync(elf)));
  const s = file.sections.find((x) => x.name === name);
  if (!s) throw new Error(`${elf} has no ${name}`);
  return file.data.subarray(s.offset, s.offset + s.size);
}

describe('.debug_frame', () => {
  for (const opt of ['-O0', '-O2']) {
    oracleIt(`GCC ${opt}: every row matches readelf's interpretation`, [RV_GCC, READELF], () => {
      const elf = buildWithGcc([{ name: 'cfi.c', text: SOURCE }], { flags: [opt, '-g'] });
      expect(compareWithReadelf(elf)).toBeGreaterThan(5);
    });
  }

  for (const opt of [0, 2] as const) {
    oracleIt(`futcc -O${opt} -g: every row matches readelf's interpretation`, [READELF], () => {
      const bytes = buildWithFutcc('cfi.c', SOURCE, opt);
      const path = join(tmpdir(), `futura-cfi-${process.pid}-${opt}.elf`);
      writeFileSync(path, bytes);
      try {
        expect(compareWithReadelf(path)).toBeGreaterThan(3);
      } finally {
        rmSync(path, { force: true });
      }
    });
  }

  oracleIt('truncated or mutated tables never throw anything but a DWARF error', [RV_GCC], () => {
    const elf = buildWithGcc([{ name: 'cfi.c', text: SOURCE }], { flags: ['-O2', '-g'] });
    const good = sectionOf(elf, '.debug_frame');
    let seed = 7;
    const rnd = (n: number): number => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) % n;
    for (let i = 0; i < 300; i++) {
      const bad = good.slice(0, i % 3 === 0 ? rnd(good.length) : good.length);
      for (let k = 0; k < 4 && bad.length; k++) bad[rnd(bad.length)] = rnd(256);
      try {
        for (const fde of decodeDebugFrame(bad))
          for (let pc = fde.start; pc < fde.start + 64; pc += 2) fde.row(pc);
      } catch (e) {
        expect((e as Error).constructor.name).toBe('DwarfError');
      }
    }
  });
});

describe('call stacks from call frame information', () => {
  oracleIt('are right at every instruction of a GCC -O2 function, epilogue included', [RV_GCC], () => {
    const elf = buildWithGcc([{ name: 'cfi.c', text: SOURCE }], { flags: ['-O2', '-g', '-fno-inline'] });
    const bytes = new Uint8Array(readFileSync(elf));
    const info = ProgramInfo.fromElf(bytes);
    const { k, task: t } = kernelRunning(bytes, '/bin/prog', { onOutput: () => undefined });
    const dbg = new Debugger(k, () => info);
    dbg.setBreakpoints([{ function: 'mid' }]);
    const run = (): void => {
      for (let i = 0; i < 200; i++) {
        const r = dbg.run(100_000);
        if (r.stop) return;
        if (r.outcome === 'exited') throw new Error('exited before the stop');
      }
      throw new Error('no stop');
    };
    run();
    dbg.setBreakpoints([]);
    const mid = info.functionNamed('mid')!;
    const seen = new Set<number>();
    let inLeaf = 0;
    for (let steps = 0; steps < 500; steps++) {
      const pc = dbg.registers(t.pid)!.pc;
      const names = dbg.callStack(t.pid).map((f) => f.function);
      if (pc >= mid.start && pc < mid.end) {
        seen.add(pc);
        expect(names.slice(0, 2), `at 0x${pc.toString(16)}`).toEqual(['mid', 'main']);
      } else if (names[0] === 'leaf') {
        inLeaf++;
        expect(names.slice(0, 3), `at 0x${pc.toString(16)}`).toEqual(['leaf', 'mid', 'main']);
      } else {
        expect(names[0]).toBe('main'); // returned
        break;
      }
      dbg.step(t.pid, 'instruction');
      run();
    }
    expect(inLeaf).toBeGreaterThan(0);
    // Every instruction of mid on the path ran, the epilogue's `ret` included.
    expect(seen.has(mid.end - 2) || seen.has(mid.end - 4)).toBe(true);
  });
});
