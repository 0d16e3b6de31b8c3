// The debug service behind the session protocol: validated requests, programs found by task name
// in the image, plain-data results, clear errors for bad params and tasks that are gone.
import { readFileSync } from 'node:fs';
import { describe, expect } from 'vitest';
import { DebugRequestError, DebugService } from '../../core/host/debug/service';
import type { BreakpointState, MemoryBlock, StackFrame, Variable } from '../../core/protocol/debug';
import { buildWithGcc } from '../support/gcc';
import { oracleIt, RV_GCC } from '../support/oracle';
import { kernelRunning } from './kernel-rig';

const SOURCE = `#include "rt.h"
int table[4] = { 10, 20, 30, 40 };
int pick(int i) {
  int v = table[i];
  return v;
}
int main(void) {
  int sum = 0;
  for (int i = 0; i < 4; i++) sum += pick(i);
  printf("%d\\n", sum);
  return 0;
}
`;

describe('DebugService', () => {
  oracleIt('serves breakpoints, stacks, locals, memory, symbols and errors', [RV_GCC], () => {
    const elf = new Uint8Array(
      readFileSync(buildWithGcc([{ name: 'svc.c', text: SOURCE }], { flags: ['-O0', '-g'] })),
    );
    const { k, task: t } = kernelRunning(elf, '/bin/svc');
    const svc = new DebugService(k, new Map([['/bin/svc', elf]]));
    const [bp] = svc.handle('debug.setBreakpoints', {
      breakpoints: [{ function: 'pick', condition: 'i == 2' }],
    }) as BreakpointState[];
    expect(bp!.verified).toBe(true);
    let stop = null;
    for (let n = 0; n < 200 && !stop; n++) stop = svc.debugger.run(100_000).stop;
    expect(stop?.function).toBe('pick');
    const frames = svc.handle('debug.stackTrace', { pid: t.pid }) as StackFrame[];
    expect(frames.map((f) => f.function)).toEqual(['pick', 'main']);
    const locals = svc.handle('debug.locals', { pid: t.pid }) as Variable[];
    expect(locals.find((v) => v.name === 'i')?.value).toBe('2');
    const sym = svc.handle('debug.symbol', { pid: t.pid, name: 'table' }) as {
      address: number;
      size: number;
    };
    expect(sym.size).toBe(16);
    const mem = svc.handle('debug.memory', { pid: t.pid, address: sym.address, length: 8 }) as MemoryBlock;
    expect(mem.hex).toBe('0a00000014000000');
    expect(svc.handle('debug.evaluate', { pid: t.pid, expression: 'table' })).toEqual({ value: 10 });
    expect(svc.handle('debug.evaluate', { pid: t.pid, expression: 'i +' })).toEqual({
      error: 'unexpected end of expression',
    });
    expect(() => svc.handle('debug.setBreakpoints', { breakpoints: [{ line: 3 }] })).toThrow(
      DebugRequestError,
    );
    expect(() => svc.handle('debug.registers', { pid: 999 })).toThrow(/no live task with pid 999/);
    expect(() => svc.handle('debug.memory', { pid: t.pid, address: 16, length: 4 })).toThrow(
      /cannot read memory at 0x10/,
    );
    expect(() => svc.handle('debug.step', { pid: t.pid, kind: 'sideways' })).toThrow(DebugRequestError);
  });
});
