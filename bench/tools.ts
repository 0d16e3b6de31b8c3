// Host tools the benchmark uses (Debian's RISC-V GCC, qemu-riscv32), found on PATH.
import { execFileSync } from 'node:child_process';

export const RV_GCC = 'riscv64-unknown-elf-gcc';
export const QEMU_USER = 'qemu-riscv32';

const cache = new Map<string, string | null>();

/** Absolute path of a tool on PATH, or null. */
export function findTool(name: string): string | null {
  if (!cache.has(name)) {
    let path: string | null = null;
    try {
      path = execFileSync('sh', ['-c', 'command -v "$1"', 'sh', name], { encoding: 'utf8' }).trim() || null;
    } catch {
      path = null;
    }
    cache.set(name, path);
  }
  return cache.get(name) ?? null;
}
