// `futura run` options of issue 4 beyond run.test.ts: --preempt changes who runs first, --json-stats
// carries inspect's counters, a guest killed by a signal exits 128 + signal, and the host's SIGINT
// reaches the guest as ^C.
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect } from 'vitest';
import { buildWithGcc } from '../support/gcc';
import { oracleIt, RV_GCC } from '../support/oracle';

const BIN = fileURLToPath(new URL('../../bin/futura.mjs', import.meta.url));
const TIMEOUT = 120_000; // each test starts `futura run` (a fresh Node) two or three times

function futura(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, 'run', ...args], { input: '', timeout: TIMEOUT });
  return { status: r.status, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
}

function program(name: string, body: string): string {
  return buildWithGcc([
    {
      name: `${name}.c`,
      text: `#include "rt.h"
      #define S(n, a, b, c) rt_syscall(n, (long)(a), (long)(b), (long)(c), 0, 0, 0)
      ${body}`,
    },
  ]);
}

describe('futura run options', () => {
  oracleIt(
    '--preempt lets a child run while its parent spins; cooperative mode does not',
    [RV_GCC],
    () => {
      const elf = program(
        'spin',
        `int main(void) {
          long c = S(220, 17, 0, 0);
          if (c == 0) { printf("child ran\\n"); return 0; }
          for (volatile long i = 0; i < 3000000; i++) {}
          printf("parent spun\\n");
          int st; S(260, c, &st, 0);
          return 0;
        }`,
      );
      const coop = futura([elf]);
      expect(coop.stdout).toBe('parent spun\nchild ran\n');
      const pre = futura(['--preempt', elf]);
      expect(pre.stdout).toBe('child ran\nparent spun\n');
      expect(pre.status).toBe(0);
    },
    TIMEOUT,
  );

  oracleIt(
    'a guest killed by SIGTERM or SIGINT exits 128 + signal; --json-stats has the counters',
    [RV_GCC],
    () => {
      const elf = program(
        'selfkill',
        `int main(int argc, char **argv) {
          printf("bye\\n");
          S(129, S(172, 0, 0, 0), argv[1][0] == 't' ? 15 : 2, 0);
          return 0;
        }`,
      );
      expect(futura([elf, 't']).status).toBe(143);
      const r = futura(['--json-stats', elf, 'i']);
      expect(r.status).toBe(130);
      expect(r.stdout).toBe('bye\n');
      const lines = r.stderr.trimEnd().split('\n');
      expect(lines[0]).toMatch(/killed by signal 2/);
      const stats = JSON.parse(lines[lines.length - 1]!) as {
        exitCode: number;
        exits: Record<string, number>;
        counters: { syscalls: number; syscallsByNumber: Record<string, number>; contextSwitches: number };
      };
      expect(stats.exitCode).toBe(130);
      expect(stats.exits['1']).toBe(2);
      expect(stats.counters.syscallsByNumber).toMatchObject({ '64': 1, '129': 1, '172': 1 });
      expect(stats.counters.syscalls).toBe(3);
      expect(stats.counters.contextSwitches).toBeGreaterThanOrEqual(1);
    },
    TIMEOUT,
  );

  oracleIt(
    'the host’s SIGINT is ^C for the guest: a blocked reader ends with status 130',
    [RV_GCC],
    async () => {
      const elf = program(
        'reader',
        `int main(void) { char c; printf("ready\\n"); rt_read(0, &c, 1); printf("not reached\\n"); return 0; }`,
      );
      const child = spawn(process.execPath, [BIN, 'run', elf], { stdio: ['pipe', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      const status = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
      await new Promise<void>((resolve) => {
        const check = (): void => (out.includes('ready\n') ? resolve() : void setTimeout(check, 10));
        check();
      });
      child.kill('SIGINT');
      expect(await status).toBe(130);
      expect(out).toBe('ready\n');
      expect(err).toMatch(/killed by signal 2: \^C/);
    },
    TIMEOUT,
  );
});
