// The stub's kernel target through a raw remote-protocol client, with futcc-assembled programs (no
// external tools): threads (tasks) and their queries, hardware breakpoints, continuing off a
// breakpoint that stays inserted, unsupported read/access watchpoints, and breakpoints that apply
// to the program they were set in — not to another program running the same addresses.
import { describe, expect, it } from 'vitest';
import { Board } from '../../core/machine/board';
import { Kernel, isLoadFailure } from '../../core/kernel';
import { loopDriver } from '../../core/host/gdb/drive';
import { KernelDebugTarget } from '../../core/host/gdb/kernel-target';
import { startGdbServer, type GdbServer } from '../../core/host/gdb/server';
import { findSymbol, readElf } from '../../core/elf';
import { mustAssemble } from '../host/session-support';
import { rspClient } from './gdb-support';
import { kernelRunning } from './kernel-rig';

/** Forks; the child execs /bin/other, the parent counts in s0 and yields, forever (`ploop`: 0x40004c). */
const INIT = `
  .option norvc
  .text
  .globl _start
_start:
  li a7, 220
  li a0, 17
  li a1, 0
  li a2, 0
  li a3, 0
  li a4, 0
  ecall
  bnez a0, parent
  la a0, path
  la a1, argv
  li a2, 0
  li a7, 221
  ecall
  li a0, 1
  li a7, 93
  ecall
parent:
  li s0, 0
ploop:
  addi s0, s0, 1
  li a7, 124
  ecall
  j ploop
  .data
path: .asciz "/bin/other"
  .align 2
argv: .word path, 0
`;
const PLOOP = 0x40004c;

/** Runs straight through 0x400000–0x400100 (so it passes PLOOP too), counting in s1. */
const OTHER = `
  .option norvc
  .text
  .globl _start
_start:
${'  addi s1, s1, 1\n'.repeat(64)}  j _start
`;

/**
 * Forks, then the parent stores to `cell` (in .bss, not yet touched: the store faults the page in)
 * and to `word` (in .data, shared copy-on-write with the child since the fork: the store faults a
 * copy in), then stores the same value to `word` again; the child exits.
 */
const WRITER = `
  .text
  .globl _start
_start:
  li a7, 220
  li a0, 17
  li a1, 0
  li a2, 0
  li a3, 0
  li a4, 0
  ecall
  bnez a0, parent
  li a0, 0
  li a7, 93
  ecall
parent:
  li t1, 5
  la t0, cell
  sw t1, 0(t0)
  la t2, word
  sw t1, 0(t2)
  sw t1, 0(t2)
  li a0, 3
  li a7, 93
  ecall
  .data
word: .word 7
  .bss
  .space 8192
cell: .space 4
`;

// pipe2, write four bytes, read() them into `cell`: the store into the watched word is the kernel's.
const READER = `
  .text
  .globl _start
_start:
  la a0, fds
  li a1, 0
  li a7, 59
  ecall
  la t0, fds
  lw a0, 4(t0)
  la a1, msg
  li a2, 4
  li a7, 64
  ecall
  la t0, fds
  lw a0, 0(t0)
  la a1, cell
  li a2, 4
  li a7, 63
  ecall
after:
  li a0, 3
  li a7, 93
  ecall
  .data
msg: .byte 0, 9, 0, 0
fds: .word 0, 0
  .bss
cell: .space 4
`;

function hex(n: number): string {
  return n.toString(16);
}

function reg(g: string, n: number): number {
  return parseInt(
    g
      .slice(n * 8, n * 8 + 8)
      .match(/../g)!
      .reverse()
      .join(''),
    16,
  );
}

async function boot(): Promise<{ k: Kernel; server: GdbServer }> {
  const k = new Kernel(new Board({ ramSize: 16 << 20 }), { preemptive: true });
  k.vfs.mkdir('/bin', 0o755);
  k.vfs.writeFile('/sbin/init', mustAssemble(INIT), 0o755);
  k.vfs.writeFile('/bin/other', mustAssemble(OTHER), 0o755);
  const init = k.spawn('/sbin/init', ['/sbin/init']);
  if (isLoadFailure(init)) throw new Error(init.message);
  const server = await startGdbServer(new KernelDebugTarget(k, { driver: loopDriver() }), 0);
  return { k, server };
}

describe('GDB stub on the kernel target', () => {
  it('scopes breakpoints to their program, lists tasks as threads, steps off kept breakpoints', async () => {
    const { k, server } = await boot();
    const g = await rspClient(server.port);
    try {
      expect(await g.ask('qfThreadInfo')).toBe('m1');
      expect(Buffer.from(await g.ask('qThreadExtraInfo,1'), 'hex').toString()).toBe('init ready');
      expect(await g.ask('T1')).toBe('OK');
      expect(await g.ask('T9')).toBe('E01');
      expect(await g.ask('Hg9')).toBe('E01');
      expect(await g.ask(`Z3,${hex(PLOOP)},4`)).toBe('');
      expect(await g.ask(`Z4,${hex(PLOOP)},4`)).toBe('');

      // A hardware breakpoint set while init is selected: it is init's, kept inserted throughout.
      expect(await g.ask(`Z1,${hex(PLOOP)},4`)).toBe('OK');
      const counts: number[] = [];
      for (let i = 0; i < 40; i++) {
        expect(await g.ask('c')).toBe('T05thread:1;hwbreak:;');
        const regs = await g.ask('g');
        expect(reg(regs, 32)).toBe(PLOOP);
        counts.push(reg(regs, 8));
      }
      // Each continue ran the breakpoint's own instruction once, then came round again.
      expect(counts.slice(1).every((c, i) => c === counts[i]! + 1)).toBe(true);

      // Meanwhile the child exec'd /bin/other, which ran over PLOOP's address without stopping.
      expect(await g.ask('qfThreadInfo')).toBe('m1,2');
      expect(Buffer.from(await g.ask('qThreadExtraInfo,2'), 'hex').toString()).toMatch(/^other /);
      expect(await g.ask('Hg2')).toBe('OK');
      const other = await g.ask('g');
      expect(reg(other, 9)).toBeGreaterThan(64); // s1: it went round its loop
      // Memory reads follow the selected thread's address space: other's code at PLOOP.
      expect(await g.ask(`m${hex(PLOOP)},4`)).toBe('93841400'); // addi s1, s1, 1
      expect(await g.ask('Hg1')).toBe('OK');
      expect(await g.ask(`m${hex(PLOOP)},4`)).toBe('13041400'); // addi s0, s0, 1 (not the ebreak)

      expect(await g.ask(`z1,${hex(PLOOP)},4`)).toBe('OK');
      const ps = Buffer.from(await g.ask(`qRcmd,${Buffer.from('ps').toString('hex')}`), 'hex').toString();
      expect(ps).toMatch(/^\s+PID\s+PPID\s+STATE\s+NAME\n\s+1\s+0\s+\w+\s+init\n\s+2\s+1\s+\w+\s+other\n$/);
      expect(Buffer.from(await g.ask('qRcmd,6e6f7065'), 'hex').toString()).toMatch(
        /unknown monitor command 'nope'/,
      );
      g.raw('$k#6b');
      expect(await server.done).toBe('killed');
      expect(k.exits.get(1)).toBe(9);
    } finally {
      g.close();
    }
  }, 30_000);

  it('stops on writes to watched words: a page faulted in, a copy-on-write copy, an unchanged value', async () => {
    const elf = mustAssemble(WRITER);
    const sym = (name: string): number => findSymbol(readElf(elf), name)!.value >>> 0;
    const [cell, word] = [sym('cell'), sym('word')];
    const { k } = kernelRunning(elf, '/sbin/init');
    const server = await startGdbServer(new KernelDebugTarget(k, { driver: loopDriver() }), 0);
    const g = await rspClient(server.port);
    try {
      expect(await g.ask(`Z2,${hex(cell)},4`)).toBe('OK');
      expect(await g.ask(`Z2,${hex(word)},4`)).toBe('OK');
      expect(await g.ask('c')).toBe(`T05thread:1;watch:${hex(cell)};`);
      expect(await g.ask(`m${hex(cell)},4`)).toBe('05000000');
      expect(await g.ask('c')).toBe(`T05thread:1;watch:${hex(word)};`);
      expect(await g.ask(`m${hex(word)},4`)).toBe('05000000');
      expect(await g.ask('c')).toBe(`T05thread:1;watch:${hex(word)};`); // 5 over 5 still stops
      expect(await g.ask('c')).toBe('W03');
      expect(await server.done).toBe('ended');
    } finally {
      g.close();
    }
  }, 30_000);

  it('stops when a system call writes a watched word, right after its ecall', async () => {
    const elf = mustAssemble(READER);
    const sym = (name: string): number => findSymbol(readElf(elf), name)!.value >>> 0;
    const { k } = kernelRunning(elf, '/sbin/init');
    const server = await startGdbServer(new KernelDebugTarget(k, { driver: loopDriver() }), 0);
    const g = await rspClient(server.port);
    try {
      expect(await g.ask(`Z2,${hex(sym('cell'))},4`)).toBe('OK');
      // The first byte read() changed (the message's second) is the one reported.
      expect(await g.ask('c')).toBe(`T05thread:1;watch:${hex(sym('cell') + 1)};`);
      expect(reg(await g.ask('g'), 32)).toBe(sym('after'));
      expect(await g.ask(`m${hex(sym('cell'))},4`)).toBe('00090000');
      expect(await g.ask('c')).toBe('W03');
      expect(await server.done).toBe('ended');
    } finally {
      g.close();
    }
  }, 30_000);
});
