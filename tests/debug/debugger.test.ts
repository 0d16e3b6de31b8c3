// The source-level debugger over a running kernel: line, function and conditional breakpoints,
// stepping by line and instruction, call stacks with and without a frame pointer, watchpoints,
// per-task focus and kernel events as stops. Programs are built by Debian's GCC with -g.
import { readFileSync } from 'node:fs';
import { describe, expect } from 'vitest';
import { Board } from '../../core/machine/board';
import { Kernel, isLoadFailure } from '../../core/kernel';
import { Debugger, type StopEvent } from '../../core/host/debug/debugger';
import { ProgramInfo } from '../../core/host/debug/program-info';
import { buildWithGcc } from '../support/gcc';
import { oracleIt, RV_GCC } from '../support/oracle';

const SOURCE = `#include "rt.h"
volatile int counter = 5;

int add(int a, int b) {
  counter = counter + b;
  return a + b;
}

static int twice(int v) {
  int r = add(v, v);
  return r;
}

int main(void) {
  int s = 0;
  for (int i = 0; i < 5; i++)
    s = add(s, i);
  s = twice(s);
  long pid = rt_syscall(172, 0, 0, 0, 0, 0, 0);
  printf("s=%d pid=%ld\\n", s, pid);
  return s;
}
`;

const FORKER = `#include "rt.h"
int work(int who) { return who * 2; }
int main(void) {
  long child = rt_syscall(220, 17, 0, 0, 0, 0, 0);
  int r = work(child == 0 ? 1 : 2);
  if (child == 0) rt_exit(r);
  int st = 0;
  rt_syscall(260, child, (long)&st, 0, 0, 0, 0);
  printf("parent %d child %d\\n", r, (st >> 8) & 0xff);
  return 0;
}
`;

interface Rig {
  dbg: Debugger;
  k: Kernel;
  pid: number;
  info: ProgramInfo;
  file: string;
  out: () => string;
  /** Runs until a stop (or the end); fails the test after `limit` instructions. */
  go: (limit?: number) => StopEvent | null;
}

function rig(source: string, flags: string[]): Rig {
  const elf = buildWithGcc([{ name: 'dbgprog.c', text: source }], { flags });
  const bytes = new Uint8Array(readFileSync(elf));
  const info = ProgramInfo.fromElf(bytes);
  let out = '';
  const k = new Kernel(new Board({ ramSize: 16 << 20 }), {
    onOutput: (b) => (out += Buffer.from(b).toString('latin1')),
  });
  k.vfs.writeFile('/bin/prog', bytes, 0o755);
  const t = k.spawn('/bin/prog', ['/bin/prog']);
  if (isLoadFailure(t)) throw new Error(t.message);
  const dbg = new Debugger(k, () => info);
  const file = info.files().find((f) => f.endsWith('dbgprog.c'))!;
  const go = (limit = 20_000_000): StopEvent | null => {
    for (let done = 0; done < limit; done += 100_000) {
      const r = dbg.run(100_000);
      if (r.stop) return r.stop;
      if (r.outcome === 'exited') return null;
    }
    throw new Error('no stop within the limit');
  };
  return { dbg, k, pid: t.pid, info, file, out: () => out, go };
}

const TOOLS = [RV_GCC];

describe('Debugger', () => {
  oracleIt(
    'stops at a line breakpoint with the arguments in registers, each time it is reached',
    TOOLS,
    () => {
      const r = rig(SOURCE, ['-O0', '-g']);
      const [bp] = r.dbg.setBreakpoints([{ file: r.file, line: 5 }]);
      expect(bp!.verified).toBe(true);
      expect(bp!.line).toBe(5);
      const seen: number[] = [];
      for (let i = 0; i < 5; i++) {
        const stop = r.go()!;
        expect(stop.reason).toBe('breakpoint');
        expect(stop.location?.line).toBe(5);
        expect(stop.function).toBe('add');
        seen.push(r.dbg.registers(r.pid)!.x[11]!); // b in a1 at -O0: spilled, but a1 still holds it
        // The breakpoint is an ebreak in the text, but views show the program's own instruction.
        expect(r.dbg.disassemble(r.pid, stop.pc, 1)[0]!.text).not.toMatch(/ebreak/);
        r.dbg.resumeFromStop(r.pid);
      }
      expect(seen).toEqual([0, 1, 2, 3, 4]);
      expect(r.dbg.listBreakpoints()[0]!.hits).toBe(5);
    },
  );

  oracleIt('conditional breakpoints stop only when the condition holds', TOOLS, () => {
    const r = rig(SOURCE, ['-O0', '-g']);
    r.dbg.setBreakpoints([{ function: 'add', condition: 'a1 == 3 && counter > 5' }]);
    const stop = r.go()!;
    expect(stop.reason).toBe('breakpoint');
    expect(stop.location?.line).toBe(5); // after the prologue
    expect(r.dbg.evaluate(r.pid, 'a1')).toBe(3);
    expect(r.dbg.evaluate(r.pid, 'counter')).toBe(5 + 0 + 1 + 2);
    expect(r.dbg.evaluate(r.pid, 'nosuch + 1')).toMatch(/no symbol 'nosuch'/);
    r.dbg.resumeFromStop(r.pid);
    r.dbg.setBreakpoints([]);
    expect(r.go()).toBeNull();
    expect(r.out()).toBe('s=20 pid=1\n');
  });

  oracleIt('steps over, into and out by source line', TOOLS, () => {
    const r = rig(SOURCE, ['-O0', '-g']);
    r.dbg.setBreakpoints([{ file: r.file, line: 18 }]);
    expect(r.go()!.location?.line).toBe(18);
    r.dbg.setBreakpoints([]);
    r.dbg.step(r.pid, 'into');
    let stop = r.go()!;
    expect(stop.reason).toBe('step');
    expect(stop.function).toBe('twice');
    expect(stop.location?.line).toBe(10);
    r.dbg.step(r.pid, 'over');
    stop = r.go()!;
    expect(stop.location?.line).toBe(11);
    expect(r.dbg.evaluate(r.pid, 'counter')).toBe(5 + 10 + 10);
    r.dbg.step(r.pid, 'out');
    stop = r.go()!;
    expect(stop.function).toBe('main');
    expect(stop.location?.line).toBe(18);
    r.dbg.step(r.pid, 'over');
    expect(r.go()!.location?.line).toBe(19);
    const before = r.dbg.registers(r.pid)!.pc;
    r.dbg.step(r.pid, 'instruction');
    const after = r.go()!;
    expect(after.pc).not.toBe(before);
    expect(after.pc - before === 2 || after.pc - before === 4).toBe(true);
  });

  for (const opt of ['-O0', '-O2']) {
    oracleIt(`unwinds the call stack (${opt})`, TOOLS, () => {
      const r = rig(SOURCE, [opt, '-g', '-fno-inline', '-fno-optimize-sibling-calls']);
      r.dbg.setBreakpoints([{ function: 'add' }]);
      // The sixth call of add comes from twice.
      let stop: StopEvent | null = null;
      for (let i = 0; i < 6; i++) {
        stop = r.go();
        r.dbg.resumeFromStop(r.pid);
      }
      expect(stop?.function).toBe('add');
      const names = r.dbg.callStack(r.pid).map((f) => f.function);
      expect(names.slice(0, 3)).toEqual(['add', 'twice', 'main']);
      const frames = r.dbg.callStack(r.pid);
      expect(frames[1]!.location?.line).toBe(10);
      expect(frames[2]!.location?.line).toBe(18);
    });
  }

  oracleIt('watchpoints stop on a write to memory with the old and new values', TOOLS, () => {
    const r = rig(SOURCE, ['-O0', '-g']);
    const g = r.info.data.get('counter')!;
    r.dbg.setWatchpoints([{ pid: r.pid, address: g.addr, length: 4 }]);
    const stop = r.go()!;
    expect(stop.reason).toBe('watchpoint');
    expect(stop.function).toBe('add');
    // The first call adds 0: the same value written again is not a change (as with GDB's watch).
    expect(stop.detail).toBe(`0x${g.addr.toString(16)}: 0x5 -> 0x6`);
    expect(r.dbg.evaluate(r.pid, 'a1')).toBe(1);
  });

  oracleIt('stops on kernel events: a system call by number and a task exit', TOOLS, () => {
    const r = rig(SOURCE, ['-O0', '-g']);
    r.dbg.setEventStops({ syscalls: [172] });
    const stop = r.go()!;
    expect(stop.reason).toBe('syscall');
    expect(stop.detail).toBe('syscall 172');
    expect(stop.function).toBe('rt_syscall');
    expect(r.dbg.registers(r.pid)!.x[10]).toBe(1); // getpid's result is in a0 after the call
    r.dbg.setEventStops({ taskExit: true });
    const end = r.go()!;
    expect(end.reason).toBe('task-exit');
    expect(end.detail).toBe(`status ${20 << 8}`);
  });

  oracleIt('per-task focus: a breakpoint in shared code stops only in the chosen task', TOOLS, () => {
    const r = rig(FORKER, ['-O0', '-g']);
    r.dbg.setEventStops({ syscalls: [220] });
    r.go(); // stopped after fork in the parent
    r.dbg.setEventStops({});
    const child = r.k.tasks.all().find((t) => t.pid !== r.pid)!;
    r.dbg.focus = child.pid;
    r.dbg.setBreakpoints([{ function: 'work' }]);
    const stop = r.go()!;
    expect(stop.pid).toBe(child.pid);
    expect(r.dbg.evaluate(child.pid, 'a0')).toBe(1);
    r.dbg.resumeFromStop(child.pid);
    expect(r.go()).toBeNull();
    expect(r.out()).toBe('parent 4 child 2\n');
  });

  oracleIt('disassembles with the source line of each instruction', TOOLS, () => {
    const r = rig(SOURCE, ['-O0', '-g']);
    const add = r.info.functionNamed('add')!;
    const lines = r.dbg.disassemble(r.pid, add.start, 8);
    expect(lines.length).toBe(8);
    expect(lines[0]!.address).toBe(add.start);
    expect(lines[0]!.text).toMatch(/^addi?\s+sp,sp,-\d+/); // objdump spells c.addi16sp `add`
    expect(lines.every((l) => l.location?.file === r.file)).toBe(true);
    expect(lines.some((l) => l.location?.line === 5)).toBe(true);
  });
});

const LOCALS = `#include "rt.h"
struct point { int x; short y; char tag; };
enum color { RED, GREEN = 5 };
int show(int n, const char *label, struct point p, double scale) {
  int arr[3] = { n, n * 2, n * 3 };
  enum color c = GREEN;
  unsigned char u = 200;
  _Bool flag = 1;
  float f = 1.5f;
  int total = arr[0] + arr[1] + arr[2] + p.x + (int)scale + (int)f + c + u + flag;
  for (int i = 0; i < 2; i++) {
    int inner = i * 10;
    total += inner;
  }
  return total + label[0];
}
int main(void) {
  struct point p = { 7, -2, 'q' };
  for (int i = 0; i < 4; i++) show(i, "lbl", p, 2.5);
  return 0;
}
`;

describe('Debugger locals', () => {
  oracleIt('shows parameters and locals with their types and values, blocks included', TOOLS, () => {
    const r = rig(LOCALS, ['-O0', '-g']);
    r.dbg.setBreakpoints([{ file: r.file, line: 13, condition: 'n == 2 && i == 1' }]);
    const stop = r.go()!;
    expect(stop.location?.line).toBe(13);
    const vars = r.dbg.locals(r.pid);
    const byName = new Map(vars.map((v) => [v.name, v]));
    expect(vars.slice(0, 4).map((v) => v.name)).toEqual(['n', 'label', 'p', 'scale']);
    expect(byName.get('n')).toMatchObject({ type: 'int', value: '2' });
    expect(byName.get('label')!.value).toMatch(/^0x[0-9a-f]+ "lbl"$/);
    expect(byName.get('label')!.type).toBe('char *');
    expect(byName.get('scale')).toMatchObject({ type: 'double', value: '2.5' });
    expect(byName.get('p')!.children!.map((c) => `${c.name}=${c.value}`)).toEqual([
      'x=7',
      'y=-2',
      "tag=113 'q'",
    ]);
    expect(byName.get('arr')!.children!.map((c) => c.value)).toEqual(['2', '4', '6']);
    expect(byName.get('c')).toMatchObject({ type: 'enum color', value: 'GREEN' });
    expect(byName.get('u')!.value).toBe("200 '\u00c8'");
    expect(byName.get('flag')!.value).toBe('true');
    expect(byName.get('f')!.value).toBe('1.5');
    expect(byName.get('i')!.value).toBe('1');
    expect(byName.get('inner')!.value).toBe('10');
    // The caller's frame has its own locals.
    const outer = r.dbg.locals(r.pid, 1);
    expect(outer.find((v) => v.name === 'i')!.value).toBe('2');
    expect(outer.find((v) => v.name === 'p')!.children![0]!.value).toBe('7');
  });
});
