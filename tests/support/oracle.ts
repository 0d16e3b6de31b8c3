// Differential oracles (Debian's RISC-V GCC, qemu-riscv32, gdb-multiarch): a test that needs one
// skips with a visible reason on a user's machine without it, and fails under CI=true.
import { execFileSync } from 'node:child_process';
import { it } from 'vitest';

const found = new Map<string, string | null>();

export function findTool(name: string): string | null {
  if (!found.has(name)) {
    let path: string | null = null;
    try {
      path = execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim() || null;
    } catch {
      path = null;
    }
    found.set(name, path);
  }
  return found.get(name) ?? null;
}

export function missingTools(tools: readonly string[]): string[] {
  return tools.filter((t) => findTool(t) === null);
}

export const inCI = process.env.CI === 'true';

/** Registers a test that needs the given host tools. */
export function oracleIt(name: string, tools: readonly string[], fn: () => unknown, timeout?: number): void {
  const missing = missingTools(tools);
  if (missing.length === 0) {
    it(name, fn, timeout);
  } else if (inCI) {
    it(name, () => {
      throw new Error(`oracle tool(s) missing under CI: ${missing.join(', ')} (.ci/run installs them)`);
    });
  } else {
    it.skip(`${name} [skipped: ${missing.join(', ')} not installed; run scripts/setup.sh]`, fn);
  }
}

export const RV_GCC = 'riscv64-unknown-elf-gcc';
export const QEMU_USER = 'qemu-riscv32';
export const QEMU_SYSTEM = 'qemu-system-riscv32';
