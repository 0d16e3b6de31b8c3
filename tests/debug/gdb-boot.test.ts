// `futura boot --gdb PORT`: the whole Futura system (init, its services, the shell) halts before
// init's first instruction; gdb-multiarch connects with init's symbol file, reads registers,
// breaks in init's main, examines the stack, lists the tasks as threads, stops on a write
// watchpoint, and detaches — the boot then goes on and the shell runs the script to its exit.
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { oracleIt } from '../support/oracle';

const ROOT = join(import.meta.dirname, '..', '..');

function gdb(port: number, symbols: string, commands: string[]): Promise<string> {
  const args = ['-q', '-batch', '-nx', '-ex', 'set architecture riscv:rv32', '-ex', `file ${symbols}`];
  args.push('-ex', `target remote 127.0.0.1:${port}`, ...commands.flatMap((c) => ['-ex', c]));
  return new Promise((resolve) => {
    execFile('gdb-multiarch', args, { timeout: 150_000 }, (e, out, err) =>
      resolve(`${out}${err}${e?.killed ? '\n[gdb timed out]' : ''}`),
    );
  });
}

describe('futura boot --gdb', () => {
  oracleIt(
    'debugs the booted system: registers, a breakpoint in init, threads, a watchpoint, detach',
    ['gdb-multiarch'],
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'futura-gdb-boot-'));
      try {
        const script = join(dir, 'script.txt');
        writeFileSync(script, 'echo hello from fsh\nexit 3\n');
        const image = join(dir, 'image');
        const child = spawn(
          process.execPath,
          [join(ROOT, 'bin', 'futura.mjs'), 'boot', '--gdb', '0', '--out', image, '--script', script],
          { stdio: ['ignore', 'pipe', 'pipe'] },
        );
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        const exited = new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
        const port = await new Promise<number>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`no GDB port announced: ${stderr}`)), 150_000);
          child.stderr.on('data', (d: Buffer) => {
            stderr += d.toString();
            const m = /waiting for gdb on 127\.0\.0\.1:(\d+)/.exec(stderr);
            if (m) {
              clearTimeout(timer);
              resolve(Number(m[1]));
            }
          });
        });
        const t = await gdb(port, join(image, 'sbin', 'init'), [
          'info registers',
          'break main',
          'continue',
          'x/4x $sp',
          'info registers sp',
          'watch cfg.count',
          'continue',
          'delete',
          'break wait_ready',
          'continue',
          'info threads',
          'monitor ps',
          'delete',
          'detach',
        ]);
        // Halted before the first instruction: pc at init's entry, a fresh stack.
        expect(t, t).toMatch(/pc\s+0x400000\s+0x400000 <_start>/);
        expect(t, t).toMatch(/sp\s+0x7ffe[0-9a-f]{4}\s/);
        expect(t, t).toMatch(/Breakpoint 1, main \(argc=1, argv=0x7ffe[0-9a-f]+\) at init\/init\.c:\d+/);
        // x/4x $sp prints the stack pointer's address and four words there.
        const sp = /sp\s+(0x[0-9a-f]+)\s/g.exec(t.slice(t.indexOf('Breakpoint 1, main')));
        expect(sp).not.toBeNull();
        expect(t, t).toMatch(new RegExp(`${sp![1]}:(\\s+0x[0-9a-f]{8}){4}`));
        // A hardware (Z2) write watchpoint: no single-stepping, the store itself stops the machine.
        expect(t, t).toMatch(/Hardware watchpoint 2: cfg\.count/);
        expect(t, t).toMatch(/Old value = 0\s+New value = 1\s+0x[0-9a-f]+ in config_parse/);
        // After init forked its first service, both tasks are threads.
        expect(t, t).toMatch(/Thread 1 hit Breakpoint 3, wait_ready/);
        expect(t, t).toMatch(/\*\s+1\s+Thread 1 \(init running\) wait_ready/);
        expect(t, t).toMatch(/\s2\s+Thread 2 \(init \w+\)/);
        // monitor ps: the kernel's task list, init and its forked child.
        expect(t, t).toMatch(/PID\s+PPID\s+STATE\s+NAME\n\s+1\s+0\s+running\s+init\n\s+2\s+1\s+\w+\s+init/);
        expect(t, t).toMatch(/\[Inferior 1 \(Remote target\) detached\]/);
        expect(await exited, `${t}\n${stderr}`).toBe(3);
        expect(stdout).toContain('hello from fsh');
        expect(stderr).toContain('gdb: session ended (detached)');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    330_000,
  );
});
