// futcc -g writes DWARF 4 .debug_info: one compile unit per source with its functions (pc ranges
// equal to their symbols), parameters and locals in nested lexical blocks with locations (frame
// slots at -O0, registers at -O1), globals by address, and types. Our own reader decodes it, and
// Debian's readelf and objdump parse it without a complaint; gdb-multiarch shows the locals of a
// program run under `futura run --gdb`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readElf } from '../../core/elf';
import { decodeDebugInfo, type DwarfFunction, type DwarfType } from '../../core/elf/dwarf/info';
import { ProgramInfo } from '../../core/host/debug/program-info';
import { buildWithFutcc } from '../debug/futcc-support';
import { runUnderGdb } from '../debug/gdb-support';
import { oracleIt } from '../support/oracle';

const OBJDUMP = 'riscv64-unknown-elf-objdump';

const SOURCE = `#include "rt.h"
typedef struct node { int value; struct node *next; } node_t;
union bits { unsigned u; float f; };
enum mode { OFF, ON = 3 };
int counter = 3;
static const volatile double ratio = 0.5;
static int sum(const node_t *list, enum mode m) {
  int total = 0;
  for (const node_t *n = list; n; n = n->next) {
    int v = n->value;
    total += v;
  }
  {
    int total2 = total * (m == ON ? 2 : 1);
    return total2;
  }
}
int main(void) {
  node_t b = { 2, 0 };
  node_t a = { 1, &b };
  union bits u = { 0x3f800000u };
  char name[6] = "futcc"; int (*fp)(void) = 0;
  int r = sum(&a, ON) + (int)u.f + name[0] + counter + (int)ratio;
  printf("r=%d\\n", r);
  return r & 0x7f;
}
`;

function sectionNames(elf: Uint8Array): string[] {
  return readElf(elf).sections.map((s) => s.name);
}

function scopes(elf: Uint8Array): DwarfFunction[] {
  const f = readElf(elf);
  const sec = (n: string): Uint8Array | undefined => {
    const s = f.sections.find((x) => x.name === n);
    return s ? elf.subarray(s.offset, s.offset + s.size) : undefined;
  };
  return decodeDebugInfo({ info: sec('.debug_info')!, abbrev: sec('.debug_abbrev')! });
}

const unwrap = (t: DwarfType | null): DwarfType | null => (t?.kind === 'typedef' ? t.target : t);

describe.each([0, 1] as const)('futcc -O%i -g debug information', (opt) => {
  const elf = buildWithFutcc('dbginfo.c', SOURCE, opt);

  it('describes every function with its symbol’s pc range and its variables in their blocks', () => {
    const info = ProgramInfo.fromElf(elf);
    const fns = scopes(elf);
    for (const name of ['sum', 'main', 'printf', 'rt_write']) {
      const sym = info.functionNamed(name)!;
      const fn = fns.find((f) => f.name === name)!;
      expect({ low: fn.low, high: fn.high }).toEqual({ low: sym.start, high: sym.end });
      expect(fn.frameBase).toEqual(new Uint8Array([0x78, 0])); // DW_OP_breg8 (s0) 0: s0 is the CFA
    }
    const sum = fns.find((f) => f.name === 'sum')!;
    expect(sum.variables.map((v) => `${v.param ? 'param' : 'var'} ${v.name}`)).toEqual([
      'param list',
      'param m',
      'var total',
      'var n',
      'var v',
      'var total2',
    ]);
    const [, , total, n, v, total2] = sum.variables;
    expect(total!.range).toBeUndefined(); // function scope
    // n's block (the for statement) encloses v's (the loop body); total2's is separate.
    for (const x of [n, v, total2]) {
      expect(x!.range!.low).toBeGreaterThanOrEqual(sum.low);
      expect(x!.range!.high).toBeLessThanOrEqual(sum.high);
    }
    expect(n!.range!.low).toBeLessThanOrEqual(v!.range!.low);
    expect(n!.range!.high).toBeGreaterThanOrEqual(v!.range!.high);
    expect(total2!.range!.low).toBeGreaterThanOrEqual(n!.range!.high);
    for (const x of sum.variables) {
      const op = x.location![0]!;
      // -O0: DW_OP_fbreg; -O1: the scalars are in callee-saved registers (DW_OP_reg9 / reg18-27).
      if (opt === 0) expect(op).toBe(0x91);
      else expect(op === 0x59 || (op >= 0x62 && op <= 0x6b)).toBe(true);
    }
  });

  it('gives types: typedefs, pointers to self-referencing structs, enums, unions, arrays', () => {
    const main = scopes(elf).find((f) => f.name === 'main')!;
    const type = (name: string): DwarfType | null => main.variables.find((v) => v.name === name)!.type;
    const b = type('b')!;
    expect(b).toMatchObject({ kind: 'typedef', name: 'node_t' });
    const node = unwrap(b)!;
    expect(node).toMatchObject({ kind: 'struct', name: 'node', size: 8, union: false });
    if (node.kind !== 'struct') throw new Error('not a struct');
    expect(node.members.map((m) => [m.name, m.offset])).toEqual([
      ['value', 0],
      ['next', 4],
    ]);
    expect(node.members[1]!.type).toMatchObject({ kind: 'pointer', size: 4 });
    expect(type('u')).toMatchObject({ kind: 'struct', name: 'bits', union: true, size: 4 });
    expect(type('name')).toMatchObject({ kind: 'array', count: 6, element: { kind: 'base', name: 'char' } });
    expect(type('fp')).toMatchObject({ kind: 'pointer', target: { kind: 'unknown', name: 'function' } });
    const sum = scopes(elf).find((f) => f.name === 'sum')!;
    const m = sum.variables.find((v) => v.name === 'm')!.type!;
    expect(m.kind).toBe('enum');
    if (m.kind === 'enum')
      expect([...m.values]).toEqual([
        [0, 'OFF'],
        [3, 'ON'],
      ]);
  });

  oracleIt('readelf and objdump parse .debug_info without complaint', ['readelf', OBJDUMP], () => {
    expect(sectionNames(elf)).toEqual(
      expect.arrayContaining(['.debug_info', '.debug_abbrev', '.debug_line']),
    );
    const path = join(mkdtempSync(join(tmpdir(), 'futcc-dwarf-')), 'prog.elf');
    writeFileSync(path, elf);
    const readelf = spawnSync('readelf', ['--debug-dump=info', path], { encoding: 'utf8' });
    expect(readelf.status).toBe(0);
    expect(readelf.stderr).toBe('');
    const objdump = spawnSync(OBJDUMP, ['--dwarf=info', path], { encoding: 'utf8' });
    expect(objdump.status).toBe(0);
    expect(objdump.stderr).toBe('');
    for (const out of [readelf.stdout, objdump.stdout]) {
      expect(out).not.toMatch(/warning|error|unknown|corrupt/i);
      expect(out).toMatch(/DW_AT_producer\s*: futcc/);
      expect(out).toMatch(/DW_AT_name\s*: dbginfo\.c/);
      expect(out).toMatch(/DW_TAG_lexical_block/);
      expect(out).toMatch(/DW_AT_name\s*: node_t/);
      expect(out).toMatch(/DW_AT_name\s*: ON\n.*DW_AT_const_value\s*: 3\n/);
      expect(out).toMatch(/DW_AT_name\s*: counter[\s\S]*?DW_OP_addr/);
      expect(out).toMatch(opt === 0 ? /DW_OP_fbreg/ : /DW_OP_reg(9|1[89]|2[0-7]) \(s\d+\)/);
    }
    const lines = spawnSync('readelf', ['--debug-dump=line', path], { encoding: 'utf8' });
    expect(lines.stderr).toBe('');
  });
});

describe('futcc without -g', () => {
  it('writes no debug sections', () => {
    const names = sectionNames(buildWithFutcc('dbginfo.c', SOURCE, 1, false));
    expect(names.filter((n) => n.startsWith('.debug_'))).toEqual([]);
  });
});

/** Runs `futura run --gdb` on the ELF and gdb-multiarch in batch mode with `commands`. */
async function underGdb(
  elf: Uint8Array,
  commands: string[],
): Promise<{ transcript: string; code: number | null }> {
  const path = join(mkdtempSync(join(tmpdir(), 'futcc-gdb-')), 'prog.elf');
  writeFileSync(path, elf);
  return runUnderGdb(path, commands);
}

const NESTED = `#include "rt.h"
int leaf(int k) {
  int acc = 0;
  float w = 0.5f;
  for (int j = 0; j < k; j++)
    acc += j + (int)w;
  return acc;
}
int main(void) {
  int total = 0;
  for (int i = 1; i < 4; i++) total += leaf(i);
  printf("%d\\n", total);
  return total;
}
`;

describe('gdb-multiarch on a futcc -g program', () => {
  oracleIt(
    'shows locals and arguments with info locals / info args at a breakpoint',
    ['gdb-multiarch'],
    async () => {
      const { transcript, code } = await underGdb(buildWithFutcc('dbginfo.c', SOURCE, 0), [
        'break dbginfo.c:11',
        'continue',
        'continue',
        'info args',
        'info locals',
        'print *list',
        'up',
        'info locals',
        'print counter',
        'delete',
        'continue',
      ]);
      // Second pass through the loop body: n is the second node, v its value.
      expect(transcript).toMatch(/Breakpoint 1, sum \(list=0x[0-9a-f]+, m=ON\) at .*dbginfo\.c:11/);
      expect(transcript).toMatch(/^v = 2$/m);
      expect(transcript).toMatch(/^n = 0x[0-9a-f]+$/m);
      expect(transcript).toMatch(/^total = 1$/m);
      expect(transcript).toMatch(/\$1 = \{value = 1, next = 0x[0-9a-f]+\}/);
      expect(transcript).toMatch(/^b = \{value = 2, next = 0x0\}$/m);
      expect(transcript).toMatch(/^u = \{u = 1065353216, f = 1\}$/m);
      expect(transcript).toMatch(/^name = "futcc"$/m);
      expect(transcript).toMatch(/\$2 = 3/);
      // sum = (1 + 2) * 2, + (int)1.0f + 'f' + counter + (int)0.5
      const r = 6 + 1 + 102 + 3 + 0;
      expect(transcript).toMatch(new RegExp(`exited with code 0*${(r & 0x7f).toString(8)}`));
      expect(code).toBe(r & 0x7f);
    },
    120_000,
  );

  oracleIt(
    'at -O1 unwinds through .debug_frame: the caller shows its own register locals',
    ['gdb-multiarch'],
    async () => {
      const { transcript, code } = await underGdb(buildWithFutcc('nested.c', NESTED, 1), [
        'break nested.c:6 if k == 3 && j == 2',
        'continue',
        'info locals',
        'up',
        'info locals',
        'delete',
        'continue',
      ]);
      expect(transcript).toMatch(/Breakpoint 1, leaf \(k=3\) at .*nested\.c:6/);
      // leaf: j and acc in s-registers, w in fs0; main (one frame up): i and total in s-registers
      // too, which leaf's prologue saved after fs0 — past what GDB's prologue analyser follows, so
      // only the CFI tells where.
      expect(transcript).toMatch(/^j = 2\nacc = 1\nw = 0.5\n/m);
      expect(transcript).toMatch(/in main \(\) at .*nested\.c:11\n.*\ni = 3\ntotal = 1\n/);
      expect(code).toBe(0 + 1 + 3);
    },
    120_000,
  );
});
