// The incremental build graph with futcc over an in-memory workspace: what a build compiles,
// archives and links after each kind of edit, the boot image it writes, and how every kind of
// bad input ends as diagnostics (never an exception).
import { beforeAll, describe, expect, it } from 'vitest';
import { buildUserland, type BuildOptions } from '../../core/toolchain/build/graph';
import { futccToolchain } from '../../core/toolchain/build/futcc';
import { MemoryCache } from '../../core/toolchain/build/memory-cache';
import type { BuildEvent, BuildResult, Toolchain } from '../../core/toolchain/build/types';
import { readElf } from '../../core/elf';
import { counting, MemFiles, MINI } from './support';

const futcc = futccToolchain({ id: 'futcc-test' });

interface Run {
  result: BuildResult;
  compiled: string[];
  events: BuildEvent[];
}

async function build(
  files: MemFiles,
  cache: MemoryCache,
  extra: Partial<BuildOptions> = {},
  tc: Toolchain = futcc,
): Promise<Run> {
  const c = counting(tc);
  const events: BuildEvent[] = [];
  const result = await buildUserland({
    files,
    cache,
    toolchains: () => c,
    onEvent: (e) => events.push(e),
    ...extra,
  });
  return { result, compiled: c.compiled.sort(), events };
}

function copyCache(c: MemoryCache): MemoryCache {
  const n = new MemoryCache();
  for (const [k, v] of c.entries) n.entries.set(k, v);
  return n;
}

const ALL = [
  'fsh/fsh.c',
  'hang/hang.c',
  'hello/hello.c',
  'init/init.c',
  'lib/crt0.S',
  'lib/src/str.c',
  'lib/src/sys.c',
] as const;

const elfOf = (r: BuildResult, name: string): Uint8Array => r.programs.find((p) => p.name === name)!.elf;

describe('build graph (futcc, in memory)', () => {
  let base: MemoryCache;
  let cold: Run;

  beforeAll(async () => {
    base = new MemoryCache();
    cold = await build(MemFiles.fromDir(MINI), base);
  });

  it('a cold build compiles every unit once, archives the library and links every program', () => {
    const { result, compiled } = cold;
    expect(result.diagnostics).toEqual([]);
    expect(result.ok).toBe(true);
    expect(compiled).toEqual([...ALL]);
    expect(result.stats).toMatchObject({ compiled: 7, reused: 0, archived: 1, linked: 4, errors: 0 });
    for (const p of result.programs) {
      const elf = readElf(p.elf);
      expect(elf.header.type).toBe(2); // ET_EXEC
      expect(elf.header.machine).toBe(243);
    }
  });

  it('writes the image: folders (parents first), programs at their install paths, manifest files', () => {
    const img = cold.result.image!;
    expect(img.dirs).toEqual(['/bin', '/sbin', '/etc', '/tmp']);
    expect(img.files.map((f) => [f.path, f.mode])).toEqual([
      ['/sbin/init', 0o755],
      ['/bin/fsh', 0o755],
      ['/bin/hang', 0o755],
      ['/bin/hello', 0o755],
      ['/etc/motd', 0o644],
    ]);
    expect(new TextDecoder().decode(img.files[4]!.data)).toBe('Welcome to the mini userland.\n');
    expect(img.files[0]!.data).toBe(elfOf(cold.result, 'init'));
  });

  it('reports progress: start with the unit count, a start and a finish per unit, then the stats', () => {
    const ev = cold.events;
    expect(ev[0]).toEqual({ type: 'start', units: 12 });
    const finishes = ev.filter((e) => e.type === 'unit-finish');
    expect(finishes).toHaveLength(12);
    expect(ev.filter((e) => e.type === 'unit-start')).toHaveLength(12);
    expect(finishes.map((e) => (e.type === 'unit-finish' ? e.unit.kind : ''))).toEqual([
      ...Array(7).fill('compile'),
      'archive',
      'link',
      'link',
      'link',
      'link',
    ]);
    expect(ev[ev.length - 1]).toMatchObject({ type: 'finish', ok: true, stats: { compiled: 7 } });
  });

  it('no change: nothing compiled, archived or linked, identical programs', async () => {
    const again = await build(MemFiles.fromDir(MINI), copyCache(base));
    expect(again.compiled).toEqual([]);
    expect(again.result.stats).toMatchObject({ compiled: 0, reused: 7, archived: 0, linked: 0 });
    for (const p of cold.result.programs) expect(elfOf(again.result, p.name)).toEqual(p.elf);
    expect(
      again.events.filter((e) => e.type === 'unit-finish').every((e) => e.type === 'unit-finish' && e.cached),
    ).toBe(true);
  });

  it('one program source edited: exactly that object compiled and only that program relinked', async () => {
    const files = MemFiles.fromDir(MINI);
    files.edit('hello/hello.c', 'write_str(1, "\\n");', 'write_str(1, "!\\n");');
    const r = await build(files, copyCache(base));
    expect(r.compiled).toEqual(['hello/hello.c']);
    expect(r.result.stats).toMatchObject({ compiled: 1, reused: 6, archived: 0, linked: 1 });
    expect(elfOf(r.result, 'hello')).not.toEqual(elfOf(cold.result, 'hello'));
    expect(elfOf(r.result, 'fsh')).toEqual(elfOf(cold.result, 'fsh'));
    expect(elfOf(r.result, 'init')).toEqual(elfOf(cold.result, 'init'));
  });

  it('a library member edited: one compile, the archive rewritten, every program using it relinked', async () => {
    const files = MemFiles.fromDir(MINI);
    files.edit('lib/src/str.c', 'int i = 15;', 'int i = 15; /* edited */ n = n + 0;');
    const r = await build(files, copyCache(base));
    expect(r.compiled).toEqual(['lib/src/str.c']);
    expect(r.result.stats).toMatchObject({ compiled: 1, archived: 1 });
    // The object changed only if the code did; the comment plus a no-op may compile the same.
    expect(r.result.stats.linked).toBeLessThanOrEqual(4);
    files.edit('lib/src/str.c', 'n = n + 0;', 'n = n + 1;');
    const r2 = await build(files, copyCache(base));
    expect(r2.compiled).toEqual(['lib/src/str.c']);
    expect(r2.result.stats).toMatchObject({ compiled: 1, archived: 1, linked: 4 });
  });

  it('a header edited: every unit including it recompiled (and nothing else)', async () => {
    const files = MemFiles.fromDir(MINI);
    files.edit('lib/include/mini.h', '#define SYS_EXIT 93', '#define SYS_EXIT 93\n#define UNUSED_MACRO 1');
    const r = await build(files, copyCache(base));
    expect(r.compiled).toEqual([...ALL]);
    // A header only one program includes: only that one is rebuilt.
    files.write('hello/extra.h', '#define EXTRA 1\n');
    files.edit('hello/hello.c', '#include "mini.h"', '#include "mini.h"\n#include "extra.h"');
    const cache = copyCache(base);
    await build(files, cache);
    files.write('hello/extra.h', '#define EXTRA 2\n');
    const r2 = await build(files, cache);
    expect(r2.compiled).toEqual(['hello/hello.c']);
  });

  it('flags are part of the key: an extra -O level rebuilds everything once, then nothing', async () => {
    const cache = copyCache(base);
    const r = await build(MemFiles.fromDir(MINI), cache, { extraCflags: ['-O2'] });
    expect(r.compiled).toHaveLength(7);
    const r2 = await build(MemFiles.fromDir(MINI), cache, { extraCflags: ['-O2'] });
    expect(r2.compiled).toEqual([]);
  });

  it('a different toolchain id never reuses objects', async () => {
    const other = futccToolchain({ id: 'futcc-other' });
    const r = await build(MemFiles.fromDir(MINI), copyCache(base), {}, other);
    expect(r.compiled).toHaveLength(7);
  });

  it('a different linker id relinks and re-archives without recompiling', async () => {
    const r = await build(MemFiles.fromDir(MINI), copyCache(base), { linkerId: 'newer-linker' });
    expect(r.compiled).toEqual([]);
    expect(r.result.stats).toMatchObject({ archived: 1, linked: 4 });
  });

  it('a corrupt cache entry reads as a miss', async () => {
    const cache = copyCache(base);
    for (const k of cache.entries.keys()) cache.entries.set(k, new Uint8Array([1, 2, 3]));
    const r = await build(MemFiles.fromDir(MINI), cache);
    expect(r.result.ok).toBe(true);
    expect(r.compiled).toHaveLength(7);
  });
});

describe('build graph diagnostics (never throws)', () => {
  it('a compile error: file:line:col relative to the workspace, no image, others still built', async () => {
    const files = MemFiles.fromDir(MINI);
    files.edit('fsh/fsh.c', '      cat(line + 4);', '      cat(line + 4)\n      undefined_thing = 1;');
    const r = await build(files, new MemoryCache());
    expect(r.result.ok).toBe(false);
    expect(r.result.image).toBeNull();
    const errors = r.result.diagnostics.filter((d) => d.severity === 'error');
    expect(errors.length).toBeGreaterThan(0);
    const first = errors[0]!;
    expect(first.file).toBe('fsh/fsh.c');
    expect(first.line).toBe(text(files, 'fsh/fsh.c').findIndex((l) => l.includes('undefined_thing')) + 1);
    expect(first.col).toBeGreaterThan(0);
    // The programs that do not use the broken source still link.
    expect(r.result.programs.map((p) => p.name).sort()).toEqual(['hang', 'hello', 'init']);
    expect(r.result.stats.errors).toBe(errors.length);
    // Errors are not cached: the next build reports them again.
    const again = await build(files, new MemoryCache());
    expect(again.result.diagnostics.filter((d) => d.severity === 'error')).toEqual(errors);
  });

  it('an assembler error in a .S file points at the line written', async () => {
    const files = MemFiles.fromDir(MINI);
    files.edit('lib/crt0.S', '    call main', '    call main\n    bogus_insn a0, a1');
    const r = await build(files, new MemoryCache());
    const d = r.result.diagnostics.find((x) => x.severity === 'error')!;
    expect(d.file).toBe('lib/crt0.S');
    expect(d.line).toBe(text(files, 'lib/crt0.S').findIndex((l) => l.includes('bogus_insn')) + 1);
  });

  it('warnings of cached objects are reported again', async () => {
    const files = MemFiles.fromDir(MINI);
    files.edit('hello/hello.c', 'int main(void) {', 'int main(void) {\n  int unused_var;');
    const cache = new MemoryCache();
    const r = await build(files, cache);
    const warn = r.result.diagnostics.filter((d) => d.severity === 'warning');
    expect(r.result.ok).toBe(true);
    expect(warn.map((w) => w.file)).toContain('hello/hello.c');
    const again = await build(files, cache);
    expect(again.compiled).toEqual([]);
    expect(again.result.diagnostics).toEqual(r.result.diagnostics);
  });

  it('an undefined reference at link time names the program', async () => {
    const files = MemFiles.fromDir(MINI);
    files.edit('hello/hello.c', 'return 0;', 'return missing_function();');
    files.edit('hello/hello.c', '#include "mini.h"', '#include "mini.h"\nint missing_function(void);');
    const r = await build(files, new MemoryCache());
    const d = r.result.diagnostics.find((x) => x.severity === 'error')!;
    expect(d.message).toMatch(/missing_function/);
    expect(d.message).toMatch(/linking 'hello'/);
    expect(d.line).toBeGreaterThanOrEqual(1);
  });

  it('no manifest, bad JSON, a missing source, a missing image file: diagnostics', async () => {
    const empty = await build(new MemFiles(), new MemoryCache());
    expect(empty.result.diagnostics[0]).toMatchObject({ file: 'futura.json', severity: 'error' });
    expect(empty.result.diagnostics[0]!.message).toMatch(/cannot read futura.json/);

    const bad = MemFiles.fromDir(MINI);
    bad.write('futura.json', '{ "version": 1,\n  "name": "x",\n  "programs": [ }');
    const r1 = await build(bad, new MemoryCache());
    expect(r1.result.diagnostics).toEqual([
      expect.objectContaining({ file: 'futura.json', line: 3, col: 17, severity: 'error' }),
    ]);

    const missing = MemFiles.fromDir(MINI);
    missing.files.delete('hello/hello.c');
    missing.files.delete('etc/motd');
    const r2 = await build(missing, new MemoryCache());
    const msgs = r2.result.diagnostics.map((d) => `${d.file}:${d.line}: ${d.message}`);
    expect(msgs.some((m) => /futura\.json:\d+: 'hello\/hello\.c': no such file/.test(m))).toBe(true);
    expect(r2.result.ok).toBe(false);
    missing.write('hello/hello.c', text(MemFiles.fromDir(MINI), 'hello/hello.c').join('\n'));
    const r3 = await build(missing, new MemoryCache());
    expect(r3.result.diagnostics.map((d) => d.message)).toContain("'etc/motd': no such file");
  });

  it('an unavailable toolchain or a throwing one is a diagnostic', async () => {
    const files = MemFiles.fromDir(MINI);
    const r = await buildUserland({
      files,
      cache: new MemoryCache(),
      toolchains: () => 'not installed',
      toolchain: 'gcc',
    });
    expect(r.ok).toBe(false);
    expect(r.diagnostics[0]!.message).toBe("toolchain 'gcc': not installed");
    const throwing: Toolchain = {
      id: 'boom',
      parallel: 2,
      compile: () => Promise.reject(new Error('kaboom')),
      runtime: () => Promise.resolve(null),
    };
    const r2 = await buildUserland({ files, cache: new MemoryCache(), toolchains: () => throwing });
    expect(r2.ok).toBe(false);
    expect(r2.diagnostics.every((d) => d.message === 'internal error in boom: kaboom')).toBe(true);
    expect(r2.diagnostics).toHaveLength(7);
  });

  it('a file source or toolchain breaking its contract (throwing) still ends as a diagnostic', async () => {
    const files = MemFiles.fromDir(MINI);
    const broken = {
      read: () => {
        throw new Error('disk on fire');
      },
      list: () => undefined,
    };
    const r = await buildUserland({ files: broken, cache: new MemoryCache(), toolchains: () => futcc });
    expect(r.ok).toBe(false);
    expect(r.diagnostics).toEqual([
      expect.objectContaining({ message: 'internal build error: disk on fire' }),
    ]);
    const r2 = await buildUserland({
      files,
      cache: new MemoryCache(),
      toolchains: () => {
        throw new Error('no toolchains today');
      },
    });
    expect(r2.diagnostics[0]!.message).toBe('internal build error: no toolchains today');
  });

  it('a throwing progress listener does not break the build', async () => {
    const r = await buildUserland({
      files: MemFiles.fromDir(MINI),
      cache: new MemoryCache(),
      toolchains: () => futcc,
      onEvent: () => {
        throw new Error('listener bug');
      },
    });
    expect(r.ok).toBe(true);
  });
});

function text(files: MemFiles, path: string): string[] {
  return files.text(path).split('\n');
}
