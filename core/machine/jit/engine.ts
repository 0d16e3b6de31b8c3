// The translating engine: counts dispatches per entry point of each physical code page,
// interprets cold code, and compiles hot entry points into JavaScript functions (`new Function`)
// that cover the code reachable from the entry within the page, calls and returns included
// (./discover, ./codegen, ./fpgen for inline FP). Each region is independent of the virtual
// address it runs at, and also serves the other block starts it has a case for. A page with
// translations is kept out of the write TLB, so stores to it take the MMU's slow path and reach
// `codeWritten`, which drops the page's translations when translated bytes change.
import type { CodeEngine, Hart } from '../hart';
import { execFp } from '../fpu';
import { fpMode } from '../fpu-regs';
import { div, divu, mulh, mulhsu, mulhu, rem, remu } from '../interp';
import { PF_CODE } from '../mmu';
import { generate } from './codegen';
import { discover } from './discover';

type RegionFn = (h: Hart, vb: number) => number;

interface CodePage {
  /** Region function per entry offset (index = offset / 2). */
  fns: Array<RegionFn | undefined>;
  /** Dispatch counts per entry offset. */
  heat: Uint16Array;
  /** Translated bytes of the page (1 = part of a translated instruction). */
  bytes: Uint8Array;
  /** Instructions the interpreter has executed here (index = offset / 2): the profile. */
  seen: Uint8Array;
  /** Entry offsets of the functions compiled for this page (others share one of these). */
  entries: number[];
  compiled: number;
}

/** Names of the helpers (this.helpers, in order) as generated code uses them. */
const HELPERS = [
  'mmu',
  'RT',
  'RA',
  'WT',
  'WA',
  'U8',
  'U16',
  'I32',
  'MULH',
  'MULHSU',
  'MULHU',
  'DIV',
  'DIVU',
  'REM',
  'REMU',
  'FP',
  'FU',
  'EXECFP',
  'FD',
  'SD',
  'SU',
  'F32',
  'FPM',
];

/** Dispatches to an entry point before it is compiled (default). */
export const DEFAULT_HOT = 1000;
/** Most instructions interpreted per cold dispatch (it also stops at the first taken jump). */
const COLD_RUN = 64;
/** Most instructions per call of a region function. */
const SLICE = 32768;
/**
 * Calls after each compile that run in short slices (of YOUNG_SLICE instructions), so a new
 * function returns (and records type feedback for its exit path) soon after V8 gives it a
 * feedback vector: otherwise its first call can spend a whole slice in one loop, V8 compiles that
 * loop (OSR) before the exit ever ran with feedback, and the compiled loop deoptimizes at the exit
 * on every later call until V8 gets round to optimizing the function again.
 */
const YOUNG_CALLS = 64;
const YOUNG_SLICE = 1024;
/** Instructions per region: bounds V8 compile time. */
const REGION_CAP = 320;

export interface JitStats {
  compiled: number;
  invalidated: number;
}

export class Jit implements CodeEngine {
  private readonly hart: Hart;
  private readonly pages: Array<CodePage | undefined>;
  private readonly helpers: unknown[];
  private readonly hot: number;
  private readonly cap: number;
  readonly stats: JitStats = { compiled: 0, invalidated: 0 };
  /** Calls left to run in short slices (see YOUNG_CALLS). */
  private young = 0;

  constructor(hart: Hart, hot = DEFAULT_HOT, cap = REGION_CAP) {
    this.hart = hart;
    this.hot = hot;
    this.cap = cap;
    this.pages = new Array<CodePage | undefined>(hart.bus.ram.size >>> 12);
    const m = hart.mmu;
    const scratch64 = new Float64Array(1);
    this.helpers = [
      m,
      m.rTag,
      m.rAdd,
      m.wTag,
      m.wAdd,
      m.u8,
      m.u16,
      m.i32,
      mulh,
      mulhsu,
      mulhu,
      div,
      divu,
      rem,
      remu,
      hart.fp,
      hart.fp.u32,
      execFp,
      hart.fp.f64,
      scratch64,
      new Uint32Array(scratch64.buffer),
      hart.fp.f32,
      fpMode,
    ];
  }

  run(h: Hart): void {
    const mmu = h.mmu;
    const xTag = mmu.xTag;
    const xAdd = mmu.xAdd;
    while (h.instret < h.limit) {
      const pc = h.pc;
      const vpn = pc >>> 12;
      const i = vpn & 1023;
      if (xTag[i] !== vpn) mmu.fetchRamOffset(pc);
      const off = (pc + xAdd[i]!) | 0;
      const page = off >>> 12;
      const slot = (off & 0xfff) >>> 1;
      let cp = this.pages[page];
      if (cp === undefined) cp = this.pages[page] = newPage();
      let fn = cp.fns[slot];
      if (fn === undefined) {
        if (cp.heat[slot]! < this.hot) {
          cp.heat[slot]!++;
          this.interpretCold(h);
          continue;
        }
        fn = this.compile(page, cp, slot << 1);
      }
      // Calls run in slices: V8 then optimizes region functions as whole calls, which gives much
      // better code for their loops than on-stack replacement inside one endless call. When a
      // slice runs out mid-region the same function resumes at the block it stopped at.
      const vb = (pc - (off & 0xfff)) >>> 0;
      let st: number;
      for (;;) {
        const limit = h.limit;
        const before = h.instret;
        const slice = before + (this.young > 0 ? (this.young--, YOUNG_SLICE) : SLICE);
        const sliced = slice < limit && h.limit === limit;
        if (sliced) h.limit = slice;
        st = fn(h, vb);
        const sliceOver = sliced && h.limit === slice;
        if (sliceOver) h.limit = limit;
        if (st === 1 && sliceOver && h.instret > before && h.instret > slice - this.cap) continue;
        break;
      }
      // 1: the region stopped at an instruction it does not translate, or at a block that does
      // not fit in the remaining budget; the interpreter runs that one instruction. 2: it stopped
      // at an ecall, which the hart takes without fetching and decoding it again.
      if (st === 1 && h.instret < h.limit) h.interpretOne();
      else if (st === 2 && h.instret < h.limit) h.ecall();
    }
  }

  /** Interprets until the first taken jump (so dispatches land on block entries) or COLD_RUN. */
  private interpretCold(h: Hart): void {
    const xTag = h.mmu.xTag;
    const xAdd = h.mmu.xAdd;
    for (let k = 0; k < COLD_RUN && h.instret < h.limit; k++) {
      const pc = h.pc;
      const vpn = pc >>> 12;
      const i = vpn & 1023;
      if (xTag[i] === vpn) {
        const off = (pc + xAdd[i]!) | 0;
        const page = off >>> 12;
        const cp = this.pages[page] ?? (this.pages[page] = newPage());
        cp.seen[(off & 0xfff) >>> 1] = 1;
      }
      h.interpretOne();
      const d = h.pc - pc;
      if (d !== 2 && d !== 4) return;
    }
  }

  private compile(page: number, cp: CodePage, entry: number): RegionFn {
    const mmu = this.hart.mmu;
    const code = discover(mmu.u16, page * 4096, [entry], this.cap, this.hot > 0 ? cp.seen : null);
    const cases: number[] = [];
    const body = generate(code, entry, cases);
    // The helpers arrive as parameters of an outer function; the region copies the ones it uses
    // into its own constants, so V8 keeps them (and typed-array bases) in registers instead of
    // reloading closure slots after every call.
    const used = HELPERS.filter((name) => new RegExp(`\\b${name}\\b`).test(body));
    const locals = used.length > 0 ? `const ${used.map((name) => `${name} = ${name}$`).join(', ')};` : '';
    const make = new Function(
      ...HELPERS.map((name) => `${name}$`),
      `'use strict'; return function region_${page}_${entry}(h, vb) {${locals}${body}\n};`,
    ) as (...args: unknown[]) => RegionFn;
    const fn = make(...this.helpers);
    this.warmUp(fn, entry);
    for (const ins of code.insns.values()) cp.bytes.fill(1, ins.off, Math.min(4096, ins.off + ins.len));
    cp.fns[entry >>> 1] = fn;
    cp.entries.push(entry);
    // The function also serves the other block starts it has a case for that have no function of
    // their own yet: a dispatch there (e.g. from a region compiled before the code after its exit had
    // run) enters code V8 has already optimized instead of interpreting until that start is hot
    // and then compiling the same loops again into a new function that starts cold.
    for (const c of cases) if (cp.fns[c >>> 1] === undefined) cp.fns[c >>> 1] = fn;
    if (cp.compiled++ === 0) mmu.protectPage(page, PF_CODE);
    this.stats.compiled++;
    this.young = YOUNG_CALLS;
    return fn;
  }

  /**
   * Runs the new function once with no budget: it stops at its first block and only executes its
   * prologue and register write-back, which gives V8 type feedback for the exit path (otherwise the
   * first exit from optimized code deoptimizes it). No guest state changes.
   */
  private warmUp(fn: RegionFn, entry: number): void {
    const h = this.hart;
    const { pc, limit, instret } = h;
    h.limit = instret;
    try {
      fn(h, (pc - entry) >>> 0);
    } finally {
      h.pc = pc;
      h.limit = limit;
      h.instret = instret;
    }
  }

  /**
   * What a dispatch to RAM offset `off` runs: a function compiled with its entry there ('own'),
   * one compiled for another start that has a case for it ('shared'), or nothing yet.
   */
  functionAt(off: number): 'own' | 'shared' | null {
    const cp = this.pages[off >>> 12];
    const o = off & 0xfff;
    if (cp?.fns[o >>> 1] === undefined) return null;
    return cp.entries.includes(o) ? 'own' : 'shared';
  }

  codeWritten(page: number, off: number, width: number): void {
    const cp = this.pages[page];
    if (!cp || cp.compiled === 0) {
      this.hart.mmu.unprotectPage(page, PF_CODE);
      return;
    }
    const o = off & 0xfff;
    for (let k = 0; k < width && o + k < 4096; k++) {
      if (cp.bytes[o + k]) {
        this.drop(page);
        this.hart.breakChunk();
        return;
      }
    }
  }

  invalidatePages(first: number, last: number): void {
    for (let p = first; p <= last; p++) if (this.pages[p]) this.drop(p);
    this.hart.breakChunk();
  }

  invalidateAll(): void {
    for (let p = 0; p < this.pages.length; p++) if (this.pages[p]) this.drop(p);
    this.hart.breakChunk();
  }

  private drop(page: number): void {
    if (this.pages[page]!.compiled > 0) this.stats.invalidated++;
    this.pages[page] = undefined;
    this.hart.mmu.unprotectPage(page, PF_CODE);
  }
}

function newPage(): CodePage {
  return {
    fns: new Array<RegionFn | undefined>(2048),
    heat: new Uint16Array(2048),
    bytes: new Uint8Array(4096),
    seen: new Uint8Array(2048),
    entries: [],
    compiled: 0,
  };
}

/**
 * `hot`: dispatches to an entry point before it is compiled (0 = compile on first entry);
 * `cap`: instructions per region (tuning experiments).
 */
export function createJit(hart: Hart, hot = DEFAULT_HOT, cap = REGION_CAP): CodeEngine {
  return new Jit(hart, hot, cap);
}
