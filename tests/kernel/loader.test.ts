import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { PhysicalMemory, PAGE_SIZE } from '../../core/machine/memory';
import { Board } from '../../core/machine/board';
import { Exit } from '../../core/machine/hart';
import { PRIV_U } from '../../core/machine/csr';
import { FramePool } from '../../core/kernel/pmm';
import { FutMm } from '../../core/kernel/mm';
import { createProcessImage, isLoadFailure, type ProcessImage } from '../../core/kernel/loader';
import { AT_PAGESZ, STACK_GUARD, STACK_TOP } from '../../core/kernel/abi';
import { E2BIG, ENOEXEC, ENOMEM, ENOSYS } from '../../core/kernel/errno';
import { oracleIt } from '../support/oracle';
import { buildWithGcc } from '../support/gcc';
import { buildElf } from './elfbuild';
import { sv32Walk } from './sv32walk';

const code = Uint8Array.from([0x13, 0, 0, 0, 0x73, 0, 0, 0]); // nop; ecall

function image(pool: FramePool, bytes: Uint8Array, argv = ['prog'], envp: string[] = []): ProcessImage {
  const r = createProcessImage(pool, bytes, argv, envp);
  if (isLoadFailure(r)) throw new Error(r.message);
  return r;
}

function u32s(mm: FutMm, va: number, n: number): number[] {
  const b = mm.copyIn(va, n * 4);
  if (typeof b === 'number') throw new Error('copyIn');
  return Array.from(new Uint32Array(b.buffer.slice(0)));
}

describe('ELF loader', () => {
  it('maps text R-X and data/bss RW- with the file bytes, zero bss, heap one page above the image', () => {
    const pool = new FramePool(new PhysicalMemory(8 << 20));
    const data = Uint8Array.from([1, 2, 3, 4]);
    const elf = buildElf(
      [
        { vaddr: 0x400000, data: code, flags: 5 },
        { vaddr: 0x401100, data, memsz: 0x2000, flags: 6 },
      ],
      0x400000,
    );
    const p = image(pool, elf);
    const { mm } = p;
    expect(p.entry).toBe(0x400000);
    expect(p.brkStart).toBe(0x405000); // image ends at 0x403100
    expect(mm.brk(0)).toBe(0x405000);
    const mem = pool.mem;
    expect(sv32Walk(mem, mm.satp, 0x400000, 'U', 'exec')).toBeGreaterThan(0);
    expect(sv32Walk(mem, mm.satp, 0x400000, 'U', 'write')).toBe(-1);
    expect(sv32Walk(mem, mm.satp, 0x401100, 'U', 'write')).toBeGreaterThan(0);
    expect(sv32Walk(mem, mm.satp, 0x401100, 'U', 'exec')).toBe(-1);
    expect(sv32Walk(mem, mm.satp, 0x403000, 'U', 'write')).toBeGreaterThan(0);
    expect(sv32Walk(mem, mm.satp, 0x404000, 'U', 'read')).toBe(-1); // the gap page
    expect(mm.copyIn(0x400000, 8)).toEqual(code);
    expect(mm.copyIn(0x401100, 6)).toEqual(Uint8Array.from([1, 2, 3, 4, 0, 0]));
    expect(mm.vmas.all.map((v) => v.kind)).toEqual(['text', 'data', 'bss', 'guard', 'stack', 'kernel']);
    mm.release();
    expect(pool.used).toBe(0);
  });

  it('builds the initial stack: argc, argv, NULL, envp, NULL, auxv, strings above; sp 16-aligned', () => {
    const pool = new FramePool(new PhysicalMemory(8 << 20));
    const p = image(
      pool,
      buildElf([{ vaddr: 0x400000, data: code, flags: 5 }], 0x400000),
      ['ls', '-l', 'ünï'],
      ['HOME=/'],
    );
    expect(p.sp % 16).toBe(0);
    expect(p.sp).toBeLessThan(STACK_TOP);
    const w = u32s(p.mm, p.sp, 10);
    expect(w[0]).toBe(3);
    expect(p.argv).toBe(p.sp + 4);
    expect(w[4]).toBe(0);
    expect(p.envp).toBe(p.sp + 20);
    expect(w[6]).toBe(0);
    expect(w.slice(7, 11)).toEqual([AT_PAGESZ, PAGE_SIZE, 0]);
    expect([1, 2, 3, 5].map((i) => p.mm.readString(w[i]!, 100))).toEqual(['ls', '-l', 'ünï', 'HOME=/']);
    for (const i of [1, 2, 3, 5]) expect(w[i]!).toBeGreaterThan(p.sp + 40);
  });

  it('rejects what cannot run here with ENOEXEC and a reason, leaking nothing', () => {
    const pool = new FramePool(new PhysicalMemory(8 << 20));
    const bad = (elf: Uint8Array, re: RegExp) => {
      const r = createProcessImage(pool, elf, ['x'], []);
      expect(isLoadFailure(r) && r.errno).toBe(-ENOEXEC);
      expect(isLoadFailure(r) && r.message).toMatch(re);
    };
    bad(buildElf([{ vaddr: 0x1000, data: code, flags: 5 }], 0x1000), /below the user base/);
    bad(
      buildElf([{ vaddr: 0x7ff0_0000, data: code, memsz: 0x10_0000, flags: 6 }], 0x7ff0_0000),
      /not executable|stack/,
    );
    bad(buildElf([{ vaddr: 0x400000, data: code, flags: 5 }], 0x400000, { machine: 62 }), /RISC-V/);
    bad(buildElf([{ vaddr: 0x400000, data: code, flags: 5 }], 0x400000, { cls: 2 }), /ELF32/);
    bad(buildElf([{ vaddr: 0x400000, data: code, flags: 5 }], 0x500000), /entry/);
    bad(buildElf([{ vaddr: 0x400000, data: code, flags: 6 }], 0x400000), /not executable/);
    bad(
      buildElf(
        [
          { vaddr: 0x400000, data: code, memsz: 0x2000, flags: 5 },
          { vaddr: 0x401000, data: code, flags: 6 },
        ],
        0x400000,
      ),
      /overlaps/,
    );
    bad(Uint8Array.from([1, 2, 3]), /too short/);
    expect(pool.used).toBe(0);
  });

  it('accepts a PT_LOAD with p_filesz 0 whatever its p_offset; a non-empty one must still agree', () => {
    const pool = new FramePool(new PhysicalMemory(8 << 20));
    const segs = [
      { vaddr: 0x400000, data: code, flags: 5 },
      { vaddr: 0x402000, data: new Uint8Array(0), memsz: 0x1800, flags: 6 },
    ];
    // Segment 1's p_offset (program header 1, field at +4) set off the p_vaddr alignment.
    const withOffset = (elf: Uint8Array, seg: number, off: number): Uint8Array => {
      new DataView(elf.buffer).setUint32(52 + 32 * seg + 4, off, true);
      return elf;
    };
    for (const off of [0x123, 0, 0xffff_fff0]) {
      const p = image(pool, withOffset(buildElf(segs, 0x400000), 1, off));
      expect(p.mm.copyIn(0x402000, 4)).toEqual(new Uint8Array(4));
      expect(sv32Walk(pool.mem, p.mm.satp, 0x403000, 'U', 'write')).toBeGreaterThan(0);
      p.mm.release();
    }
    const nonEmpty = [segs[0]!, { vaddr: 0x402000, data: code, memsz: 0x1800, flags: 6 }];
    const r = createProcessImage(pool, withOffset(buildElf(nonEmpty, 0x400000), 1, 0x123), ['x'], []);
    expect(isLoadFailure(r) && r.errno).toBe(-ENOEXEC);
    expect(isLoadFailure(r) && r.message).toMatch(/p_vaddr 0x402000 and p_offset 0x123 disagree/);
    expect(pool.used).toBe(0);
  });

  it('fails with ENOMEM or E2BIG cleanly', () => {
    const pool = new FramePool(new PhysicalMemory(8 << 20), { limitFrames: 20 });
    const r = createProcessImage(
      pool,
      buildElf([{ vaddr: 0x400000, data: code, flags: 5 }], 0x400000),
      [],
      [],
    );
    expect(isLoadFailure(r) && r.errno).toBe(-ENOMEM);
    expect(pool.used).toBe(0);
    const pool2 = new FramePool(new PhysicalMemory(8 << 20));
    const r2 = createProcessImage(
      pool2,
      buildElf([{ vaddr: 0x400000, data: code, flags: 5 }], 0x400000),
      ['x'.repeat(200_000)],
      [],
    );
    expect(isLoadFailure(r2) && r2.errno).toBe(-E2BIG);
    expect(pool2.used).toBe(0);
  });
});

/** Runs a loaded image on the real hart in U-mode with a few syscalls, as the trap loop will. */
function runOnHart(b: Board, p: ProcessImage, budget = 5_000_000) {
  const h = b.hart;
  h.hosted = true;
  h.priv = PRIV_U;
  h.setSatp(p.mm.satp);
  h.pc = p.entry;
  h.x[2] = p.sp;
  let out = '';
  let gen = p.mm.generation;
  for (let n = 0; n < 10_000; n++) {
    const e = h.run(budget);
    if (e === Exit.Ecall) {
      const [a0, a1, a2, a7] = [h.x[10]!, h.x[11]!, h.x[12]!, h.x[17]!];
      let r = -ENOSYS;
      if (a7 === 64) {
        const bytes = p.mm.copyIn(a1 >>> 0, a2);
        r = typeof bytes === 'number' ? bytes : bytes.length;
        if (typeof bytes !== 'number') out += new TextDecoder().decode(bytes);
      } else if (a7 === 93) return { out, exit: a0, fault: null };
      else if (a7 === 214) r = p.mm.brk(a0 >>> 0);
      h.x[10] = r;
      h.pc = (h.pc + 4) >>> 0;
    } else if (e === Exit.PageFault) {
      const access = h.exitCause === 12 ? 'exec' : h.exitCause === 15 ? 'write' : 'read';
      const r = p.mm.handleFault(h.exitTval, access);
      if (r !== 'resolved') return { out, exit: -1, fault: r };
    } else if (e !== Exit.Budget) throw new Error(`unexpected exit ${e} at pc 0x${h.pc.toString(16)}`);
    if (p.mm.generation !== gen) {
      h.flushTlb();
      gen = p.mm.generation;
    }
  }
  throw new Error('did not finish');
}

describe('loaded GCC programs run on the hart', () => {
  oracleIt('argv/envp, data, bss and brk behave as under Linux', ['riscv64-unknown-elf-gcc'], () => {
    const src = `#include "rt.h"
      int counter = 41; char buf[10000];
      int main(int argc, char **argv, char **envp) {
        counter++;
        for (int i = 0; i < (int)sizeof buf; i++) if (buf[i]) return 3;
        buf[9999] = 7;
        printf("argc=%d", argc);
        for (int i = 0; i < argc; i++) printf(" [%s]", argv[i]);
        for (char **e = envp; *e; e++) printf(" {%s}", *e);
        char *b0 = (char *)rt_syscall(214, 0, 0, 0, 0, 0, 0);
        char *b1 = (char *)rt_syscall(214, (long)(b0 + 10000), 0, 0, 0, 0, 0);
        for (int i = 0; i < 10000; i++) b0[i] = (char)i;
        long sum = 0; for (int i = 0; i < 10000; i++) sum += (unsigned char)b0[i];
        printf(" counter=%d brk=%d sum=%ld\\n", counter, (int)(b1 - b0), sum);
        return counter + buf[9999];
      }`;
    const elf = new Uint8Array(readFileSync(buildWithGcc([{ name: 'args.c', text: src }])));
    const b = new Board({ ramSize: 16 << 20, engine: 'interp' });
    const pool = new FramePool(b.ram, { reservedBytes: 1 << 20 });
    const p = image(pool, elf, ['prog', 'a b', 'c'], ['X=1', 'Y=two']);
    const r = runOnHart(b, p);
    let sum = 0;
    for (let i = 0; i < 10000; i++) sum += i & 255;
    expect(r.out).toBe(`argc=3 [prog] [a b] [c] {X=1} {Y=two} counter=42 brk=10000 sum=${sum}\n`);
    expect(r.exit).toBe(49);
    p.mm.release();
    expect(pool.used).toBe(0);
  });

  oracleIt(
    'unbounded recursion ends in the guard page as a stack overflow',
    ['riscv64-unknown-elf-gcc'],
    () => {
      const src = `#include "rt.h"
      int deep(volatile int *p, int n) { volatile int pad[64]; pad[0] = n; return deep(pad, n + 1) + p[0]; }
      int main(void) { int x = 0; return deep(&x, 0); }`;
      const elf = new Uint8Array(
        readFileSync(buildWithGcc([{ name: 'deep.c', text: src }], { flags: ['-O0'] })),
      );
      const b = new Board({ ramSize: 16 << 20 });
      const pool = new FramePool(b.ram, { reservedBytes: 1 << 20 });
      const p = image(pool, elf);
      const r = runOnHart(b, p);
      expect(r.fault).toBe('stack-overflow');
      expect(b.hart.exitTval >>> 12).toBe(STACK_GUARD >>> 12);
    },
  );
});
