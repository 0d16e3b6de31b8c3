// `futura run`: GCC-built programs booted on the Futura kernel from the command line — stdout is
// exactly the guest's console bytes (checked against qemu-riscv32), the exit status is the
// program's (128 + signal when killed), input comes from stdin, and every failure is status 2.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildWithGcc } from '../support/gcc';
import { oracleIt, QEMU_USER, RV_GCC } from '../support/oracle';
import { exitCodeOf, traceLine } from '../../core/cli/user-run';

const BIN = fileURLToPath(new URL('../../bin/futura.mjs', import.meta.url));
const TIMEOUT = 60_000;

interface Result {
  status: number | null;
  stdout: Buffer;
  stderr: string;
}

function futura(args: string[], input?: Buffer | string): Result {
  const r = spawnSync(process.execPath, [BIN, 'run', ...args], {
    input: input ?? '',
    timeout: TIMEOUT,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr.toString() };
}

function program(name: string, body: string): string {
  return buildWithGcc([{ name: `${name}.c`, text: `#include "rt.h"\n${body}` }]);
}

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'futura-run-'));
}

const HELLO = `int main(int argc, char **argv) {
  printf("hello, world\\n");
  printf("%d args, last '%s'\\n", argc, argv[argc - 1]);
  rt_write(1, "no newline at the end", 21);
  return 7;
}`;

const CAT = `int main(void) {
  char b[64]; long n, total = 0;
  while ((n = rt_read(0, b, sizeof b)) > 0) { rt_write(1, b, n); total += n; }
  return total == 0 ? 9 : 0;
}`;

describe('futura run', () => {
  oracleIt(
    'hello world: stdout byte-identical to qemu-riscv32, same exit status',
    [RV_GCC, QEMU_USER],
    () => {
      const elf = program('hello', HELLO);
      const ours = futura([elf, 'one', 'two']);
      const qemu = spawnSync(QEMU_USER, [elf, 'one', 'two'], { timeout: TIMEOUT });
      expect(ours.stderr).toBe('');
      expect(ours.stdout.toString()).toBe("hello, world\n3 args, last 'two'\nno newline at the end");
      expect(Buffer.compare(ours.stdout, qemu.stdout)).toBe(0);
      expect(ours.status).toBe(7);
      expect(qemu.status).toBe(7);
    },
    TIMEOUT,
  );

  oracleIt(
    'propagates the exit status, including exit(0) and codes above 127',
    [RV_GCC],
    () => {
      const elf = program(
        'status',
        "int main(int argc, char **argv) { return argv[1][0] == 'a' ? 0 : 200; }",
      );
      expect(futura([elf, 'a']).status).toBe(0);
      expect(futura([elf, 'b']).status).toBe(200);
    },
    TIMEOUT,
  );

  oracleIt(
    'a program killed by SIGSEGV exits 139 with the report on stderr only',
    [RV_GCC],
    () => {
      const elf = program(
        'segv',
        'int main(void) { printf("before\\n"); *(volatile int *)16 = 1; return 0; }',
      );
      const r = futura([elf]);
      expect(r.status).toBe(139);
      expect(r.stdout.toString()).toBe('before\n');
      expect(r.stderr).toMatch(/killed by signal 11.*0x10/);
    },
    TIMEOUT,
  );

  oracleIt(
    'stdin reaches the console unchanged and its end reads as end of file',
    [RV_GCC],
    () => {
      const elf = program('cat', CAT);
      const input = Buffer.from('line one\nline two\r\n\x04binary \x00\xff tail without newline');
      const r = futura([elf], input);
      expect(r.stderr).toBe('');
      expect(Buffer.compare(r.stdout, input)).toBe(0);
      expect(r.status).toBe(0);
      const big = Buffer.from('0123456789abcdef\n'.repeat(20_000));
      const b = futura([elf], big);
      expect(Buffer.compare(b.stdout, big)).toBe(0);
      expect(b.status).toBe(0);
      const empty = futura([elf], '');
      expect(empty.stdout.length).toBe(0);
      expect(empty.status).toBe(9);
    },
    TIMEOUT,
  );

  oracleIt(
    'input is read as it arrives: the guest answers each line before stdin ends',
    [RV_GCC],
    async () => {
      const elf = program(
        'echo-lines',
        `int main(void) {
           char b[64]; long n;
           while ((n = rt_read(0, b, sizeof b)) > 0) { rt_write(1, "got ", 4); rt_write(1, b, n); }
           printf("eof\\n");
           return 0;
         }`,
      );
      const child = spawn(process.execPath, [BIN, 'run', elf], { stdio: ['pipe', 'pipe', 'pipe'] });
      let out = '';
      const waitFor = (text: string): Promise<void> =>
        new Promise((resolve) => {
          const check = (): void => {
            if (out.includes(text)) resolve();
            else setTimeout(check, 10);
          };
          check();
        });
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      const status = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
      child.stdin.write('first\n');
      await waitFor('got first\n');
      child.stdin.write('second\n');
      await waitFor('got second\n');
      child.stdin.end();
      expect(await status).toBe(0);
      expect(out).toBe('got first\ngot second\neof\n');
    },
    TIMEOUT,
  );

  oracleIt(
    '--fs copies a host folder into the RamFS root',
    [RV_GCC],
    () => {
      const dir = tempDir();
      mkdirSync(join(dir, 'etc', 'deep'), { recursive: true });
      writeFileSync(join(dir, 'etc', 'deep', 'motd'), 'greetings from the host\n');
      const elf = program(
        'readfile',
        `int main(int argc, char **argv) {
           char b[128];
           long fd = rt_syscall(56, -100, (long)argv[1], 0, 0, 0, 0);
           if (fd < 0) { printf("open failed %ld\\n", fd); return 1; }
           long n = rt_read((int)fd, b, sizeof b);
           rt_write(1, b, n);
           return 0;
         }`,
      );
      const r = futura(['--fs', dir, elf, '/etc/deep/motd']);
      expect(r.stderr).toBe('');
      expect(r.stdout.toString()).toBe('greetings from the host\n');
      expect(r.status).toBe(0);
      const without = futura([elf, '/etc/deep/motd']);
      expect(without.stdout.toString()).toBe('open failed -2\n');
      expect(without.status).toBe(1);
      const bad = futura(['--fs', join(dir, 'missing'), elf]);
      expect(bad.status).toBe(2);
      expect(bad.stderr).toMatch(/--fs .*missing/);
    },
    TIMEOUT,
  );

  oracleIt(
    '--max-instructions stops an infinite loop with status 2 and a message',
    [RV_GCC],
    () => {
      const elf = program('spin', 'int main(void) { printf("spinning\\n"); for (;;) __asm__ volatile(""); }');
      const r = futura(['--max-instructions', '200000', elf]);
      expect(r.status).toBe(2);
      expect(r.stdout.toString()).toBe('spinning\n');
      expect(r.stderr).toMatch(/instruction limit.*200000/);
      const bad = futura(['--max-instructions', 'lots', elf]);
      expect(bad.status).toBe(2);
      expect(bad.stderr).toMatch(/--max-instructions must be a positive integer/);
    },
    TIMEOUT,
  );

  oracleIt(
    '--trace-syscalls prints write and exit lines on stderr only; --json-stats too',
    [RV_GCC],
    () => {
      const elf = program('hello', HELLO);
      const plain = futura([elf, 'x']);
      const r = futura(['--trace-syscalls', '--json-stats', elf, 'x']);
      expect(Buffer.compare(r.stdout, plain.stdout)).toBe(0);
      expect(r.status).toBe(7);
      const lines = r.stderr.trimEnd().split('\n');
      expect(
        lines.filter((l) => /^\[pid 1\] write\(1, 0x[0-9a-f]+, \d+\) = \d+$/.test(l)).length,
      ).toBeGreaterThan(0);
      expect(lines).toContain('[pid 1] exit(7) = ?');
      const stats = JSON.parse(lines[lines.length - 1]!) as {
        exitCode: number;
        syscalls: number;
        instret: number;
      };
      expect(stats.exitCode).toBe(7);
      expect(stats.syscalls).toBe(lines.length - 1);
      expect(stats.instret).toBeGreaterThan(0);
    },
    TIMEOUT,
  );

  it(
    'a malformed ELF or a missing file: a clear message and status 2',
    () => {
      const dir = tempDir();
      const junk = join(dir, 'junk.elf');
      writeFileSync(junk, 'this is not an ELF file at all');
      const r = futura([junk]);
      expect(r.status).toBe(2);
      expect(r.stdout.length).toBe(0);
      expect(r.stderr).toMatch(/^futura run: cannot load .*junk\.elf: .*ELF/);
      expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
      const truncated = join(dir, 'truncated.elf');
      writeFileSync(truncated, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1, 0]));
      const t = futura([truncated]);
      expect(t.status).toBe(2);
      expect(t.stderr).toMatch(/^futura run: cannot load /);
      const m = futura([join(dir, 'nope.elf')]);
      expect(m.status).toBe(2);
      expect(m.stderr).toMatch(/^futura run: cannot read .*nope\.elf/);
    },
    TIMEOUT,
  );

  it('maps wait statuses to exit codes and formats trace lines', () => {
    expect(exitCodeOf(0)).toBe(0);
    expect(exitCodeOf(5 << 8)).toBe(5);
    expect(exitCodeOf(11)).toBe(139);
    expect(exitCodeOf(2)).toBe(130);
    expect(traceLine(1, 64, [1, 0x7ffefd60, 13, 0, 0, 0], 13)).toBe(
      '[pid 1] write(1, 0x7ffefd60, 13) = 13\n',
    );
    expect(traceLine(3, 57, [55, 0, 0, 0, 0, 0], -9)).toBe('[pid 3] close(55) = -9 EBADF\n');
    expect(traceLine(1, 999, [1, 2, 3, 4, 5, 6], -38)).toBe(
      '[pid 1] syscall_999(1, 2, 3, 4, 5, 6) = -38 ENOSYS\n',
    );
  });
});
