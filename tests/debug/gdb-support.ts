// Runs a GCC-built program on a fresh kernel behind the GDB stub, and drives Debian's gdb-multiarch
// against it in batch mode; returns gdb's transcript and the guest's console output.
import { execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect, type Socket } from 'node:net';
import { Board } from '../../core/machine/board';
import { Kernel, isLoadFailure } from '../../core/kernel';
import { KernelDebugTarget } from '../../core/host/gdb/kernel-target';
import { startGdbServer, type GdbSessionEnd } from '../../core/host/gdb/server';
import { loopDriver } from '../../core/host/gdb/drive';
import { encodePacket, RspReader, toLatin1 } from '../../core/host/gdb/packets';

export interface GdbRun {
  transcript: string;
  console: string;
  end: GdbSessionEnd;
  exitStatus: number | undefined;
}

export async function debugWithGdb(elf: string, commands: string[]): Promise<GdbRun> {
  const board = new Board({ ramSize: 32 << 20 });
  let out = '';
  const k = new Kernel(board, { onOutput: (b) => (out += Buffer.from(b).toString('latin1')) });
  k.vfs.writeFile('/bin/prog', new Uint8Array(readFileSync(elf)), 0o755);
  const task = k.spawn('/bin/prog', ['/bin/prog']);
  if (isLoadFailure(task)) throw new Error(task.message);
  const target = new KernelDebugTarget(k, { mainPid: task.pid, driver: loopDriver() });
  const server = await startGdbServer(target, 0);
  const args = [
    '-q',
    '-batch',
    '-nx',
    '-ex',
    'set architecture riscv:rv32',
    '-ex',
    'set confirm off',
    '-ex',
    `file ${elf}`,
    '-ex',
    `target remote 127.0.0.1:${server.port}`,
    ...commands.flatMap((c) => ['-ex', c]),
  ];
  const transcript = await new Promise<string>((resolve, reject) => {
    execFile('gdb-multiarch', args, { timeout: 60_000 }, (err, stdout, stderr) => {
      if (err && err.killed) reject(new Error(`gdb timed out:\n${stdout}\n${stderr}`));
      else resolve(`${stdout}${stderr}`);
    });
  });
  const end = await Promise.race([server.done, server.close().then(() => server.done)]);
  return { transcript, console: out, end, exitStatus: k.exits.get(task.pid) };
}

/** A raw remote-protocol client: sends packets, collects replies (acks skipped). */
export interface RspClient {
  ask(packet: string): Promise<string>;
  /** Sends a packet whose reply comes later (c, s); `next()` collects it. */
  send(packet: string): void;
  next(): Promise<string>;
  raw(bytes: string): void;
  close(): void;
}

export async function rspClient(port: number): Promise<RspClient> {
  const sock: Socket = await new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  });
  const reader = new RspReader();
  const replies: string[] = [];
  let waiter: (() => void) | null = null;
  sock.on('data', (d: Buffer) => {
    for (const i of reader.push(d)) if (i.kind === 'packet') replies.push(toLatin1(i.data));
    waiter?.();
  });
  const next = async (): Promise<string> => {
    while (replies.length === 0) await new Promise<void>((r) => (waiter = r));
    return replies.shift()!;
  };
  const send = (p: string): void => void sock.write(encodePacket(p));
  return {
    ask: (p) => {
      send(p);
      return next();
    },
    send,
    next,
    raw: (s) => void sock.write(s),
    close: () => sock.destroy(),
  };
}

const ROOT = join(import.meta.dirname, '..', '..');

export interface CliGdbRun {
  transcript: string;
  /** `futura run`'s exit status. */
  code: number | null;
  /** The guest's console output. */
  stdout: string;
}

/** Runs `futura run --gdb 0 ELF` as a user would and gdb-multiarch in batch mode against the port it announces. */
export async function runUnderGdb(elf: string, commands: string[]): Promise<CliGdbRun> {
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
  const args = ['-q', '-batch', '-nx', '-ex', 'set architecture riscv:rv32', '-ex', `file ${elf}`];
  args.push('-ex', `target remote 127.0.0.1:${port}`, ...commands.flatMap((c) => ['-ex', c]));
  const transcript = await new Promise<string>((resolve) => {
    execFile('gdb-multiarch', args, { timeout: 60_000 }, (_err, out, err) => resolve(`${out}${err}`));
  });
  return { transcript, code: await exited, stdout };
}
