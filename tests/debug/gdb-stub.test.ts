// The GDB remote stub against Debian's gdb-multiarch: break at a function, continue, read
// registers, stepi, examine memory, continue to the exit with the right code.
import { describe, expect } from 'vitest';
import { buildWithGcc } from '../support/gcc';
import { oracleIt, RV_GCC } from '../support/oracle';
import { debugWithGdb } from './gdb-support';

const PROGRAM = `
#include "rt.h"
volatile int counter = 0x1234;
int add(int a, int b) { counter++; return a + b; }
double scale(double x) { return x * 2.5; }
int main(void) {
  int s = 0;
  for (int i = 0; i < 5; i++) s = add(s, i);
  printf("sum %d %d\\n", s, (int)scale(4.0));
  return s + 32;
}
`;

const TOOLS = [RV_GCC, 'gdb-multiarch'];

describe('GDB remote stub', () => {
  oracleIt(
    'breaks at a function, shows registers, steps, examines memory and continues to the exit code',
    TOOLS,
    async () => {
      const elf = buildWithGcc([{ name: 'dbg.c', text: PROGRAM }], { flags: ['-O0', '-g'] });
      const r = await debugWithGdb(elf, [
        'break add',
        'continue',
        'info registers a0 a1',
        'print b',
        'stepi',
        'info registers pc',
        'x/2xw &counter',
        'bt',
        'delete',
        'continue',
      ]);
      expect(r.transcript).toMatch(/Breakpoint 1, add \(a=0, b=0\)/);
      expect(r.transcript).toMatch(/a0\s+0x0\s+0/);
      expect(r.transcript).toMatch(/\$1 = 0/);
      expect(r.transcript).toMatch(/#1\s+0x[0-9a-f]+ in main \(\)/);
      expect(r.transcript).toMatch(/<counter>:\s+0x00001234/);
      expect(r.transcript).toMatch(/exited with code 052/);
      expect(r.console).toBe('sum 10 10\n');
      expect(r.exitStatus).toBe(42 << 8);
    },
    90_000,
  );

  oracleIt(
    'reads and writes registers and memory: a changed argument changes the result',
    TOOLS,
    async () => {
      const elf = buildWithGcc([{ name: 'dbg.c', text: PROGRAM }], { flags: ['-O0', '-g'] });
      const r = await debugWithGdb(elf, [
        'break scale',
        'continue',
        'print x',
        'set var x = 10.0',
        'set var counter = 7',
        'finish',
        'print counter',
        'delete',
        'continue',
      ]);
      expect(r.transcript).toMatch(/\$1 = 4/);
      expect(r.transcript).toMatch(/Value returned is \$2 = 25/);
      expect(r.transcript).toMatch(/\$3 = 7/);
      expect(r.console).toBe('sum 10 25\n');
    },
    90_000,
  );
});
