// ar archives: our writer read by GNU ar/nm, GNU ar's archives read by us, round trips, the CLI.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../core/cli/main';
import { readArchive, writeArchive, isArchive } from '../../core/toolchain/ar/archive';
import { oracleIt } from '../support/oracle';
import { GNU_AR, GNU_NM, writeTmpAsm } from './ar-support';

const objA = writeTmpAsm(
  'a.o',
  '.globl alpha\n.globl shared_name\nalpha: ret\n.data\nshared_name: .word 1\n',
);
const objB = writeTmpAsm(
  'b_member_with_a_long_name.o',
  '.globl beta\n.weak wbeta\nbeta: nop\nwbeta: ret\n.comm cbuf, 8\n',
);

describe('ar archives', () => {
  it('round-trips members and builds a symbol index of defined globals', () => {
    const ar = writeArchive([objA, objB, { name: 'odd.txt', data: new Uint8Array([1, 2, 3]) }]);
    expect(isArchive(ar)).toBe(true);
    const back = readArchive(ar);
    expect(back.members.map((m) => m.name)).toEqual(['a.o', 'b_member_with_a_long_name.o', 'odd.txt']);
    expect(back.members[2]?.data).toEqual(new Uint8Array([1, 2, 3]));
    expect(back.members[0]?.data).toEqual(objA.data);
    expect(Object.fromEntries(back.symbols)).toEqual({
      alpha: 0,
      shared_name: 0,
      beta: 1,
      wbeta: 1,
      cbuf: 1,
    });
  });

  it('rejects malformed archives with an error, never a crash', () => {
    const ar = writeArchive([objA, objB]);
    for (let i = 8; i < 200; i += 7) {
      const bad = ar.slice(0, i);
      try {
        readArchive(bad);
      } catch (e) {
        expect((e as Error).name).toBe('ArFormatError');
      }
    }
  });

  oracleIt('GNU ar lists and extracts our archive; GNU nm reads its index', [GNU_AR, GNU_NM], () => {
    const dir = mkdtempSync(join(tmpdir(), 'futura-ar-'));
    const p = join(dir, 'lib.a');
    writeFileSync(p, writeArchive([objA, objB]));
    expect(execFileSync(GNU_AR, ['t', p], { encoding: 'utf8' })).toBe('a.o\nb_member_with_a_long_name.o\n');
    const index = execFileSync(GNU_NM, ['-s', p], { encoding: 'utf8' });
    expect(index).toMatch(/alpha in a\.o/);
    expect(index).toMatch(/beta in b_member_with_a_long_name\.o/);
    execFileSync(GNU_AR, ['x', p], { cwd: dir });
    expect(new Uint8Array(readFileSync(join(dir, 'b_member_with_a_long_name.o')))).toEqual(objB.data);
  });

  oracleIt("we read GNU ar's archive (long names, index)", [GNU_AR], () => {
    const dir = mkdtempSync(join(tmpdir(), 'futura-ar-'));
    for (const o of [objA, objB]) writeFileSync(join(dir, o.name), o.data);
    execFileSync(GNU_AR, ['rcs', 'lib.a', objA.name, objB.name], { cwd: dir });
    const ar = readArchive(new Uint8Array(readFileSync(join(dir, 'lib.a'))));
    expect(ar.members.map((m) => m.name)).toEqual([objA.name, objB.name]);
    expect(ar.members[1]?.data).toEqual(objB.data);
    expect(ar.symbols.get('beta')).toBe(1);
    expect(ar.symbols.get('alpha')).toBe(0);
  });

  it('futura ar rcs / t / x', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'futura-ar-'));
    const a = join(dir, 'a.o');
    const b = join(dir, 'b.o');
    writeFileSync(a, objA.data);
    writeFileSync(b, objB.data);
    const lib = join(dir, 'lib.a');
    expect(await main(['ar', 'rcs', lib, a, b])).toBe(0);
    expect(readArchive(new Uint8Array(readFileSync(lib))).members.map((m) => m.name)).toEqual(['a.o', 'b.o']);
    // Replacing a member keeps one copy.
    expect(await main(['ar', 'rcs', lib, a])).toBe(0);
    expect(readArchive(new Uint8Array(readFileSync(lib))).members).toHaveLength(2);
    expect(await main(['ar', 't', join(dir, 'missing.a')])).not.toBe(0);
  });
});
