// The IDE debugger on programs futcc builds with -g: at a line breakpoint it shows parameters and
// locals (blocks included) with their types and values from futcc's own .debug_info — frame slots
// at -O0, callee-saved registers (integer and FP) at -O1 — and the caller's locals one frame up,
// its register-resident ones recovered from where the callee's prologue saved them.
import { describe, expect, it } from 'vitest';
import { Debugger, type StopEvent } from '../../core/host/debug/debugger';
import { ProgramInfo } from '../../core/host/debug/program-info';
import type { Variable } from '../../core/protocol/debug';
import { buildWithFutcc } from './futcc-support';
import { kernelRunning } from './kernel-rig';

const SOURCE = `#include "rt.h"
typedef unsigned int u32;
struct point { int x; short y; char tag; unsigned flags : 3; int delta : 5; };
enum color { RED, GREEN = 5 };
int show(int n, const char *label, struct point p, double scale) {
  int arr[3] = { n, n * 2, n * 3 };
  enum color c = GREEN;
  unsigned char u = 200;
  _Bool flag = 1;
  float f = 1.5f;
  u32 w = 7;
  long long big = 1234567890123LL; static int calls; calls++;
  int total = arr[0] + arr[1] + arr[2] + p.x + (int)scale + (int)f + c + u + flag + (int)w + (int)big;
  for (int i = 0; i < 2; i++) {
    int inner = i * 10 + n;
    total += inner;
  }
  return total + label[0];
}
int main(void) {
  struct point p = { 7, -2, 'q', 5, -3 };
  int s = 0;
  for (int i = 0; i < 4; i++) s += show(i, "lbl", p, 2.5);
  printf("s=%d\\n", s);
  return 0;
}
`;
const BREAK_LINE = 16; // total += inner;

// Sibling blocks: at -O1 their locals may share a callee-saved register; each is described only
// within its own block's pc range.
const SIBLINGS = `#include "rt.h"
int sib(int n) {
  int t = 0;
  { int a = n + 1; t += a * 2; }
  { int b = n + 2; t += b * 3;
    t += 1; }
  return t;
}
int main(void) {
  { int arg = 4; sib(arg); }
  return 0;
}
`;

const BIG_FRAME = `#include "rt.h"
int fill(int k) {
  char buf[4096];
  int sum = 0;
  for (int j = 0; j < k; j++) { buf[j] = (char)j; sum += buf[j]; }
  return sum;
}
int main(void) {
  int total = 0;
  for (int i = 1; i < 4; i++) total += fill(i * 10);
  printf("%d\\n", total);
  return 0;
}
`;

/** What show() computes before the loop, for argument n (the C semantics, independently). */
function totalBefore(n: number): number {
  const big = Number(BigInt.asIntN(32, 1234567890123n));
  return (n + 2 * n + 3 * n + 7 + 2 + 1 + 5 + 200 + 1 + 7 + big) | 0;
}

interface Rig {
  dbg: Debugger;
  pid: number;
  info: ProgramInfo;
  file: string;
  /** Runs to the next stop. */
  go(): StopEvent;
}

function rig(opt: 0 | 1): Rig {
  const bytes = buildWithFutcc('dbgfutcc.c', SOURCE, opt);
  const info = ProgramInfo.fromElf(bytes);
  const { k, task: t } = kernelRunning(bytes, '/bin/prog');
  const dbg = new Debugger(k, () => info);
  const file = info.files().find((f) => f.endsWith('dbgfutcc.c'))!;
  const go = (): StopEvent => {
    for (let done = 0; done < 20_000_000; done += 100_000) {
      const r = dbg.run(100_000);
      if (r.stop) return r.stop;
      if (r.outcome === 'exited') break;
    }
    throw new Error('no stop');
  };
  return { dbg, pid: t.pid, info, file, go };
}

function run(opt: 0 | 1): { dbg: Debugger; pid: number; info: ProgramInfo; stop: StopEvent } {
  const r = rig(opt);
  const [bp] = r.dbg.setBreakpoints([{ file: r.file, line: BREAK_LINE, condition: 'n == 2 && i == 1' }]);
  expect(bp!.verified).toBe(true);
  return { ...r, stop: r.go() };
}

const value = (vars: Variable[], name: string): Variable | undefined => vars.find((v) => v.name === name);

describe.each([0, 1] as const)('futcc -O%i -g in the IDE debugger', (opt) => {
  it('shows parameters and locals with types and values at a breakpoint, and the caller’s', () => {
    const { dbg, pid, info, stop } = run(opt);
    expect(stop.location?.line).toBe(BREAK_LINE);
    expect(stop.function).toBe('show');

    const scope = info.scopeAt(stop.pc)!;
    const inRegs = scope.variables.filter(
      (v) => v.location && ((v.location[0]! >= 0x50 && v.location[0]! <= 0x6f) || v.location[0] === 0x90),
    );
    // -O0 keeps everything in frame slots; -O1 keeps scalars in s1-s11 and fs0-fs11.
    if (opt === 0) expect(inRegs).toEqual([]);
    else
      expect(inRegs.map((v) => v.name)).toEqual(
        expect.arrayContaining(['n', 'scale', 'f', 'i', 'inner', 'total']),
      );

    const vars = dbg.locals(pid);
    expect(vars.slice(0, 4).map((v) => v.name)).toEqual(['n', 'label', 'p', 'scale']);
    expect(value(vars, 'n')).toMatchObject({ type: 'int', value: '2' });
    expect(value(vars, 'label')!.type).toBe('char *');
    expect(value(vars, 'label')!.value).toMatch(/^0x[0-9a-f]+ "lbl"$/);
    expect(value(vars, 'scale')).toMatchObject({ type: 'double', value: '2.5' });
    expect(value(vars, 'p')!.type).toBe('struct point');
    expect(value(vars, 'p')!.children!.map((c) => `${c.name}=${c.value}`)).toEqual([
      'x=7',
      'y=-2',
      "tag=113 'q'",
      'flags=5',
      'delta=-3',
    ]);
    expect(value(vars, 'arr')!.children!.map((c) => c.value)).toEqual(['2', '4', '6']);
    expect(value(vars, 'c')).toMatchObject({ type: 'enum color', value: 'GREEN' });
    expect(value(vars, 'u')).toMatchObject({ type: 'unsigned char', value: "200 '\u00c8'" });
    expect(value(vars, 'flag')).toMatchObject({ type: '_Bool', value: 'true' });
    expect(value(vars, 'f')).toMatchObject({ type: 'float', value: '1.5' });
    expect(value(vars, 'w')).toMatchObject({ type: 'u32', value: '7' });
    expect(value(vars, 'big')).toMatchObject({ type: 'long long int', value: '1234567890123' });
    expect(value(vars, 'calls')).toMatchObject({ type: 'int', value: '3' }); // static: a third call
    expect(value(vars, 'i')).toMatchObject({ type: 'int', value: '1' });
    expect(value(vars, 'inner')!.value).toBe(String(10 + 2));
    expect(value(vars, 'total')!.value).toBe(String((totalBefore(2) + 2) | 0));

    // One frame up: main's own `i` (not show's), its running sum and its struct.
    const outer = dbg.locals(pid, 1);
    expect(value(outer, 'i')!.value).toBe('2');
    const sum = [0, 1].reduce((acc, n) => acc + ((totalBefore(n) + n + (10 + n)) | 0) + 108, 0) | 0;
    expect(value(outer, 's')!.value).toBe(String(sum));
    expect(value(outer, 'p')!.children!.map((c) => c.value)).toEqual(['7', '-2', "113 'q'", '5', '-3']);
  });

  it('stops at a function breakpoint after the prologue with the parameters in their homes', () => {
    const r = rig(opt);
    r.dbg.setBreakpoints([{ function: 'show' }]);
    for (const n of [0, 1]) {
      const stop = r.go();
      expect(stop.function).toBe('show');
      const vars = r.dbg.locals(r.pid);
      expect(value(vars, 'n')!.value).toBe(String(n));
      expect(value(vars, 'scale')!.value).toBe('2.5');
      expect(value(vars, 'label')!.value).toMatch(/"lbl"$/);
      expect(value(vars, 'p')!.children![0]!.value).toBe('7');
      r.dbg.resumeFromStop(r.pid);
    }
  });

  it('recovers the caller’s register locals past a large frame (saves beyond 12-bit offsets)', () => {
    const bytes = buildWithFutcc('bigframe.c', BIG_FRAME, opt);
    const info = ProgramInfo.fromElf(bytes);
    const { k, task: t } = kernelRunning(bytes, '/bin/prog');
    const dbg = new Debugger(k, () => info);
    const file = info.files().find((f) => f.endsWith('bigframe.c'))!;
    dbg.setBreakpoints([{ file, line: 6, condition: 'k == 30' }]);
    let stop: StopEvent | undefined;
    for (let done = 0; done < 20_000_000 && !stop; done += 100_000) stop = dbg.run(100_000).stop ?? undefined;
    expect(stop?.function).toBe('fill');
    const sum = (n: number): number => (n * (n - 1)) / 2;
    expect(value(dbg.locals(t.pid), 'sum')!.value).toBe(String(sum(30)));
    const outer = dbg.locals(t.pid, 1);
    expect(value(outer, 'i')!.value).toBe('3');
    expect(value(outer, 'total')!.value).toBe(String(sum(10) + sum(20)));
  });

  it('shows only the locals of the block the pc is in when sibling blocks share registers', () => {
    const bytes = buildWithFutcc('siblings.c', SIBLINGS, opt);
    const info = ProgramInfo.fromElf(bytes);
    const { k, task: t } = kernelRunning(bytes, '/bin/prog');
    const dbg = new Debugger(k, () => info);
    const file = info.files().find((f) => f.endsWith('siblings.c'))!;
    dbg.setBreakpoints([{ file, line: 6 }]);
    let stop: StopEvent | undefined;
    for (let done = 0; done < 20_000_000 && !stop; done += 100_000) stop = dbg.run(100_000).stop ?? undefined;
    expect(stop?.function).toBe('sib');
    const vars = dbg.locals(t.pid);
    expect(vars.map((v) => `${v.name}=${v.value}`)).toEqual(['n=4', 't=28', 'b=6']);
    // main's block ends with the call: its local is still in scope at the call.
    expect(dbg.locals(t.pid, 1).map((v) => `${v.name}=${v.value}`)).toEqual(['arg=4']);
  });
});
