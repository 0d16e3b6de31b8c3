// Runs a static user ELF (built by buildWithGcc with the test runtime) in hosted U-mode on a board:
// a minimal loader (PT_LOAD segments into RAM behind Sv32 page tables, a stack with argc = 0) and
// a syscall loop for write (64) and exit (93/94). Test-side only; the real loader is the kernel's.
import { readFileSync } from 'node:fs';
import type { Board } from '../../core/machine/board';
import { Exit } from '../../core/machine/hart';
import { RAM_BASE } from '../../core/machine/memory';
import { PageTables, PTE } from './paging';

const STACK_TOP = 0x7fff_0000;
const STACK_PAGES = 64;

export interface UserRun {
  exitCode: number;
  stdout: string;
  instret: number;
  seconds: number;
}

export function loadUserElf(board: Board, path: string): void {
  const f = new Uint8Array(readFileSync(path));
  const dv = new DataView(f.buffer, f.byteOffset, f.byteLength);
  const entry = dv.getUint32(24, true);
  const phoff = dv.getUint32(28, true);
  const phentsize = dv.getUint16(42, true);
  const phnum = dv.getUint16(44, true);
  const pt = new PageTables(board, RAM_BASE + board.ram.size - 0x40_0000);
  let nextPa = RAM_BASE + 0x10_0000;
  const mapped = new Map<number, number>();
  const pageFor = (va: number, flags: number): number => {
    const vp = va & ~0xfff;
    let pa = mapped.get(vp);
    if (pa === undefined) {
      pa = nextPa;
      nextPa += 4096;
      mapped.set(vp, pa);
      board.ram.fill(pa, 4096);
    }
    pt.map(vp, pa, flags | PTE.V | PTE.U | PTE.A | PTE.D);
    return pa;
  };
  for (let i = 0; i < phnum; i++) {
    const o = phoff + i * phentsize;
    if (dv.getUint32(o, true) !== 1) continue; // PT_LOAD
    const off = dv.getUint32(o + 4, true);
    const vaddr = dv.getUint32(o + 8, true);
    const filesz = dv.getUint32(o + 16, true);
    const memsz = dv.getUint32(o + 20, true);
    const pf = dv.getUint32(o + 24, true);
    const flags = (pf & 4 ? PTE.R : 0) | (pf & 2 ? PTE.W | PTE.R : 0) | (pf & 1 ? PTE.X : 0);
    for (let va = vaddr & ~0xfff; va < vaddr + memsz; va += 4096) pageFor(va, flags);
    for (let k = 0; k < filesz; k++) {
      const va = vaddr + k;
      board.ram.write8(mapped.get(va & ~0xfff)! + (va & 0xfff), f[off + k]!);
    }
  }
  for (let i = 1; i <= STACK_PAGES; i++) pageFor(STACK_TOP - i * 4096, PTE.R | PTE.W);
  const h = board.hart;
  h.hosted = true;
  h.priv = 0;
  h.setSatp(pt.satp);
  h.writeCsr(0x300, 1 << 13); // mstatus.FS = Initial: FP enabled
  h.pc = entry;
  h.x[2] = STACK_TOP - 64; // argc = 0, argv = envp = NULL (RAM is zeroed)
  h.invalidateCode(RAM_BASE, board.ram.size);
}

/** Runs until exit; throws on any unexpected trap. */
export function runUser(board: Board, maxInstructions = 5e9): UserRun {
  const h = board.hart;
  let stdout = '';
  const t0 = performance.now();
  for (;;) {
    const e = h.run(Math.min(50_000_000, maxInstructions - h.instret));
    if (e === Exit.Budget) {
      if (h.instret >= maxInstructions) throw new Error('instruction limit reached');
      continue;
    }
    if (e !== Exit.Ecall)
      throw new Error(
        `unexpected exit ${e} cause ${h.exitCause} tval 0x${h.exitTval.toString(16)} pc 0x${h.pc.toString(16)}`,
      );
    const n = h.x[17]!;
    if (n === 93 || n === 94) {
      return { exitCode: h.x[10]!, stdout, instret: h.instret, seconds: (performance.now() - t0) / 1000 };
    }
    if (n === 64) {
      const buf = h.x[11]! >>> 0;
      const len = h.x[12]!;
      for (let i = 0; i < len; i++) stdout += String.fromCharCode(board.ram.read8(h.translate(buf + i, 0)));
      h.x[10] = len;
    } else {
      h.x[10] = -38;
    }
    h.pc = (h.pc + 4) >>> 0;
  }
}

/** A CPU-bound integer workload (sieve, sort, CRC, matrix multiply) with a checksum. */
export const BENCH_C = `
#include "rt.h"
static unsigned crc32(const unsigned char *p, int n) {
  unsigned c = 0xffffffffu;
  for (int i = 0; i < n; i++) { c ^= p[i]; for (int k = 0; k < 8; k++) c = (c >> 1) ^ (0xedb88320u & -(c & 1)); }
  return ~c;
}
static int sieve(char *s, int n) {
  int count = 0;
  for (int i = 0; i < n; i++) s[i] = 1;
  for (int i = 2; i < n; i++) if (s[i]) { count++; for (int j = i + i; j < n; j += i) s[j] = 0; }
  return count;
}
static void sort(int *a, int n) {
  for (int gap = n / 2; gap > 0; gap /= 2)
    for (int i = gap; i < n; i++) { int t = a[i], j = i; for (; j >= gap && a[j - gap] > t; j -= gap) a[j] = a[j - gap]; a[j] = t; }
}
#define N 48
static int ma[N][N], mb[N][N], mc[N][N];
static char sv[200000];
static int arr[20000];
int main(void) {
  unsigned sum = 0, seed = 12345;
  for (int round = 0; round < ROUNDS; round++) {
    sum += sieve(sv, sizeof sv);
    for (int i = 0; i < 20000; i++) { seed = seed * 1103515245u + 12345u; arr[i] = (int)(seed >> 8); }
    sort(arr, 20000);
    for (int i = 1; i < 20000; i++) if (arr[i - 1] > arr[i]) return 3;
    sum += crc32((const unsigned char *)arr, sizeof arr);
    for (int i = 0; i < N; i++) for (int j = 0; j < N; j++) { ma[i][j] = i + j + round; mb[i][j] = i - j; }
    for (int i = 0; i < N; i++) for (int j = 0; j < N; j++) { int s = 0; for (int k = 0; k < N; k++) s += ma[i][k] * mb[k][j]; mc[i][j] = s; }
    sum += (unsigned)mc[N / 2][N / 3] + (unsigned)(sum / 7u) % 1000u;
  }
  printf("checksum %u\\n", sum);
  return 0;
}
`;
