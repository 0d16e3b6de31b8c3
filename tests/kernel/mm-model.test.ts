// Random map/unmap/brk/mprotect/write/fork sequences against a page-level model: after each step the
// VMAs and the Sv32 tables the MMU walks must agree with the model, fresh pages read as zero, and
// frame counts must balance when everything is released.
import { describe, it, expect } from 'vitest';
import { PhysicalMemory, PAGE_SIZE } from '../../core/machine/memory';
import { FramePool } from '../../core/kernel/pmm';
import { FutMm, PTE_COW, ptePa } from '../../core/kernel/mm';
import { MAP_ANONYMOUS, MAP_FIXED, MAP_PRIVATE, PROT_READ, PROT_WRITE } from '../../core/kernel/abi';
import { EFAULT, ENOMEM } from '../../core/kernel/errno';
import { sv32Walk, type Access } from './sv32walk';
import { makeRng } from './rng';

const FULL = process.env.FUTURA_FULL === '1';
const WIN = 0x4000_0000;
const WIN_PAGES = 64;

interface Page {
  prot: number;
  tag: number;
}

function checkAgainstModel(mem: PhysicalMemory, mm: FutMm, model: Map<number, Page>): void {
  // Plain comparisons collected into one assertion (per-page expect() calls dominate the run time).
  const bad: string[] = [];
  let vmaPages = 0;
  for (const v of mm.vmas.all) {
    if (v.kind === 'kernel' || v.kind === 'guard') continue;
    for (let va = v.start; va < v.end; va += PAGE_SIZE) {
      vmaPages++;
      if (model.get(va)?.prot !== v.prot) bad.push(`VMA prot ${v.prot} at 0x${va.toString(16)}`);
    }
  }
  if (vmaPages !== model.size) bad.push(`${vmaPages} VMA pages, model has ${model.size}`);
  for (const [va, p] of model) {
    const pte = mm.pte(va);
    if (pte === 0) {
      bad.push(`no PTE at 0x${va.toString(16)}`);
      continue;
    }
    const cow = (pte & PTE_COW) !== 0;
    const got = ['read', 'write', 'exec'].map((a) => sv32Walk(mem, mm.satp, va, 'U', a as Access) !== -1);
    const want = [(p.prot & 3) !== 0, (p.prot & 2) !== 0 && !cow, (p.prot & 4) !== 0];
    if (got.join() !== want.join()) bad.push(`PTE at 0x${va.toString(16)}: MMU ${got} want ${want}`);
    if (sv32Walk(mem, mm.satp, va, 'S', 'read') !== -1)
      bad.push(`S-mode reads user page 0x${va.toString(16)}`);
    if (mem.read8(ptePa(pte)) !== p.tag) bad.push(`content at 0x${va.toString(16)}`);
  }
  expect(bad).toEqual([]);
}

function runSequence(seed: number, steps: number): void {
  const rng = makeRng(seed);
  const mem = new PhysicalMemory(4 * 1024 * 1024);
  const pool = new FramePool(mem, { reservedBytes: 16 * PAGE_SIZE, limitFrames: 160 });
  const mm = FutMm.create(pool) as FutMm;
  mm.setHeapBase(0x400000);
  const model = new Map<number, Page>();
  let child: FutMm | null = null;
  let childModel = new Map<number, Page>();
  let brkEnd = mm.brkStart;
  const alignUp = (x: number) => Math.ceil(x / PAGE_SIZE) * PAGE_SIZE;

  for (let step = 0; step < steps; step++) {
    const op = rng.int(100);
    const page = WIN + rng.int(WIN_PAGES) * PAGE_SIZE;
    const n = 1 + rng.int(8);
    const prot = rng.int(8);
    if (op < 20) {
      const a = mm.mmap(0, n * PAGE_SIZE, prot, MAP_PRIVATE | MAP_ANONYMOUS);
      if (a === -ENOMEM) continue;
      expect(a).toBeGreaterThanOrEqual(WIN);
      for (let i = 0; i < n; i++) {
        expect(model.has(a + i * PAGE_SIZE)).toBe(false);
        model.set(a + i * PAGE_SIZE, { prot, tag: 0 });
      }
    } else if (op < 32) {
      const r = mm.mmap(page, n * PAGE_SIZE, prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED);
      if (r === -ENOMEM) {
        // RAM ran out part-way: the old pages are gone, the new mapping is not there.
        for (let i = 0; i < n; i++) model.delete(page + i * PAGE_SIZE);
        continue;
      }
      expect(r).toBe(page);
      for (let i = 0; i < n; i++) model.set(page + i * PAGE_SIZE, { prot, tag: 0 });
    } else if (op < 47) {
      expect(mm.munmap(page, n * PAGE_SIZE - rng.int(PAGE_SIZE))).toBe(0);
      for (let i = 0; i < n; i++) model.delete(page + i * PAGE_SIZE);
    } else if (op < 57) {
      let covered = true;
      for (let i = 0; i < n; i++) if (!model.has(page + i * PAGE_SIZE)) covered = false;
      const r = mm.mprotect(page, n * PAGE_SIZE, prot);
      expect(r).toBe(covered ? 0 : -ENOMEM);
      if (covered) for (let i = 0; i < n; i++) model.get(page + i * PAGE_SIZE)!.prot = prot;
    } else if (op < 67) {
      const target = mm.brkStart - 2 * PAGE_SIZE + rng.int(40 * PAGE_SIZE);
      const r = mm.brk(target);
      if (r === -ENOMEM) continue;
      const want = Math.max(target, mm.brkStart);
      expect(r).toBe(want);
      const newEnd = alignUp(want);
      for (let va = newEnd; va < brkEnd; va += PAGE_SIZE) model.delete(va);
      for (let va = brkEnd; va < newEnd; va += PAGE_SIZE)
        model.set(va, { prot: PROT_READ | PROT_WRITE, tag: 0 });
      brkEnd = newEnd;
    } else if (op < 85) {
      const keys = [...model.keys()];
      if (!keys.length) continue;
      const va = rng.pick(keys);
      const tag = 1 + rng.int(255);
      const r = mm.copyOut(va, Uint8Array.of(tag));
      const p = model.get(va)!;
      if (p.prot & PROT_WRITE) {
        if (r === -EFAULT) continue; // COW copy with RAM exhausted
        expect(r).toBe(0);
        p.tag = tag;
      } else expect(r).toBe(-EFAULT);
    } else if (op < 93) {
      const keys = [...model.keys()];
      if (!keys.length) continue;
      const va = rng.pick(keys);
      const p = model.get(va)!;
      const r = mm.copyIn(va, 1);
      if (p.prot & 3) expect(r).toEqual(Uint8Array.of(p.tag));
      else expect(r).toBe(-EFAULT);
    } else {
      child?.release();
      const c = mm.fork();
      child = typeof c === 'number' ? null : c;
      childModel = new Map([...model].map(([k, v]) => [k, { ...v }]));
    }
    checkAgainstModel(mem, mm, model);
    if (step % 32 === 0) pool.checkInvariants();
  }
  checkAgainstModel(mem, mm, model);
  pool.checkInvariants();
  if (child) checkAgainstModel(mem, child, childModel);
  // Every frame in use is a page table or a (possibly shared) data frame.
  const frames = new Set<number>();
  for (const [va] of model) frames.add(ptePa(mm.pte(va)));
  if (child) for (const [va] of childModel) frames.add(ptePa(child.pte(va)));
  expect(pool.used).toBe(frames.size + mm.tableFrames + (child?.tableFrames ?? 0));
  child?.release();
  mm.release();
  expect(pool.used).toBe(0);
  pool.checkInvariants();
}

describe('FutMm against a page model', () => {
  const seeds = FULL ? 40 : 4;
  const steps = FULL ? 3000 : 300;
  for (let s = 1; s <= seeds; s++) it(`random sequence, seed ${s}`, () => runSequence(s, steps));
});
