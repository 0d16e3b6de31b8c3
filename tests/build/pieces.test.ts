// The build's smaller pieces: SHA-256 against node:crypto, sealed cache records, the GCC output
// parsers, futcc's flag reading, the disk-backed file source and cache, and the PNG encoder.
import { createHash } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  mkdirSync,
  readdirSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { Sha256, sha256Hex } from '../../core/toolchain/build/sha256';
import { decodeObject, encodeObject, seal, unseal } from '../../core/toolchain/build/records';
import { parseFutccFlags } from '../../core/toolchain/build/flags';
import { gccToolchain, parseDepfile, parseGccDiagnostics } from '../../core/host/build/gcc';
import { WorkspaceBuild } from '../../core/host/build/workspace-build';
import { MINI } from './support';
import { NodeFileSource } from '../../core/host/build/fs-source';
import { DiskCache, userCacheDir } from '../../core/host/build/disk-cache';
import { crc32, encodePng } from '../../core/host/boot/png';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 0x1_0000_0000;
  };
}

describe('sha256', () => {
  it('matches node:crypto for every length around the block boundaries and random chunkings', () => {
    const r = rng(7);
    for (let len = 0; len < 300; len++) {
      const data = Uint8Array.from({ length: len }, () => Math.floor(r() * 256));
      const want = createHash('sha256').update(data).digest('hex');
      expect(sha256Hex(data)).toBe(want);
      const h = new Sha256();
      for (let i = 0; i < len;) {
        const n = Math.floor(r() * 70);
        h.update(data.subarray(i, i + n));
        i += n;
      }
      expect(h.hex()).toBe(want);
    }
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('fields are length-prefixed, so boundaries matter', () => {
    expect(new Sha256().field('ab').field('c').hex()).not.toBe(new Sha256().field('a').field('bc').hex());
  });
});

describe('cache records', () => {
  it('sealed bytes round-trip; any corruption reads as a miss', () => {
    const data = Uint8Array.from({ length: 100 }, (_, i) => i);
    const s = seal(data);
    expect(unseal(s)).toEqual({ data, hash: sha256Hex(data) });
    for (const i of [0, 10, 70, s.length - 1]) {
      const bad = s.slice();
      bad[i]! ^= 1;
      expect(unseal(bad)).toBeNull();
    }
    expect(unseal(s.subarray(0, 50))).toBeNull();
    expect(unseal(undefined)).toBeNull();
  });

  it('objects keep their diagnostics and are checked', () => {
    const object = Uint8Array.from([1, 2, 3, 4]);
    const diagnostics = [{ file: 'a.c', line: 2, col: 3, severity: 'warning' as const, message: 'w' }];
    const rec = encodeObject({ object, diagnostics, hash: sha256Hex(object) });
    expect(decodeObject(rec)).toEqual({ object, diagnostics, hash: sha256Hex(object) });
    const bad = rec.slice();
    bad[bad.length - 1] = 9;
    expect(decodeObject(bad)).toBeNull();
    expect(decodeObject(Uint8Array.from([255, 255, 255, 255, 1]))).toBeNull();
  });
});

describe('GCC output', () => {
  const ws = (p: string): string => (p.startsWith('/ws/') ? p.slice(4) : p);

  it('parses file:line:col diagnostics of cc1 and as, drops context lines, maps paths', () => {
    const stderr = [
      "src/a.c: In function 'f':",
      "src/a.c:6:19: warning: unused variable 'unused' [-Wunused-variable]",
      "/ws/inc/x.h:7:22: error: 'y' undeclared (first use in this function)",
      '    7 |   return y;',
      '      |          ^',
      'src/a.c:7:22: note: each undeclared identifier is reported only once',
      'In file included from src/a.c:1:',
      "crt0.S:12: Error: unrecognized opcode `bogus a0'",
      'src/b.c:1:1: fatal error: nosuch.h: No such file or directory',
      "cc1: error: unrecognized command-line option '-fbogus'",
    ].join('\n');
    expect(parseGccDiagnostics(stderr, 'src/a.c', ws)).toEqual([
      {
        file: 'src/a.c',
        line: 6,
        col: 19,
        severity: 'warning',
        message: "unused variable 'unused' [-Wunused-variable]",
      },
      {
        file: 'inc/x.h',
        line: 7,
        col: 22,
        severity: 'error',
        message: "'y' undeclared (first use in this function)",
      },
      {
        file: 'src/a.c',
        line: 7,
        col: 22,
        severity: 'note',
        message: 'each undeclared identifier is reported only once',
      },
      { file: 'crt0.S', line: 12, col: 1, severity: 'error', message: "unrecognized opcode `bogus a0'" },
      { file: 'src/b.c', line: 1, col: 1, severity: 'error', message: 'nosuch.h: No such file or directory' },
      {
        file: 'src/a.c',
        line: 1,
        col: 1,
        severity: 'error',
        message: "unrecognized command-line option '-fbogus'",
      },
    ]);
  });

  it.skipIf(process.platform === 'win32')(
    'a compiler that fails without a diagnostic, or does not run, still gives a diagnostic',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'futura-fakegcc-'));
      const fake = join(dir, 'riscv64-unknown-elf-gcc');
      writeFileSync(
        fake,
        '#!/bin/sh\nfor a in "$@"; do case "$a" in --version) echo "fake gcc 1.0"; exit 0;; -print*) echo none; exit 0;; esac; done\necho "cc1: internal crash" >&2\nexit 3\n',
      );
      chmodSync(fake, 0o755);
      const ws = new WorkspaceBuild(MINI, { cacheDir: null, gccPath: fake });
      const r = await ws.build({ toolchain: 'gcc' });
      expect(r.ok).toBe(false);
      expect(r.diagnostics[0]).toMatchObject({ file: 'lib/src/str.c', line: 1, col: 1, severity: 'error' });
      expect(r.diagnostics[0]!.message).toMatch(/failed \(status 3\): cc1: internal crash/);
      expect(gccToolchain(MINI, join(dir, 'missing-gcc'))).toMatch(/does not run/);
      expect(gccToolchain(MINI, null)).toMatch(/no RISC-V GCC on PATH/);
    },
  );

  it('reads make depfiles with continuations and escaped spaces', () => {
    const d = '/tmp/x.o: src/a.c \\\n /usr/lib/gcc/include/stdint.h inc/my\\ file.h \\\n inc/x.h\n';
    expect(parseDepfile(d)).toEqual(['src/a.c', '/usr/lib/gcc/include/stdint.h', 'inc/my file.h', 'inc/x.h']);
  });
});

describe('futcc flags', () => {
  it('takes -O, -g, -Wall, -Werror, -D, -U, -I (joined or separate); ignores GCC-only flags', () => {
    expect(
      parseFutccFlags([
        '-O1',
        '-Wall',
        '-O2',
        '-g',
        '-DX=1',
        '-D',
        'Y',
        '-UZ',
        '-Iinc',
        '-I',
        'more',
        '-march=rv32gc',
        '-Werror',
      ]),
    ).toEqual({
      optLevel: 2,
      debug: true,
      wall: true,
      werror: true,
      defines: ['X=1', 'Y'],
      undefines: ['Z'],
      includeDirs: ['inc', 'more'],
    });
    expect(parseFutccFlags(['-Os']).optLevel).toBe(2);
    expect(parseFutccFlags(['-O']).optLevel).toBe(1);
    expect(parseFutccFlags(['-O3', '-O0']).optLevel).toBe(0);
  });
});

describe('disk adapters', () => {
  it('the file source reads inside the workspace only and lists regular files', () => {
    const root = mkdtempSync(join(tmpdir(), 'futura-fs-'));
    mkdirSync(join(root, 'src/sub'), { recursive: true });
    writeFileSync(join(root, 'src/a.c'), 'int a;');
    writeFileSync(join(root, 'outside.txt'), 'x');
    symlinkSync(join(root, 'src/a.c'), join(root, 'src/link.c'));
    const f = new NodeFileSource(join(root, 'src'));
    expect(new TextDecoder().decode(f.read('a.c'))).toBe('int a;');
    expect(f.read('../outside.txt')).toBeUndefined();
    expect(f.read(join(root, 'outside.txt'))).toBeUndefined();
    expect(f.read('nosuch.c')).toBeUndefined();
    expect(f.list('.')).toEqual(['a.c', 'link.c']);
    expect(f.list('nosuch')).toBeUndefined();
    expect(f.workspacePath(join(root, 'src/sub/x.h'))).toBe('sub/x.h');
    expect(f.workspacePath('/usr/include/x.h')).toBe('/usr/include/x.h');
  });

  it('the disk cache stores by key, refuses odd keys, and leaves no temporary files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'futura-cache-'));
    const c = new DiskCache(dir);
    const key = sha256Hex('k');
    expect(c.get(key)).toBeUndefined();
    c.put(key, Uint8Array.from([1, 2, 3]));
    expect(c.get(key)).toEqual(Uint8Array.from([1, 2, 3]));
    c.put('../../escape', Uint8Array.from([1]));
    expect(c.get('../../escape')).toBeUndefined();
    expect(readdirSync(join(dir, key.slice(0, 2)))).toEqual([key]);
    expect(new DiskCache(join(dir, 'a-file-not-a-dir', '\0bad')).get(key)).toBeUndefined();
  });

  it('pruning drops the oldest entries past the cap, stale temporaries, and runs at most daily', () => {
    const dir = mkdtempSync(join(tmpdir(), 'futura-prune-'));
    const c = new DiskCache(dir);
    const now = Date.now();
    const keys = Array.from({ length: 10 }, (_, i) => sha256Hex(`k${i}`));
    keys.forEach((k, i) => {
      c.put(k, new Uint8Array(1000));
      const t = new Date(now - (10 - i) * 60_000); // k0 oldest
      utimesSync(join(dir, k.slice(0, 2), k), t, t);
    });
    const tmp = join(dir, keys[0]!.slice(0, 2), 'x.123.0.tmp');
    writeFileSync(tmp, 'torn');
    utimesSync(tmp, new Date(now - 2 * 3600_000), new Date(now - 2 * 3600_000));
    expect(c.prune(5000, true, now)).toBe(7); // 6 oldest entries (down to 4000 bytes) + the temporary
    expect(keys.map((k) => c.get(k) !== undefined)).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
      true,
      true,
      true,
      true,
    ]);
    expect(existsSync(tmp)).toBe(false);
    expect(c.prune(0, false, now + 1000)).toBe(0); // pruned less than a day ago
    expect(c.prune(0, false, now + 25 * 3600_000)).toBe(4);
  });

  it('the cache folder follows FUTURA_CACHE_DIR, then XDG_CACHE_HOME', () => {
    expect(userCacheDir({ FUTURA_CACHE_DIR: '/x/y' })).toBe('/x/y');
    if (process.platform === 'linux') expect(userCacheDir({ XDG_CACHE_HOME: '/c' })).toBe('/c/futura-studio');
  });
});

describe('PNG', () => {
  it('encodes ARGB pixels as RGB rows that inflate back to the same colours, with valid CRCs', () => {
    const w = 5;
    const h = 3;
    const px = Uint32Array.from({ length: w * h }, (_, i) => 0xff000000 | (i * 0x010203));
    const png = encodePng(w, h, px);
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const v = new DataView(png.buffer, png.byteOffset);
    let off = 8;
    const chunks: Record<string, Uint8Array> = {};
    while (off < png.length) {
      const len = v.getUint32(off);
      const type = String.fromCharCode(...png.subarray(off + 4, off + 8));
      const body = png.subarray(off + 8, off + 8 + len);
      expect(v.getUint32(off + 8 + len)).toBe(crc32(png.subarray(off + 4, off + 8 + len)));
      chunks[type] = body;
      off += 12 + len;
    }
    expect(Object.keys(chunks)).toEqual(['IHDR', 'IDAT', 'IEND']);
    expect(new DataView(chunks.IHDR!.buffer, chunks.IHDR!.byteOffset).getUint32(0)).toBe(w);
    const raw = inflateSync(chunks.IDAT!);
    expect(raw.length).toBe(h * (w * 3 + 1));
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        const p = px[y * w + x]!;
        const o = y * (w * 3 + 1) + 1 + x * 3;
        expect([raw[o], raw[o + 1], raw[o + 2]]).toEqual([(p >>> 16) & 255, (p >>> 8) & 255, p & 255]);
      }
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });
});
