// The assembler on real compiler output: `gcc -S` of the test runtime and a C program, assembled
// by futcc (compared section by section with GNU as) and linked by futcc, must run like GCC's.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { buildWithGcc, RT_DIR, RV32_FLAGS } from '../support/gcc';
import { oracleIt, QEMU_USER, RV_GCC } from '../support/oracle';
import { GNU_AS, GNU_READELF, gnuAs, normaliseElf, tmp } from './asm-support';
import { libgcc, mustLink, ourObject, qemu } from './link-support';
import { readObject } from '../../core/toolchain/obj/reader';

const PROGRAM = `#include "rt.h"
struct point { int x, y; };
static struct point pts[3] = {{1, 2}, {3, 4}, {5, 6}};
static const char *words[] = {"alpha", "beta", "gamma"};
float fsum(float a, float b) { return a * 0.5f + b; }
long long mul64(long long a, long long b) { return a * b; }
int main(int argc, char **argv) {
  int acc = 0;
  for (int i = 0; i < 3; i++) acc += pts[i].x * pts[i].y;
  switch (argc) {
    case 1: acc += 100; break;
    case 2: acc += 200; break;
    case 3: acc += 300; break;
    default: acc -= 1;
  }
  printf("%s %d %d %d\\n", words[acc % 3], acc, (int)fsum(3.0f, (float)argc), (int)(mul64(acc, 100000) / 7));
  printf("%x %s\\n", (unsigned)mul64(0x10001, acc), argc > 1 ? argv[1] : "-");
  return acc & 63;
}
`;

function gccS(src: string, flags: string[]): string {
  const dir = tmp();
  const out = join(dir, 'out.s');
  execFileSync(RV_GCC, [...RV32_FLAGS, ...flags, `-I${RT_DIR}`, '-S', '-o', out, src]);
  return readFileSync(out, 'utf8');
}

const OPTS: string[][] = [['-O2'], ['-O0', '-g'], ['-Os', '-g']];

/** (file basename, line, address) rows of an object's .debug_line, as GNU readelf decodes them. */
function lineRows(obj: Uint8Array): string[] {
  const p = join(tmp(), 'x.o');
  execFileSync('sh', ['-c', `cat > ${p}`], { input: obj });
  return execFileSync(GNU_READELF, ['--debug-dump=decodedline', p], { encoding: 'utf8' })
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f.length >= 3 && /^0x/.test(f[2] ?? ''))
    .map((f) => `${(f[0] ?? '').replace(/^.*\//, '')} ${f[1]} ${f[2]}`);
}

describe('gcc -S output through futcc', () => {
  for (const flags of OPTS) {
    oracleIt(
      `${flags.join(' ')}: same code and data as GNU as, and the linked program runs like GCC's`,
      [RV_GCC, GNU_AS, QEMU_USER],
      () => {
        const progPath = join(tmp(), 'prog.c');
        execFileSync('sh', ['-c', `cat > ${progPath}`], { input: PROGRAM });
        const sources = [join(RT_DIR, 'rt.c'), progPath].map((p) => gccS(p, flags));
        sources.unshift(readFileSync(join(RT_DIR, 'crt0.S'), 'utf8'));
        const objs = sources.map((s, i) => ourObject(`u${i}.s`, s));
        // Allocated sections match GNU as byte for byte (debug sections differ: GNU as builds
        // .debug_line from .loc, futcc keeps .loc rows in .futura.loc instead).
        sources.forEach((s, i) => {
          const gnu = normaliseElf(gnuAs(s));
          const mine = normaliseElf(objs[i]!.data);
          const alloc = readObject(objs[i]!.data)
            .sections.filter((x) => (x.flags & 2) !== 0 && x.size > 0)
            .map((x) => x.name);
          for (const name of alloc) expect(mine.get(name), `${name} of source ${i}`).toEqual(gnu.get(name));
          // The DWARF line program built from .loc decodes to GNU as's rows.
          if (flags.includes('-g') && i > 0) {
            const rows = lineRows(objs[i]!.data);
            expect(rows.length).toBeGreaterThan(10);
            expect(rows).toEqual(lineRows(gnuAs(s)));
          }
        });
        const args = ['x', 'y'];
        const mine = qemu(mustLink([...objs, libgcc()]).elf, args);
        const ref = qemu(buildWithGcc([{ name: 'prog.c', text: PROGRAM }], { flags }), args);
        expect(mine.stdout.length).toBeGreaterThan(10);
        expect(mine).toEqual(ref);
      },
      60_000,
    );
  }
});
