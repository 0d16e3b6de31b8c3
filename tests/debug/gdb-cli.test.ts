// `futura run --gdb PORT`: the program halts before its first instruction, gdb-multiarch connects,
// breaks in a function, reads registers, steps, examines memory, and continues to the exit code,
// which is also futura run's exit status.
import { describe, expect } from 'vitest';
import { buildWithGcc } from '../support/gcc';
import { oracleIt, RV_GCC } from '../support/oracle';
import { runUnderGdb } from './gdb-support';

const PROGRAM = `#include "rt.h"
int triple(int v) { return v * 3; }
int main(void) {
  int r = triple(7);
  printf("r=%d\\n", r);
  return r;
}
`;

describe('futura run --gdb', () => {
  oracleIt(
    'waits for gdb-multiarch and runs under it to the exit code',
    [RV_GCC, 'gdb-multiarch'],
    async () => {
      const elf = buildWithGcc([{ name: 'gdbcli.c', text: PROGRAM }], { flags: ['-O0', '-g'] });
      const { transcript, code, stdout } = await runUnderGdb(elf, [
        'info registers pc',
        'break triple',
        'continue',
        'info registers a0',
        'stepi',
        'x/2xw $sp',
        'continue',
      ]);
      expect(transcript).toMatch(/pc\s+0x[0-9a-f]+\s+0x[0-9a-f]+ <_start>/);
      expect(transcript).toMatch(/Breakpoint 1, triple \(v=7\)/);
      expect(transcript).toMatch(/a0\s+0x7\s+7/);
      expect(transcript).toMatch(/0x7ff[0-9a-f]+:\s+0x[0-9a-f]{8}\s+0x[0-9a-f]{8}/);
      expect(transcript).toMatch(/exited with code 025/);
      expect(code).toBe(21);
      expect(stdout).toBe('r=21\n');
    },
    120_000,
  );
});
