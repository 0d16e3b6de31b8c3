// Helpers for linker tests: GCC-compiled objects (-c), libgcc, running under qemu-riscv32.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { link, type LinkInput, type LinkOptions, type LinkResult } from '../../core/toolchain/link/linker';
import { RT_DIR, RV32_FLAGS } from '../support/gcc';
import { QEMU_USER, RV_GCC } from '../support/oracle';
import { assembleToElf } from '../../core/toolchain/asm/assembler';
import { formatDiagnostic } from '../../core/toolchain/asm/diag';
import { tmp } from './asm-support';

const cacheDir = join(tmpdir(), 'futura-test-gcc-obj-cache');

/**
 * Compiles one C or assembly source with GCC -c (rv32imafdc/ilp32d); returns object bytes.
 * Cached by content hash (source, flags, runtime header) so repeated runs do not recompile.
 */
export function gccObject(name: string, text: string | null, flags: string[] = ['-O2']): LinkInput {
  const base = name.replace(/^.*\//, '');
  const body = text ?? readFileSync(name, 'utf8');
  const key = createHash('sha256')
    .update(JSON.stringify([base, body, flags, readFileSync(join(RT_DIR, 'rt.h'), 'utf8')]))
    .digest('hex')
    .slice(0, 24);
  mkdirSync(cacheDir, { recursive: true });
  const cached = join(cacheDir, `${key}.o`);
  const displayName = base.replace(/\.[cS]$/, '.o');
  if (!existsSync(cached)) {
    const dir = tmp();
    const src = text === null ? name : join(dir, name);
    if (text !== null) writeFileSync(src, text);
    const out = join(dir, 'out.o');
    execFileSync(RV_GCC, [...RV32_FLAGS, ...flags, `-I${RT_DIR}`, '-c', '-o', out, src], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    renameSync(out, cached);
  }
  return { name: displayName, data: new Uint8Array(readFileSync(cached)) };
}

/** The runtime (crt0 + rt.c) as GCC objects. */
export function runtimeObjects(flags: string[] = ['-O2']): LinkInput[] {
  return [gccObject(join(RT_DIR, 'crt0.S'), null, flags), gccObject(join(RT_DIR, 'rt.c'), null, flags)];
}

export function libgcc(): LinkInput {
  const p = execFileSync(RV_GCC, [...RV32_FLAGS, '-print-libgcc-file-name'], { encoding: 'utf8' }).trim();
  return { name: 'libgcc.a', data: new Uint8Array(readFileSync(p)) };
}

export function ourObject(name: string, text: string): LinkInput {
  const r = assembleToElf(text, { file: name });
  if (!r.elf) throw new Error(r.diagnostics.map(formatDiagnostic).join('\n'));
  return { name, data: r.elf };
}

export function mustLink(inputs: LinkInput[], opts: LinkOptions = {}): LinkResult & { elf: Uint8Array } {
  const r = link(inputs, opts);
  if (!r.elf) throw new Error(r.diagnostics.map(formatDiagnostic).join('\n'));
  return r as LinkResult & { elf: Uint8Array };
}

export interface Run {
  stdout: string;
  status: number | null;
}

/** Runs an ELF (bytes or path) under qemu-riscv32. */
export function qemu(elf: Uint8Array | string, args: string[] = []): Run {
  let path = elf as string;
  if (typeof elf !== 'string') {
    path = join(tmp(), 'prog');
    writeFileSync(path, elf, { mode: 0o755 });
  }
  const r = spawnSync(QEMU_USER, [path, ...args], { encoding: 'utf8', timeout: 20_000 });
  return { stdout: r.stdout, status: r.status };
}

export function writeTmp(name: string, data: Uint8Array): string {
  const p = join(tmp(), name);
  writeFileSync(p, data);
  return p;
}
