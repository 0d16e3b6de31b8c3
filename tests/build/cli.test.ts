// `futura build` and `futura boot --script` end to end on the fixture userland: exit statuses,
// GCC-format diagnostics with caret, progress on stderr, stdout carrying console bytes only, the
// image written with --out, the framebuffer PNG and the JSON stats.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { MINI } from './support';

const BIN = fileURLToPath(new URL('../../bin/futura.mjs', import.meta.url));

interface Result {
  status: number | null;
  stdout: string;
  stderr: string;
}

let cacheDir: string;

function futura(args: string[], opts: { cwd?: string; input?: string } = {}): Result {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: opts.cwd,
    input: opts.input ?? '',
    timeout: 120_000,
    env: { ...process.env, FUTURA_CACHE_DIR: cacheDir },
  });
  return { status: r.status, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
}

function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'futura-cli-ws-'));
  cpSync(MINI, dir, { recursive: true });
  return dir;
}

const SCRIPT = 'echo hi there\ncat /etc/motd\nnope\nexit 3\n';
const TRANSCRIPT =
  'init: starting /bin/fsh\nfsh$ echo hi there\nhi there\nfsh$ cat /etc/motd\nWelcome to the mini userland.\n' +
  'fsh$ nope\nfsh: nope: command not found\nfsh$ exit 3\n';

describe('futura build / futura boot', () => {
  let ws: string;

  beforeAll(() => {
    cacheDir = mkdtempSync(join(tmpdir(), 'futura-cli-cache-'));
    ws = workspace();
  });

  it('build: progress on stderr, nothing on stdout, status 0; a second run compiles nothing; --out writes the image', () => {
    const first = futura(['build', ws]);
    expect(first.stderr).toMatch(/\[1\/12\] CC /);
    expect(first.stderr).toMatch(/7 compiled, 0 cached, 1 archived, 4 linked/);
    expect(first.stdout).toBe('');
    expect(first.status).toBe(0);
    const out = join(ws, 'out');
    const second = futura(['build', ws, '--out', out]);
    expect(second.status).toBe(0);
    expect(second.stderr).toMatch(/0 compiled, 7 cached, 0 archived, 0 linked/);
    expect(second.stderr).not.toMatch(/ CC /);
    expect(readFileSync(join(out, 'etc/motd'), 'utf8')).toBe('Welcome to the mini userland.\n');
    const init = readFileSync(join(out, 'sbin/init'));
    expect([...init.subarray(0, 4)]).toEqual([0x7f, 0x45, 0x4c, 0x46]);
    expect(statSync(join(out, 'sbin/init')).mode & 0o777).toBe(0o755);
  });

  it('build: a compile error prints file:line:col, the source line and a caret; status 1', () => {
    const dir = workspace();
    writeFileSync(join(dir, 'hello/hello.c'), '#include "mini.h"\nint main(void) {\n  return nope_var;\n}\n');
    const r = futura(['build', '.', '--no-cache'], { cwd: dir });
    expect(r.status).toBe(1);
    const lines = r.stderr.split('\n');
    const i = lines.findIndex((l) => l.startsWith('hello/hello.c:3:'));
    expect(i).toBeGreaterThanOrEqual(0);
    expect(lines[i]).toMatch(/^hello\/hello\.c:3:10: error: .*nope_var/);
    expect(lines[i + 1]).toBe('   return nope_var;');
    expect(lines[i + 2]).toMatch(/^ {10}\^/);
    // The summary comes last, after the diagnostics.
    expect(lines.filter((l) => l !== '').pop()).toMatch(
      /^futura build: .* linked in \d+ ms; 1 error\(s\), 0 warning\(s\)$/,
    );
  });

  it('build: bad options and a folder without a manifest', () => {
    const r = futura(['build', ws, '--toolchain', 'clang']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--toolchain must be futcc or gcc, got 'clang'/);
    const empty = mkdtempSync(join(tmpdir(), 'futura-cli-empty-'));
    const m = futura(['build', empty]);
    expect(m.status).toBe(1);
    expect(m.stderr).toMatch(/futura\.json:1:1: error: cannot read futura\.json/);
  });

  it('boot --script FILE: stdout is the console transcript only; the shell’s status is the exit status', () => {
    const script = join(ws, 'script.txt');
    writeFileSync(script, SCRIPT);
    const png = join(ws, 'fb.png');
    const r = futura(['boot', ws, '--script', script, '--json-stats', '--fb-dump', png]);
    expect(r.stdout.startsWith(TRANSCRIPT)).toBe(true);
    expect(r.status).toBe(3);
    const stats = JSON.parse(r.stderr.trim().split('\n').pop()!) as Record<string, unknown>;
    expect(stats).toMatchObject({ exitCode: 3, end: 'task-exited' });
    expect(stats.instret).toBeGreaterThan(1000);
    const img = readFileSync(png);
    expect(img.subarray(1, 4).toString()).toBe('PNG');
    expect([img.readUInt32BE(16), img.readUInt32BE(20)]).toEqual([800, 600]);
    // init's marker: RGB ff8040 inside the 16x16 square at the top left, black outside.
    const idat: Buffer[] = [];
    for (let off = 8; off < img.length;) {
      const len = img.readUInt32BE(off);
      if (img.toString('latin1', off + 4, off + 8) === 'IDAT')
        idat.push(img.subarray(off + 8, off + 8 + len));
      off += 12 + len;
    }
    const raw = inflateSync(Buffer.concat(idat));
    const rgb = (x: number, y: number): string =>
      raw.subarray(y * 2401 + 1 + x * 3, y * 2401 + 4 + x * 3).toString('hex');
    expect([rgb(5, 5), rgb(15, 15), rgb(16, 5), rgb(5, 16)]).toEqual([
      'ff8040',
      'ff8040',
      '000000',
      '000000',
    ]);
  });

  it('boot --script -: the console reads stdin', () => {
    const r = futura(['boot', ws, '--script', '-'], { input: 'echo piped\n' });
    expect(r.stdout.startsWith('init: starting /bin/fsh\nfsh$ echo piped\npiped\nfsh$ ')).toBe(true);
    expect(r.status).toBe(0);
  });

  it('boot: a build error stops before booting (status 1, nothing on stdout)', () => {
    const dir = workspace();
    writeFileSync(join(dir, 'init/init.c'), 'int main(void) { return }\n');
    const r = futura(['boot', dir, '--script', '-', '--no-cache'], { input: 'exit\n' });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/init\/init\.c:1:\d+: error:/);
  });
});
