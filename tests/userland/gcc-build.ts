// Test-only builder: reads a userland manifest (sample-userland/futura.json) and builds it with
// Debian's riscv64-unknown-elf-gcc — objects cached by content hash, libraries as archives,
// startup object first — so the userland can be tested before/independently of futcc.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
const RV_GCC = 'riscv64-unknown-elf-gcc';

export interface ManifestLibrary {
  name: string;
  sources: string[];
  startup?: string;
}
export interface ManifestProgram {
  name: string;
  sources: string[];
  libs?: string[];
  install: string;
  cflags?: string[];
}
export interface UserlandManifest {
  version: number;
  name: string;
  cflags?: string[];
  include?: string[];
  libraries?: ManifestLibrary[];
  programs: ManifestProgram[];
  image?: { dirs?: string[]; files?: { src: string; dst: string }[] };
}

export interface ImageEntry {
  path: string;
  data: Uint8Array;
  mode: number;
}
export interface UserlandImage {
  dirs: string[];
  files: ImageEntry[];
  /** Install path → ELF path on the host (for debugging with objdump). */
  elfs: Map<string, string>;
}

const RV_AR = 'riscv64-unknown-elf-ar';
const ARCH = ['-march=rv32imafdc', '-mabi=ilp32d'];
const BASE_FLAGS = ['-std=c11', '-ffreestanding', '-nostdlib', '-Wall', '-Wextra', ...ARCH];
const cacheDir = join(tmpdir(), 'futura-test-userland-cache');

/** Expands `*` in the last path component (the manifest's only glob form), sorted by name. */
export function expandGlob(root: string, pattern: string): string[] {
  const dir = dirname(pattern);
  const last = pattern.slice(dir === '.' ? 0 : dir.length + 1);
  if (!last.includes('*')) return [join(root, pattern)];
  const re = new RegExp('^' + last.split('*').map(escapeRe).join('.*') + '$');
  const abs = join(root, dir);
  if (!existsSync(abs)) return [];
  return readdirSync(abs)
    .filter((n) => re.test(n))
    .sort()
    .map((n) => join(abs, n));
}

function escapeRe(s: string): string {
  return s.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}

function hashFiles(h: ReturnType<typeof createHash>, dir: string): void {
  if (!existsSync(dir)) return;
  for (const n of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = join(dir, n.name);
    if (n.isDirectory()) hashFiles(h, p);
    else if (n.name.endsWith('.h')) h.update(p).update(readFileSync(p));
  }
}

function cached(key: string, ext: string, make: (out: string) => void): string {
  mkdirSync(cacheDir, { recursive: true });
  const out = join(cacheDir, `${key}${ext}`);
  if (existsSync(out)) return out;
  const tmp = `${out}.${process.pid}.tmp`;
  make(tmp);
  renameSync(tmp, out);
  return out;
}

/** Builds every program of the manifest in `root`; returns the RamFS image. */
export function buildUserlandWithGcc(root: string, extraFlags: string[] = []): UserlandImage {
  const m = JSON.parse(readFileSync(join(root, 'futura.json'), 'utf8')) as UserlandManifest;
  const includes = (m.include ?? []).map((i) => join(root, i));
  const hdr = createHash('sha256');
  for (const i of includes) hashFiles(hdr, i);
  const headerHash = hdr.digest('hex');

  const compile = (src: string, flags: string[]): string => {
    const localHeaders = createHash('sha256');
    hashFiles(localHeaders, dirname(src));
    const key = createHash('sha256')
      .update(relative(root, src))
      .update(readFileSync(src))
      .update(headerHash)
      .update(localHeaders.digest('hex'))
      .update(JSON.stringify(flags))
      .digest('hex')
      .slice(0, 32);
    return cached(key, '.o', (out) => {
      const args = [...BASE_FLAGS, ...flags, ...includes.map((i) => `-I${i}`), '-c', src, '-o', out];
      execFileSync(RV_GCC, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    });
  };

  const baseFlags = [...(m.cflags ?? []), ...extraFlags];
  const libs = new Map<string, { archive: string; startup: string | null }>();
  for (const lib of m.libraries ?? []) {
    const objs = lib.sources.flatMap((s) => expandGlob(root, s)).map((s) => compile(s, baseFlags));
    const key = createHash('sha256').update(objs.join('\n')).digest('hex').slice(0, 32);
    const archive = cached(key, '.a', (out) => execFileSync(RV_AR, ['rcs', out, ...objs]));
    const startup = lib.startup ? compile(join(root, lib.startup), baseFlags) : null;
    libs.set(lib.name, { archive, startup });
  }

  const files: ImageEntry[] = [];
  const elfs = new Map<string, string>();
  for (const p of m.programs) {
    const flags = [...baseFlags, ...(p.cflags ?? [])];
    const objs = p.sources.flatMap((s) => expandGlob(root, s)).map((s) => compile(s, flags));
    const used = (p.libs ?? []).map((n) => {
      const l = libs.get(n);
      if (!l) throw new Error(`${p.name}: unknown library ${n}`);
      return l;
    });
    const startups = used.map((l) => l.startup).filter((s): s is string => s !== null);
    const archives = used.map((l) => l.archive);
    const inputs = [...startups, ...objs, ...archives];
    const key = createHash('sha256').update(inputs.join('\n')).digest('hex').slice(0, 32);
    const elf = cached(key, '.elf', (out) => {
      const args = [
        ...ARCH,
        '-nostdlib',
        '-static',
        '-Wl,-Ttext-segment=0x400000',
        '-o',
        out,
        ...inputs,
        '-lgcc',
      ];
      execFileSync(RV_GCC, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    });
    elfs.set(p.install, elf);
    files.push({ path: p.install, data: new Uint8Array(readFileSync(elf)), mode: 0o755 });
  }
  for (const f of m.image?.files ?? [])
    files.push({ path: f.dst, data: new Uint8Array(readFileSync(join(root, f.src))), mode: 0o644 });
  return { dirs: m.image?.dirs ?? [], files, elfs };
}
