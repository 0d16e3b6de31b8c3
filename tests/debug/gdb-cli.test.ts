// `futura run --gdb PORT`: the program halts before its first instruction, gdb-multiarch connects,
// breaks in a function, reads registers, steps, examines memory, and continues to the exit code,
// which is also futura run's exit status.
import { execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { buildWithGcc } from '../support/gcc';
import { oracleIt, RV_GCC } from '../support/oracle';

const ROOT = join(import.meta.dirname, '..', '..');
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
      const child = spawn(process.execPath, [join(ROOT, 'bin', 'futura.mjs'), 'run', '--gdb', '0', elf], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      const port = await new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no GDB port announced: ${stderr}`)), 60_000);
        child.stderr.on('data', (d: Buffer) => {
          stderr += d.toString();
          const m = /127\.0\.0\.1:(\d+)/.exec(stderr);
          if (m) {
            clearTimeout(timer);
            resolve(Number(m[1]));
          }
        });
      });
      const exited = new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
      const transcript = await new Promise<string>((resolve) => {
        execFile(
          'gdb-multiarch',
          [
            '-q', '-batch', '-nx',
            '-ex', 'set architecture riscv:rv32',
            '-ex', `file ${elf}`,
            '-ex', `target remote 127.0.0.1:${port}`,
            '-ex', 'info registers pc',
            '-ex', 'break triple',
            '-ex', 'continue',
            '-ex', 'info registers a0',
            '-ex', 'stepi',
            '-ex', 'x/2xw $sp',
            '-ex', 'continue',
          ], // prettier-ignore
          { timeout: 60_000 },
          (_err, out, err) => resolve(`${out}${err}`),
        );
      });
      expect(transcript).toMatch(/pc\s+0x[0-9a-f]+\s+0x[0-9a-f]+ <_start>/);
      expect(transcript).toMatch(/Breakpoint 1, triple \(v=7\)/);
      expect(transcript).toMatch(/a0\s+0x7\s+7/);
      expect(transcript).toMatch(/0x7ff[0-9a-f]+:\s+0x[0-9a-f]{8}\s+0x[0-9a-f]{8}/);
      expect(transcript).toMatch(/exited with code 025/);
      expect(await exited).toBe(21);
      expect(stdout).toBe('r=21\n');
    },
    120_000,
  );
});
