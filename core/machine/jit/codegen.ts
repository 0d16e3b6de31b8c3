// Generates the JavaScript for one code page: a `for (;;) switch (pc)` over its blocks with the
// guest registers held in locals. Branches, calls and returns inside the page loop without leaving
// the function (simple loops become JS loops); each block checks the instruction limit on entry,
// so budgets and timer deadlines stay exact. Memory accesses inline the TLB hit path; misses call
// the MMU's slow path after recording pc/instret so a fault leaves the hart exactly at the
// faulting instruction.
import { branchOffset, jalOffset, Kind, type Insn, type PageCode } from './discover';
import { FP_LOCALS, fpFast } from './fpgen';

const PAGE = 4096;

interface Gen {
  lines: string[];
  used: Set<number>;
  written: Set<number>;
  /** Some instruction has an inline FP fast path (the prologue computes fpOk). */
  fp: boolean;
}

function reg(g: Gen, r: number): string {
  if (r === 0) return '0';
  g.used.add(r);
  return `r${r}`;
}
function dst(g: Gen, r: number): string | null {
  if (r === 0) return null;
  g.used.add(r);
  g.written.add(r);
  return `r${r}`;
}

/** Sets h.pc / h.instret for the instruction at `off`, index k in a block of n (statement form). */
function at(off: number, k: number, n: number): string {
  return `h.pc = (vb + ${off}) >>> 0; h.instret = ic - ${n - k};`;
}
/** The same as a comma expression. */
function atExpr(off: number, k: number, n: number): string {
  return `h.pc = (vb + ${off}) >>> 0, h.instret = ic - ${n - k}`;
}

function aluImm(f3: number, a: string, imm: number, insn: number): string | null {
  switch (f3) {
    case 0:
      return `(${a} + ${imm}) | 0`;
    case 1:
      return insn >>> 25 === 0 ? `${a} << ${imm & 31}` : null;
    case 2:
      return `(${a} < ${imm} ? 1 : 0)`;
    case 3:
      return `((${a} >>> 0) < ${imm >>> 0} ? 1 : 0)`;
    case 4:
      return `${a} ^ ${imm}`;
    case 5:
      if (insn >>> 25 === 0) return `(${a} >>> ${imm & 31}) | 0`;
      if (insn >>> 25 === 0x20) return `${a} >> ${imm & 31}`;
      return null;
    case 6:
      return `${a} | ${imm}`;
    default:
      return `${a} & ${imm}`;
  }
}

function aluReg(f3: number, f7: number, a: string, b: string): string | null {
  if (f7 === 0) {
    return [
      `(${a} + ${b}) | 0`,
      `${a} << ${b}`,
      `(${a} < ${b} ? 1 : 0)`,
      `((${a} >>> 0) < (${b} >>> 0) ? 1 : 0)`,
      `${a} ^ ${b}`,
      `(${a} >>> ${b}) | 0`,
      `${a} | ${b}`,
      `${a} & ${b}`,
    ][f3]!;
  }
  if (f7 === 0x20) {
    if (f3 === 0) return `(${a} - ${b}) | 0`;
    if (f3 === 5) return `${a} >> ${b}`;
    return null;
  }
  if (f7 === 1) {
    return [
      `Math.imul(${a}, ${b})`,
      `MULH(${a}, ${b})`,
      `MULHSU(${a}, ${b})`,
      `MULHU(${a}, ${b})`,
      `DIV(${a}, ${b})`,
      `DIVU(${a}, ${b})`,
      `REM(${a}, ${b})`,
      `REMU(${a}, ${b})`,
    ][f3]!;
  }
  return null;
}

const LOADS: Record<number, { align: number; fast: string; slow: string }> = {
  0: { align: 0, fast: '(U8[(t + RA[j]) | 0] << 24) >> 24', slow: 'mmu.lb(t)' },
  1: { align: 1, fast: '(U16[((t + RA[j]) | 0) >> 1] << 16) >> 16', slow: 'mmu.lh(t)' },
  2: { align: 3, fast: 'I32[((t + RA[j]) | 0) >> 2]', slow: 'mmu.lw(t)' },
  4: { align: 0, fast: 'U8[(t + RA[j]) | 0]', slow: 'mmu.lbu(t)' },
  5: { align: 1, fast: 'U16[((t + RA[j]) | 0) >> 1]', slow: 'mmu.lhu(t)' },
};
const STORES: Record<number, { align: number; arr: string; shift: number; slow: string }> = {
  0: { align: 0, arr: 'U8', shift: 0, slow: 'mmu.sb' },
  1: { align: 1, arr: 'U16', shift: 1, slow: 'mmu.sh' },
  2: { align: 3, arr: 'I32', shift: 2, slow: 'mmu.sw' },
};

const FS = 0x6000;

/** Leaves the region at instruction k so the interpreter runs it (it raises any trap exactly). */
function toInterp(off: number, k: number, n: number): string {
  return `{ ic -= ${n - k}; pc = ${off}; st = 1; break L; }`;
}

/** FLW/FLD/FSW/FSD on the FP register file's 32-bit words (FLW NaN-boxes). Doubles take the
 *  fast path only when 8-byte aligned in a TLB-resident page; otherwise the interpreter runs them. */
function fpMemory(g: Gen, ins: Insn, k: number, n: number): void {
  const { insn, off } = ins;
  const out = g.lines;
  const f3 = (insn >>> 12) & 7;
  const rs1 = (insn >>> 15) & 31;
  const fr = (insn & 0x7f) === 0x07 ? (insn >>> 7) & 31 : (insn >>> 20) & 31;
  const imm = (insn & 0x7f) === 0x07 ? insn >> 20 : ((insn >> 20) & ~31) | ((insn >>> 7) & 31);
  out.push(`if ((h.mstatus & ${FS}) === 0) ${toInterp(off, k, n)}`);
  out.push(`t = (${reg(g, rs1)} + ${imm}) | 0; v = t >>> 12; j = v & 1023;`);
  if ((insn & 0x7f) === 0x07) {
    if (f3 === 2) {
      out.push(
        `FU[${2 * fr}] = RT[j] === v && (t & 3) === 0 ? I32[((t + RA[j]) | 0) >> 2] : (${atExpr(off, k, n)}, mmu.lw(t));`,
      );
      out.push(`FU[${2 * fr + 1}] = -1;`);
    } else {
      out.push(`if (RT[j] !== v || (t & 7) !== 0) ${toInterp(off, k, n)}`);
      out.push(`j = ((t + RA[j]) | 0) >> 2; FU[${2 * fr}] = I32[j]; FU[${2 * fr + 1}] = I32[j + 1];`);
    }
    out.push(`h.mstatus |= ${FS};`);
    return;
  }
  if (f3 === 2) {
    out.push(`if (WT[j] === v && (t & 3) === 0) I32[((t + WA[j]) | 0) >> 2] = FU[${2 * fr}];`);
    out.push(
      `else { ${at(off, k, n)} mmu.sw(t, FU[${2 * fr}]); if (h.limit !== lim) { ic = ic - ${n - k - 1}; pc = ${off + 4}; break L; } }`,
    );
  } else {
    out.push(`if (WT[j] !== v || (t & 7) !== 0) ${toInterp(off, k, n)}`);
    out.push(`j = ((t + WA[j]) | 0) >> 2; I32[j] = FU[${2 * fr}]; I32[j + 1] = FU[${2 * fr + 1}];`);
  }
}

/** Emits one instruction; returns false if it ended the block with an explicit transfer. */
function emit(g: Gen, ins: Insn, k: number, n: number, starts: Set<number>, loop: number): boolean {
  const { insn, off, len } = ins;
  const out = g.lines;
  const rdn = (insn >>> 7) & 31;
  const rs1 = (insn >>> 15) & 31;
  const rs2 = (insn >>> 20) & 31;
  const f3 = (insn >>> 12) & 7;
  // Inside a loop emitted as a JS loop, jumping back to its head needs no switch dispatch.
  const jumpTo = (t: number): string =>
    t === loop
      ? `continue B${t};`
      : t >= 0 && t < PAGE && starts.has(t)
        ? `pc = ${t}; continue L;`
        : `pc = ${t}; break L;`;
  switch (insn & 0x7f) {
    case 0x37: {
      const d = dst(g, rdn);
      if (d) out.push(`${d} = ${insn & 0xfffff000};`);
      return true;
    }
    case 0x17: {
      const d = dst(g, rdn);
      if (d) out.push(`${d} = (vb + ${off + (insn & 0xfffff000)}) | 0;`);
      return true;
    }
    case 0x13: {
      const d = dst(g, rdn);
      const e = aluImm(f3, reg(g, rs1), insn >> 20, insn);
      if (d && e) out.push(`${d} = ${e};`);
      return true;
    }
    case 0x33: {
      const d = dst(g, rdn);
      const e = aluReg(f3, insn >>> 25, reg(g, rs1), reg(g, rs2));
      if (d && e) out.push(`${d} = ${e};`);
      return true;
    }
    case 0x0f:
      return true;
    case 0x03: {
      const L = LOADS[f3]!;
      const d = dst(g, rdn) ?? 'v';
      out.push(`t = (${reg(g, rs1)} + ${insn >> 20}) | 0; v = t >>> 12; j = v & 1023;`);
      const cond = L.align ? `RT[j] === v && (t & ${L.align}) === 0` : 'RT[j] === v';
      out.push(`${d} = ${cond} ? ${L.fast} : (${atExpr(off, k, n)}, ${L.slow});`);
      return true;
    }
    case 0x23: {
      const S = STORES[f3]!;
      const imm = ((insn >> 20) & ~31) | rdn;
      const val = reg(g, rs2);
      out.push(`t = (${reg(g, rs1)} + ${imm}) | 0; v = t >>> 12; j = v & 1023;`);
      const cond = S.align ? `WT[j] === v && (t & ${S.align}) === 0` : 'WT[j] === v';
      const idx = S.shift ? `((t + WA[j]) | 0) >> ${S.shift}` : '(t + WA[j]) | 0';
      out.push(`if (${cond}) ${S.arr}[${idx}] = ${val};`);
      // The slow path may hit MMIO, code or a watched word: leave if the hart asked to stop.
      out.push(
        `else { ${at(off, k, n)} ${S.slow}(t, ${val}); if (h.limit !== lim) { ic = ic - ${n - k - 1}; pc = ${off + len}; break L; } }`,
      );
      return true;
    }
    case 0x07:
    case 0x27:
      fpMemory(g, ins, k, n);
      return true;
    case 0x53:
    case 0x43:
    case 0x47:
    case 0x4b:
    case 0x4f: {
      // The FPU reads and writes the register file in memory: sync the integer operand first and
      // reload an integer result afterwards (compares, classify, convert-to-int, fmv.x.w).
      const slow: string[] = [];
      slow.push(`if ((h.mstatus & ${FS}) === 0) ${toInterp(off, k, n)}`);
      if ((insn & 0x7f) === 0x53 && rs1 !== 0) slow.push(`x[${rs1}] = ${reg(g, rs1)};`);
      slow.push(`if (EXECFP(FP, x, ${insn | 0}) !== 0) ${toInterp(off, k, n)}`);
      slow.push(`h.mstatus |= ${FS};`);
      const f7 = insn >>> 25;
      const writesX = (insn & 0x7f) === 0x53 && [0x50, 0x51, 0x60, 0x61, 0x70, 0x71].includes(f7);
      const d = writesX ? dst(g, rdn) : null;
      if (d) slow.push(`${d} = x[${rdn}];`);
      const fast = fpFast(insn, { read: (r) => reg(g, r), write: (r) => dst(g, r) });
      if (fast === null) {
        out.push(...slow);
      } else {
        g.fp = true;
        const general = `${fast.exact ?? ''} if (fpOk && ${fast.cond}) { ${fast.body} } else { ${slow.join(' ')} }`;
        out.push(
          fast.quick === undefined
            ? `${fast.pre} ${general}`
            : `${fast.pre} if (fpNx && ${fast.quick}) { ${fast.quickBody ?? ''} } else { ${general} }`,
        );
      }
      return true;
    }
    case 0x63: {
      const a = reg(g, rs1);
      const b = reg(g, rs2);
      const c = [
        `${a} === ${b}`,
        `${a} !== ${b}`,
        '',
        '',
        `${a} < ${b}`,
        `${a} >= ${b}`,
        `(${a} >>> 0) < (${b} >>> 0)`,
        `(${a} >>> 0) >= (${b} >>> 0)`,
      ][f3]!;
      out.push(`if (${c}) { ${jumpTo(off + branchOffset(insn))} }`);
      return true;
    }
    case 0x6f: {
      const d = dst(g, rdn);
      if (d) out.push(`${d} = (vb + ${off + len}) | 0;`);
      out.push(jumpTo(off + jalOffset(insn)));
      return false;
    }
    case 0x67: {
      const d = dst(g, rdn);
      out.push(`t = ((${reg(g, rs1)} + ${insn >> 20}) & -2) >>> 0;`);
      if (d) out.push(`${d} = (vb + ${off + len}) | 0;`);
      out.push(`pc = t - vb; continue L;`);
      return false;
    }
    default:
      return true;
  }
}

/** Region status of a stop before an instruction the region does not run (see Jit.run). */
const ST_INTERP = 1;
const ST_ECALL = 2;

/** Status for leaving at an untranslated instruction: an ecall is common enough to skip decoding. */
function stopAt(ins: Insn): number {
  return ins.insn === 0x73 && ins.len === 4 && ins.off <= PAGE - 4 ? ST_ECALL : ST_INTERP;
}

/**
 * JavaScript source of the page function body. `cases` receives the offsets the function can be
 * entered at (the case labels of blocks it translates): the engine enters the function there too.
 */
export function generate(code: PageCode, entry = -1, cases: number[] = []): string {
  const g: Gen = { lines: [], used: new Set(), written: new Set(), fp: false };
  const sorted = [...code.insns.values()].sort((a, b) => a.off - b.off);
  const index = new Map<number, number>();
  sorted.forEach((ins, i) => index.set(ins.off, i));
  // Length of each block: from a start to a transfer, an untranslated instruction or the next start.
  const blockLen = (i: number): number => {
    let n = 0;
    for (let p = i; p < sorted.length; p++) {
      const ins = sorted[p]!;
      if (p > i && (code.starts.has(ins.off) || sorted[p - 1]!.off + sorted[p - 1]!.len !== ins.off)) break;
      if (ins.kind === Kind.Interp) break;
      n++;
      if (ins.kind === Kind.Jal || ins.kind === Kind.Jalr) break;
    }
    return n;
  };
  const targetOf = (ins: Insn): number =>
    ins.kind === Kind.Branch
      ? ins.off + branchOffset(ins.insn)
      : ins.kind === Kind.Jal
        ? ins.off + jalOffset(ins.insn)
        : -1;
  /**
   * A loop that can be emitted as a JS `for` inside its head's case: contiguous instructions from
   * head i to a back edge at e, with no jump from anywhere into (head, e] and no call, indirect
   * jump or untranslated instruction inside. Returns e or -1.
   */
  const findLoop = (i: number): number => {
    const head = sorted[i]!.off;
    for (let p = i; p < sorted.length; p++) {
      const ins = sorted[p]!;
      if (p > i && sorted[p - 1]!.off + sorted[p - 1]!.len !== ins.off) return -1;
      if (ins.kind === Kind.Interp || ins.kind === Kind.Jalr) return -1;
      if (targetOf(ins) === head) {
        const end = ins.off;
        if (entry > head && entry <= end) return -1;
        for (const other of sorted) {
          const t = targetOf(other);
          if (t > head && t <= end) return -1;
        }
        return p;
      }
      if (ins.kind === Kind.Jal) return -1;
    }
    return -1;
  };
  let n = 0;
  let k = 0;
  let loop = -1;
  let loopEnd = -1;
  for (let i = 0; i < sorted.length; i++) {
    const ins = sorted[i]!;
    const prev = sorted[i - 1];
    const contiguous = prev !== undefined && prev.off + prev.len === ins.off;
    if (code.starts.has(ins.off) || !contiguous) {
      if (loop < 0) {
        g.lines.push(`case ${ins.off}:`);
        if (ins.kind === Kind.Interp) {
          g.lines.push(`pc = ${ins.off}; st = ${stopAt(ins)}; break L;`);
          continue;
        }
        cases.push(ins.off);
        loopEnd = findLoop(i);
        if (loopEnd >= 0) {
          loop = ins.off;
          g.lines.push(`B${loop}: for (;;) {`);
        }
      }
      n = blockLen(i);
      k = 0;
      g.lines.push(`if (ic > lim - ${n}) { pc = ${ins.off}; st = 1; break L; } ic += ${n};`);
    } else if (ins.kind === Kind.Interp) {
      // Reached by fallthrough only if it follows a start; handled above.
      g.lines.push(`pc = ${ins.off}; st = ${stopAt(ins)}; break L;`);
      continue;
    }
    const falls = emit(g, ins, k, n, code.starts, loop);
    k++;
    if (loop >= 0 && i === loopEnd) {
      g.lines.push('break; }');
      loop = -1;
    }
    const next = sorted[i + 1];
    if (falls && !(next && next.off === ins.off + ins.len)) {
      const t = ins.off + ins.len;
      g.lines.push(t < PAGE && code.starts.has(t) ? `pc = ${t}; continue L;` : `pc = ${t}; break L;`);
    }
  }
  const regs = [...g.used].sort((a, b) => a - b);
  const load = regs.map((r) => `let r${r} = x[${r}];`).join(' ');
  const store = [...g.written]
    .sort((a, b) => a - b)
    .map((r) => `x[${r}] = r${r};`)
    .join(' ');
  return `
  const x = h.x;
  ${load}
  let ic = h.instret, pc = (h.pc - vb) | 0, st = 0, t = 0, v = 0, j = 0;
  const lim = h.limit;${g.fp ? `\n  const fpOk = (h.mstatus & ${FS}) === ${FS} && FP.frm === 0 && FPM.fast, fpNx = fpOk && (FP.fflags & 1) !== 0;\n  ${FP_LOCALS}` : ''}
  try {
    L: for (;;) {
      switch (pc) {
${g.lines.map((l) => '        ' + l).join('\n')}
        default: break L;
      }
    }
  } catch (e) {
    ${store}
    throw e;
  }
  ${store}
  h.instret = ic;
  h.pc = (vb + pc) >>> 0;
  return st;`;
}
