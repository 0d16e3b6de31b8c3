// `futura bare`: exit status from tohost, UART to stdout, and status 2 with a clear message for
// every way a run can go wrong.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../core/cli/main';
import { buildBare, BARE_DIR } from '../fixtures/bare/build';
import { buildTinyElf } from '../elf/tiny-elf';
import { buildWithGcc } from '../support/gcc';
import { oracleIt, RV_GCC } from '../support/oracle';

const BIN = fileURLToPath(new URL('../../bin/futura.mjs', import.meta.url));

/** Runs `futura bare ...` in-process; returns the status and what went to stderr. */
async function bare(...args: string[]): Promise<{ code: number; stderr: string }> {
  let stderr = '';
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
    return true;
  });
  try {
    return { code: await main(['bare', ...args]), stderr };
  } finally {
    spy.mockRestore();
  }
}

function tempFile(name: string, data: Uint8Array): string {
  const path = join(mkdtempSync(join(tmpdir(), 'futura-bare-')), name);
  writeFileSync(path, data);
  return path;
}

const LOOP = `#include "bare.h"
TEST_BEGIN
1: j 1b
TEST_END
`;

// A jump to 0x1000 (no memory there): the handler reports mcause through tohost.
const JUMP = `#include "bare.h"
  .section .text.init
  .globl _start
_start:
  la t0, handler
  csrw mtvec, t0
  li t0, 0x1000
  jr t0
handler:
  csrr a7, mcause
  j fail
TEST_END
`;

function bareFlags(): { bare: true; runtime: false; flags: string[] } {
  return {
    bare: true,
    runtime: false,
    flags: [
      '-T',
      join(BARE_DIR, 'link.ld'),
      `-I${BARE_DIR}`,
      `-DH=${readFileSync(join(BARE_DIR, 'bare.h')).length}`,
    ],
  };
}

describe('futura bare', () => {
  afterEach(() => vi.restoreAllMocks());

  oracleIt('prints UART output on stdout and exits 0 on pass (subprocess)', [RV_GCC], () => {
    const r = spawnSync(process.execPath, [BIN, 'bare', buildBare('uart')], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('Hello from bare metal!\n');
    expect(r.status).toBe(0);
  });

  oracleIt('exits with tohost >> 1', [RV_GCC], async () => {
    expect((await bare(buildBare('fail'))).code).toBe(5);
  });

  oracleIt('runs a program linked with plain -Ttext=0x80000000 (headers outside RAM)', [RV_GCC], async () => {
    const elf = buildWithGcc(
      [
        {
          name: 'ttext.c',
          text:
            'volatile unsigned long long tohost __attribute__((section(".tohost"), aligned(8)));\n' +
            'void _start(void) { tohost = (21 << 1) | 1; for (;;) {} }\n',
        },
      ],
      { bare: true, runtime: false },
    );
    expect((await bare(elf)).code).toBe(21);
  });

  it('exits 2 with the ElfError message for a malformed file', async () => {
    const r = await bare(
      tempFile('bad.elf', new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, ...new Array(60).fill(0)])),
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/malformed ELF: not an ELF32 file/);
  });

  it('exits 2 naming the trap when a trap storm (no trap vector) retires nothing', async () => {
    // The hand-built ELF runs four nops into zeroed memory: illegal instruction, mtvec = 0,
    // fetch fault, and so on forever without retiring anything. Found long before the default
    // limit of 10^10 (hours of trap entries).
    const r = await bare(tempFile('storm.elf', buildTinyElf().bytes));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /stuck in a trap loop .*: instruction access fault \(mcause 1\) at mepc 0x00000000, mtval 0x00000000, mtvec 0x00000000/,
    );
  });

  oracleIt(
    'a jump to unmapped memory with a handler ends through it (mcause 1 = exit 1)',
    [RV_GCC],
    async () => {
      const elf = buildWithGcc([{ name: 'jump.S', text: JUMP }], bareFlags());
      expect(await bare(elf)).toEqual({ code: 1, stderr: '' });
    },
  );

  it('exits 2 for a missing file and a bad --max-instructions', async () => {
    const missing = await bare('/nonexistent/prog.elf');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read/);
    const badMax = await bare('--max-instructions', 'lots', '/nonexistent/prog.elf');
    expect(badMax.code).toBe(2);
    expect(badMax.stderr).toMatch(/--max-instructions must be a positive integer/);
  });

  oracleIt('exits 2 for a segment outside RAM (a user program at 0x400000)', [RV_GCC], async () => {
    const user = buildWithGcc([{ name: 'u.c', text: 'int main(void) { return 0; }\n' }]);
    const r = await bare(user);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/segment \d+ \(0x004\w+–0x004\w+\) lies outside RAM/);
  });

  oracleIt('exits 2 when the program runs past --max-instructions', [RV_GCC], async () => {
    const loop = buildWithGcc([{ name: 'loop.S', text: LOOP }], bareFlags());
    const r = await bare('--max-instructions', '200000', loop);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/ran past --max-instructions \(200000\)/);
  });
});
