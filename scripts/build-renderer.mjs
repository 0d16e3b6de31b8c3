#!/usr/bin/env node
// Bundles the renderer (React workbench, Monaco, xterm.js, uPlot) into dist/renderer/ with esbuild.
// Monaco's editor worker is a separate entry so the page can start it as a same-origin worker
// (the CSP allows no eval and no remote scripts). `--if-stale` skips the build when no source is
// newer than the last build's stamp, so `futura serve` can call it on every start.
import { build } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist', 'renderer');
const stamp = join(outdir, '.build-stamp');
// Everything whose change must trigger a rebuild.
const inputs = ['renderer', 'core/protocol', 'package-lock.json', 'scripts/build-renderer.mjs'];

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, name)));
  return newest;
}

/** True when dist/renderer is missing or older than any of its sources. */
export function rendererIsStale() {
  if (!existsSync(stamp) || !existsSync(join(outdir, 'index.html'))) return true;
  const built = statSync(stamp).mtimeMs;
  return inputs.some((p) => newestMtime(join(root, p)) > built);
}

export async function buildRenderer({ ifStale = false, minify = false } = {}) {
  if (ifStale && !rendererIsStale()) return { built: false, outdir };
  mkdirSync(outdir, { recursive: true });
  const common = {
    bundle: true,
    minify,
    sourcemap: minify ? false : 'linked',
    target: ['chrome120'],
    logLevel: 'warning',
    legalComments: 'none',
    define: { 'process.env.NODE_ENV': minify ? '"production"' : '"development"' },
  };
  await Promise.all([
    build({
      ...common,
      entryPoints: { main: join(root, 'renderer/src/main.tsx') },
      outdir,
      format: 'iife',
      jsx: 'automatic',
      // Monaco's codicon font and any other asset referenced from CSS become hashed files.
      loader: { '.ttf': 'file', '.woff': 'file', '.woff2': 'file', '.svg': 'dataurl', '.png': 'file' },
      assetNames: 'assets/[name]-[hash]',
    }),
    build({
      ...common,
      entryPoints: { 'editor.worker': 'monaco-editor/editor/editor.worker.js' },
      outdir,
      format: 'iife',
    }),
  ]);
  copyFileSync(join(root, 'renderer/index.html'), join(outdir, 'index.html'));
  writeFileSync(stamp, new Date().toISOString() + '\n');
  return { built: true, outdir };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const started = Date.now();
  const result = await buildRenderer({
    ifStale: process.argv.includes('--if-stale'),
    minify: process.argv.includes('--minify'),
  });
  process.stderr.write(
    result.built
      ? `renderer built in ${Date.now() - started} ms → ${result.outdir}\n`
      : 'renderer is up to date\n',
  );
}
