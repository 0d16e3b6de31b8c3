// The host's printf as the reference for libfutura's: compiles tests/fixtures/userland/printf_host.c
// (the same case table as the guest's libtest) with the host C compiler and returns its "P|…|" lines.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SOURCE = fileURLToPath(new URL('../fixtures/userland/printf_host.c', import.meta.url));
let lines: string[] | null = null;

export function hostPrintfLines(): string[] {
  if (!lines) {
    const exe = join(mkdtempSync(join(tmpdir(), 'futura-printf-')), 'printf_host');
    execFileSync('cc', ['-std=c11', '-w', '-o', exe, SOURCE]);
    lines = execFileSync(exe, { encoding: 'utf8' })
      .split('\n')
      .filter((l) => l.startsWith('P|'));
  }
  return lines;
}
