#!/usr/bin/env node
// The whole test command: format, lint, type-check, unit/integration tests (and later end-to-end).
// `--full` runs the long fuzz/property counts (FUTURA_FULL=1) instead of a tenth of them.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const full = process.argv.includes('--full');
const env = { ...process.env, ...(full ? { FUTURA_FULL: '1' } : {}) };
const steps = [
  ['format', 'npx', ['prettier', '--check', '--log-level', 'warn', '.']],
  ['lint', 'npx', ['eslint', '--max-warnings=0', '.']],
  ['typecheck (core, pure)', 'npx', ['tsc', '-p', 'tsconfig.core.json']],
  ['typecheck (all)', 'npx', ['tsc', '-p', 'tsconfig.json']],
  ['typecheck (renderer)', 'npx', ['tsc', '-p', 'tsconfig.renderer.json']],
  ['typecheck (electron)', 'npx', ['tsc', '-p', 'tsconfig.electron.json']],
  ['unit and integration tests', 'npx', ['vitest', 'run']],
];
// End-to-end: the renderer in Debian's Chromium against `futura serve` (built by the run itself).
// Without Chromium it is skipped with a visible reason; under CI=true it must run.
const chromium = process.env.FUTURA_CHROMIUM ?? '/usr/bin/chromium';
if (existsSync(chromium) || process.env.CI === 'true') {
  steps.push(['end-to-end (Playwright)', 'npx', ['playwright', 'test']]);
} else {
  process.stderr.write(`\n== end-to-end: SKIPPED (${chromium} not found; run scripts/setup.sh)\n`);
}
for (const [name, cmd, args] of steps) {
  const start = Date.now();
  process.stderr.write(`\n== ${name}\n`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env });
  const secs = ((Date.now() - start) / 1000).toFixed(1);
  if (r.status !== 0) {
    process.stderr.write(`== ${name}: FAILED after ${secs}s\n`);
    process.exit(r.status ?? 1);
  }
  process.stderr.write(`== ${name}: ok (${secs}s)\n`);
}
