#!/usr/bin/env node
// Bundles the Electron main process, the preload and the session worker into dist/electron/*.cjs
// (CommonJS, as Electron loads them; the sandboxed preload must be a single file).
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist', 'electron');

export async function buildElectron({ minify = false } = {}) {
  const common = {
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    minify,
    sourcemap: minify ? false : 'linked',
    external: ['electron'],
    outdir,
    outExtension: { '.js': '.cjs' },
    logLevel: 'warning',
    // core/host/paths.ts finds the project through import.meta.url, which CommonJS lacks.
    banner: { js: "const __importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
    define: { 'import.meta.url': '__importMetaUrl' },
  };
  await Promise.all([
    build({ ...common, entryPoints: { main: join(root, 'electron/main.ts') } }),
    build({ ...common, entryPoints: { 'session-worker': join(root, 'electron/session-worker.ts') } }),
    // The session's machine worker (core/host/worker/runner.ts looks for it beside session-worker).
    build({ ...common, entryPoints: { 'machine-worker': join(root, 'core/host/worker/machine-worker.ts') } }),
    // The sandboxed preload may require only 'electron': no banner needing node:url.
    build({ ...common, banner: {}, define: {}, entryPoints: { preload: join(root, 'electron/preload.ts') } }),
  ]);
  return { outdir };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const started = Date.now();
  const r = await buildElectron({ minify: process.argv.includes('--minify') });
  process.stderr.write(`electron bundles built in ${Date.now() - started} ms → ${r.outdir}\n`);
}
