// libfutura's headers against the kernel's ABI tables (core/kernel/abi.ts, errno.ts): every system
// call of the ABI has its number, a sys_* prototype in sys.h and a veneer in sys.c, and every
// constant the headers share with the kernel has the kernel's value. A number typed wrong in a
// header would otherwise show only as a guest misbehaving.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as abi from '../../core/kernel/abi';
import * as errno from '../../core/kernel/errno';
import { SAMPLE_DIR } from './sample';

const INCLUDE = join(SAMPLE_DIR, 'libfutura', 'include');

function headerFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? headerFiles(p) : n.endsWith('.h') ? [p] : [];
  });
}

/** Every `#define NAME <integer>` of the installed headers (with its header, for messages). */
function numericDefines(): Map<string, { value: number; file: string }> {
  const out = new Map<string, { value: number; file: string }>();
  const re = /^#define\s+(\w+)\s+\(?(-?(?:0x[0-9a-fA-F]+|\d+))[uU]?\)?\s*(?:\/\*.*)?$/gm;
  for (const file of headerFiles(INCLUDE))
    for (const m of readFileSync(file, 'utf8').matchAll(re))
      out.set(m[1]!, { value: (m[2]!.startsWith('-') ? -1 : 1) * Number(m[2]!.replace('-', '')), file });
  return out;
}

function numbers(mod: Record<string, unknown>): [string, number][] {
  return Object.entries(mod).filter((e): e is [string, number] => typeof e[1] === 'number');
}

const defines = numericDefines();

describe('libfutura headers and the kernel ABI', () => {
  it('sys.h numbers every system call of the ABI as the kernel does', () => {
    const want = Object.entries(abi.SYS).map(([name, nr]) => [`SYS_${name}`, nr]);
    const got = want.map(([name]) => [name, defines.get(name as string)?.value]);
    expect(got).toEqual(want);
    const extra = [...defines.keys()].filter((n) => n.startsWith('SYS_') && !(n.slice(4) in abi.SYS));
    expect(extra).toEqual([]);
  });

  it('each call but rt_sigreturn (the signal trampoline’s) has a sys_* prototype and a veneer', () => {
    const sysH = readFileSync(join(INCLUDE, 'sys.h'), 'utf8');
    const sysC = readFileSync(join(SAMPLE_DIR, 'libfutura', 'src', 'sys.c'), 'utf8');
    const missing: string[] = [];
    for (const name of Object.keys(abi.SYS)) {
      if (name === 'rt_sigreturn') continue;
      const proto = new RegExp(`^(?:long|void) sys_${name}\\([^)]*\\);$`, 'm');
      const body = new RegExp(`^(?:long|void) sys_${name}\\([^)]*\\) \\{`, 'm');
      if (!proto.test(sysH)) missing.push(`sys.h: sys_${name}`);
      if (!body.test(sysC)) missing.push(`sys.c: sys_${name}`);
    }
    expect(missing).toEqual([]);
  });

  it('errno.h has every errno of the kernel, with its value', () => {
    const want = numbers(errno).filter(([n]) => /^E[A-Z0-9]+$/.test(n));
    expect(want.length).toBeGreaterThan(20);
    expect(want.map(([n]) => [n, defines.get(n)?.value])).toEqual(want);
  });

  it('constants shared by name (open, mmap, wait, signals, ioctls, clocks, FIPC) agree', () => {
    // The FIPC names of fipc.h are shorter than the kernel's.
    const aliases: Record<string, string> = {
      FIPC_RIGHT_SEND: 'FIPC_SEND',
      FIPC_RIGHT_RECV: 'FIPC_RECV',
      FIPC_RIGHT_SYS: 'FIPC_SYS',
      FIPC_RIGHT_ADMIN: 'FIPC_ADMIN',
      FIPC_EVENT_MESSAGE: 'FIPC_MSG',
      FIPC_EVENT_DISCONNECT: 'FIPC_DISCONNECT',
      FIPC_EVENT_ERROR: 'FIPC_ERROR',
      FIPC_TYPE_USER_BASE: 'FIPC_USER_BASE',
    };
    const shared = numbers(abi)
      .map(([n, v]) => [aliases[n] ?? n, v] as [string, number])
      .filter(([n]) => defines.has(n));
    // The groups the headers must carry (a dropped header would otherwise shrink the comparison).
    for (const n of ['O_CREAT', 'MAP_ANONYMOUS', 'WNOHANG', 'SIGCHLD', 'FBIOGET_INFO', 'CLOCK_MONOTONIC'])
      expect(shared.map(([k]) => k)).toContain(n);
    for (const n of ['FIPC_SEND', 'FIPC_MSG', 'FIPC_HEADER_SIZE', 'FIPC_MAX_PAYLOAD', 'AT_FDCWD', 'SEEK_END'])
      expect(shared.map(([k]) => k)).toContain(n);
    expect(shared.map(([n]) => [n, defines.get(n)?.value])).toEqual(shared);
  });
});
