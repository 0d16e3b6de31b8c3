// futura.json: the sample format parses with its defaults; every kind of mistake is reported at
// once, each at the offending field's line and column with the field named in the message.
import { describe, expect, it } from 'vitest';
import { parseManifest } from '../../core/toolchain/build/manifest';
import { parseJsonWithPositions } from '../../core/toolchain/build/json';
import { expandPattern } from '../../core/toolchain/build/glob';
import { MemFiles } from './support';

const SAMPLE = `{ "version": 1, "name": "futura-sample", "cflags": ["-O1", "-Wall"], "include": ["libfutura/include"],
  "libraries": [ { "name": "futura", "sources": ["libfutura/src/*.c", "libfutura/src/*.S"], "startup": "libfutura/crt0.S" } ],
  "programs": [ { "name": "init", "sources": ["init/*.c"], "libs": ["futura"], "install": "/sbin/init", "cflags": ["-O2"] } ],
  "image": { "dirs": ["/bin", "/sbin", "/etc", "/tmp", "/run"], "files": [ { "src": "etc/init.conf", "dst": "/etc/init.conf" } ] } }`;

function errors(text: string): string[] {
  const r = parseManifest(text);
  expect(r.manifest).toBeNull();
  return r.diagnostics.map((d) => `${d.file}:${d.line}:${d.col}: ${d.severity}: ${d.message}`);
}

describe('manifest', () => {
  it('reads the documented format, with defaults and unknown fields ignored', () => {
    const r = parseManifest(SAMPLE.replace('"version": 1,', '"version": 1, "future": {"x": [1]},'));
    expect(r.diagnostics).toEqual([]);
    expect(r.manifest).toEqual({
      version: 1,
      name: 'futura-sample',
      toolchain: null,
      cflags: ['-O1', '-Wall'],
      include: ['libfutura/include'],
      libraries: [
        {
          name: 'futura',
          sources: ['libfutura/src/*.c', 'libfutura/src/*.S'],
          startup: 'libfutura/crt0.S',
          cflags: [],
        },
      ],
      programs: [
        { name: 'init', sources: ['init/*.c'], libs: ['futura'], install: '/sbin/init', cflags: ['-O2'] },
      ],
      image: {
        dirs: ['/bin', '/sbin', '/etc', '/tmp', '/run'],
        files: [{ src: 'etc/init.conf', dst: '/etc/init.conf', mode: 0o644 }],
      },
    });
  });

  it('defaults install to /bin/NAME, normalises paths, reads modes and the toolchain', () => {
    const r = parseManifest(
      JSON.stringify({
        version: 1,
        name: 'x',
        toolchain: 'gcc',
        programs: [{ name: 'hello', sources: ['./src/../hello.c'] }],
        image: {
          files: [
            { src: 'a/b', dst: '/etc//b', mode: '0755' },
            { src: 'c', dst: '/c', mode: 384 },
          ],
        },
      }),
    );
    expect(r.diagnostics).toEqual([]);
    expect(r.manifest!.toolchain).toBe('gcc');
    expect(r.manifest!.programs[0]).toMatchObject({ install: '/bin/hello', sources: ['hello.c'], libs: [] });
    expect(r.manifest!.image.files.map((f) => [f.dst, f.mode])).toEqual([
      ['/etc/b', 0o755],
      ['/c', 0o600],
    ]);
  });

  it('reports a JSON syntax error at its position', () => {
    expect(errors('{\n  "version": 1,\n  "name": "x",,\n}')).toEqual([
      'futura.json:3:15: error: invalid JSON: expected a property name in double quotes',
    ]);
    expect(errors('{"a": "unterminated')[0]).toMatch(
      /^futura\.json:1:20: error: invalid JSON: unterminated string/,
    );
    expect(errors('[1, 2] x')[0]).toMatch(/1:8: error: invalid JSON: unexpected text/);
  });

  it('reports every field error at once, at the field, naming it', () => {
    const text = [
      '{',
      '  "version": 2,',
      '  "name": "",',
      '  "toolchain": "clang",',
      '  "cflags": "-O2",',
      '  "include": ["/usr/include", "../outside"],',
      '  "libraries": [',
      '    { "name": "c", "sources": ["lib/*/x.c"], "startup": "crt/*.S" },',
      '    { "name": "c", "sources": [] },',
      '    "oops"',
      '  ],',
      '  "programs": [',
      '    { "name": "bad name", "sources": ["a.c"] },',
      '    { "name": "p", "libs": ["c", "nosuch"], "install": "bin/p" },',
      '    { "name": "q", "sources": ["q.c"], "install": "/bin/r" },',
      '    { "name": "r", "sources": ["r.c"] }',
      '  ],',
      '  "image": { "dirs": ["tmp"], "files": [{ "src": "x", "dst": "/x", "mode": "rwx" }, { "dst": "/y" }] }',
      '}',
    ].join('\n');
    expect(errors(text)).toEqual([
      'futura.json:2:14: error: version: unsupported version 2 (expected 1)',
      'futura.json:3:11: error: name: must be a non-empty string',
      'futura.json:4:16: error: toolchain: must be one of "futcc", "gcc"',
      'futura.json:5:13: error: cflags: must be an array of strings',
      "futura.json:6:15: error: include[0]: '/usr/include' must be a relative path with '/' separators (relative to futura.json)",
      "futura.json:6:31: error: include[1]: '../outside' is outside the workspace",
      "futura.json:8:32: error: libraries[0].sources[0]: 'lib/*/x.c': '*' is only allowed in the last path component",
      "futura.json:8:57: error: libraries[0].startup: 'crt/*.S': wildcards are not allowed here",
      "futura.json:9:15: error: libraries[1].name: duplicate library 'c'",
      'futura.json:10:5: error: libraries[2]: must be an object',
      "futura.json:13:15: error: programs[0].name: 'bad name' is not a valid program name (letters, digits, _ . + -)",
      'futura.json:14:5: error: programs[1].sources: is required',
      "futura.json:14:34: error: programs[1].libs[1]: unknown library 'nosuch'",
      "futura.json:14:56: error: programs[1].install: 'bin/p' must be an absolute guest path (starting with '/')",
      "futura.json:16:5: error: programs[3].install: '/bin/r' is already the install path of 'q'",
      "futura.json:18:23: error: image.dirs[0]: 'tmp' must be an absolute guest path (starting with '/')",
      'futura.json:18:76: error: image.files[0].mode: must be a permission mode like "0755" (octal string) or 493 (number)',
      'futura.json:18:85: error: image.files[1].src: is required',
    ]);
  });

  it('requires an object with programs', () => {
    expect(errors('[]')).toEqual(['futura.json:1:1: error: the manifest must be a JSON object']);
    expect(errors('{"version": 1, "name": "x"}')).toEqual(['futura.json:1:1: error: programs: is required']);
    expect(errors('{"version": 1, "name": "x", "programs": []}')).toEqual([
      'futura.json:1:41: error: programs: lists no program',
    ]);
  });

  it('names the manifest file it was given', () => {
    const r = parseManifest('{', 'sub/futura.json');
    expect(r.diagnostics[0]!.file).toBe('sub/futura.json');
  });
});

describe('JSON with positions', () => {
  it('parses like JSON.parse and records where values start', () => {
    const text = '{\n  "a": [1, -2.5e3, true, null],\n  "b": {"c": "\\u00e9\\n\\"x\\""}\n}';
    const p = parseJsonWithPositions(text);
    expect(p.value).toEqual(JSON.parse(text));
    expect(p.positions.get('a.1')).toEqual({ line: 2, col: 12 });
    expect(p.positions.get('b.c')).toEqual({ line: 3, col: 14 });
  });
});

describe('source patterns', () => {
  it('expands * in the last component, sorted, hidden files skipped; literal paths checked', () => {
    const f = new MemFiles();
    for (const p of ['src/b.c', 'src/a.c', 'src/.hidden.c', 'src/x.h', 'src/sub/c.c', 'top.c'])
      f.write(p, '');
    expect(expandPattern('src/*.c', f)).toEqual(['src/a.c', 'src/b.c']);
    expect(expandPattern('*.c', f)).toEqual(['top.c']);
    expect(expandPattern('src/a*', f)).toEqual(['src/a.c']);
    expect(expandPattern('nosuch/*.c', f)).toEqual([]);
    expect(expandPattern('src/x.h', f)).toEqual(['src/x.h']);
    expect(expandPattern('src/none.c', f)).toBeNull();
    expect(expandPattern('src/(a).c', f)).toBeNull();
  });
});

describe('manifest robustness', () => {
  const runs = process.env.FUTURA_FULL === '1' ? 5000 : 500;

  function rng(seed: number): () => number {
    let s = seed >>> 0 || 1;
    return () => {
      s ^= s << 13;
      s ^= s >>> 17;
      s ^= s << 5;
      return (s >>> 0) / 0x1_0000_0000;
    };
  }

  it(`never throws on mutated text or values; errors always have a position in the text (${runs} cases)`, () => {
    const r = rng(0x5eed);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
    const values: unknown[] = [
      null,
      true,
      0,
      -1,
      1.5,
      '',
      'x',
      '/abs',
      '../up',
      'a/*/b',
      '*',
      [],
      ['a'],
      [1],
      {},
      { name: 1 },
    ];
    const mutateValue = (v: unknown, depth: number): unknown => {
      if (depth > 3 || r() < 0.15) return pick(values);
      if (Array.isArray(v)) return v.map((x) => mutateValue(x, depth + 1));
      if (v && typeof v === 'object') {
        const o: Record<string, unknown> = {};
        for (const [k, x] of Object.entries(v)) if (r() > 0.1) o[k] = mutateValue(x, depth + 1);
        return o;
      }
      return v;
    };
    const base = JSON.parse(SAMPLE) as unknown;
    for (let i = 0; i < runs; i++) {
      let text: string;
      if (i % 2 === 0) text = JSON.stringify(mutateValue(base, 0), null, 1);
      else {
        const chars = [...SAMPLE];
        for (let k = 0; k < 1 + Math.floor(r() * 3); k++) {
          const at = Math.floor(r() * chars.length);
          if (r() < 0.5) chars.splice(at, 1);
          else chars.splice(at, 0, pick(['{', '}', '[', ']', '"', ',', ':', '\\', '*', '/', '\n', 'x', '0']));
        }
        text = chars.join('');
      }
      const p = parseManifest(text);
      const lines = text.split('\n');
      if (p.manifest === null) expect(p.diagnostics.length).toBeGreaterThan(0);
      for (const d of p.diagnostics) {
        expect(d.severity).toBe('error');
        expect(d.line).toBeGreaterThanOrEqual(1);
        expect(d.line).toBeLessThanOrEqual(lines.length);
        expect(d.col).toBeGreaterThanOrEqual(1);
        expect(d.col).toBeLessThanOrEqual(lines[d.line - 1]!.length + 1);
      }
    }
  });
});
