// Finds the code of one 4 KiB page reachable from its entry points without leaving the page:
// instruction offsets, block starts and how each instruction ends (or does not end) its block.
import { expandCached } from '../rvc';

/** How an instruction is translated. */
export const Kind = {
  /** Straight-line: ALU, load, store, fence, FP. */
  Plain: 0,
  Branch: 1,
  Jal: 2,
  Jalr: 3,
  /** Not translated: the interpreter runs it (system, CSR, AMO, illegal, page-straddling). */
  Interp: 4,
} as const;

export interface Insn {
  off: number;
  /** Expanded 32-bit instruction. */
  insn: number;
  len: number;
  kind: number;
}

export interface PageCode {
  insns: Map<number, Insn>;
  starts: Set<number>;
}

const PAGE = 4096;

/** OP-IMM / OP: whether funct7 is defined for this funct3 (RV32I shifts, SUB/SRA, M). */
function aluEncodingExists(insn: number): boolean {
  const f3 = (insn >>> 12) & 7;
  const f7 = insn >>> 25;
  if ((insn & 0x7f) === 0x13) return f3 === 1 ? f7 === 0 : f3 === 5 ? f7 === 0 || f7 === 0x20 : true;
  return f7 === 0 || f7 === 1 || (f7 === 0x20 && (f3 === 0 || f3 === 5));
}

function classify(insn: number): number {
  switch (insn & 0x7f) {
    case 0x37:
    case 0x17:
      return Kind.Plain;
    case 0x13:
    case 0x33:
      // Reserved funct7 values (shift-immediates with shamt[5] set among them) are illegal: the
      // interpreter raises that.
      return aluEncodingExists(insn) ? Kind.Plain : Kind.Interp;
    case 0x03:
      return ((insn >>> 12) & 7) === 3 || ((insn >>> 12) & 7) > 5 ? Kind.Interp : Kind.Plain;
    case 0x23:
      return ((insn >>> 12) & 7) > 2 ? Kind.Interp : Kind.Plain;
    case 0x0f:
      return ((insn >>> 12) & 7) === 0 ? Kind.Plain : Kind.Interp;
    case 0x63:
      return ((insn >>> 12) & 7) === 2 || ((insn >>> 12) & 7) === 3 ? Kind.Interp : Kind.Branch;
    case 0x07:
    case 0x27:
      return ((insn >>> 12) & 7) === 2 || ((insn >>> 12) & 7) === 3 ? Kind.Plain : Kind.Interp;
    case 0x53:
    case 0x43:
    case 0x47:
    case 0x4b:
    case 0x4f:
      return Kind.Plain;
    case 0x6f:
      return Kind.Jal;
    case 0x67:
      return ((insn >>> 12) & 7) === 0 ? Kind.Jalr : Kind.Interp;
    default:
      return Kind.Interp;
  }
}

export function jalOffset(insn: number): number {
  return ((insn >> 11) & 0xfff0_0000) | (insn & 0xff000) | ((insn >>> 9) & 0x800) | ((insn >>> 20) & 0x7fe);
}
export function branchOffset(insn: number): number {
  return (
    ((insn >> 19) & 0xffff_f000) | ((insn << 4) & 0x800) | ((insn >>> 20) & 0x7e0) | ((insn >>> 7) & 0x1e)
  );
}

/**
 * Decodes the code of the page at RAM offset `pageOff` reachable from `entries` without leaving the
 * page, following branches and jumps but not calls, up to about `cap` instructions (small regions
 * keep V8's compile time low).
 */
export function discover(
  u16: Uint16Array,
  pageOff: number,
  entries: Iterable<number>,
  cap = 1 << 30,
  seen: Uint8Array | null = null,
): PageCode {
  // With a profile, only paths the interpreter has executed are followed: untaken paths become
  // exits, so the compiled function never meets code it has no type feedback for.
  const follow = (t: number): boolean => t >= 0 && t < PAGE && (seen === null || seen[t >>> 1] === 1);
  const insns = new Map<number, Insn>();
  const starts = new Set<number>();
  const work: number[] = [];
  for (const e of entries) {
    starts.add(e);
    work.push(e);
  }
  const base = pageOff >>> 1;
  while (work.length > 0 && insns.size < cap) {
    let o = work.shift()!;
    for (;;) {
      if (o < 0 || o >= PAGE) break;
      if (insns.has(o)) {
        starts.add(o);
        break;
      }
      const lo = u16[base + (o >>> 1)]!;
      let insn: number;
      let len: number;
      let kind: number;
      if ((lo & 3) !== 3) {
        len = 2;
        insn = expandCached(lo);
        kind = insn === 0 ? Kind.Interp : classify(insn);
      } else if (o === PAGE - 2) {
        len = 4;
        insn = 0;
        kind = Kind.Interp;
      } else {
        len = 4;
        insn = (lo | (u16[base + (o >>> 1) + 1]! << 16)) >>> 0;
        kind = classify(insn);
      }
      insns.set(o, { off: o, insn, len, kind });
      const next = o + len;
      if (kind === Kind.Plain) {
        o = next;
        continue;
      }
      if (kind === Kind.Interp) {
        // The interpreter runs it; what follows is reached through the dispatcher (its own region).
        starts.add(o);
        break;
      }
      if (kind === Kind.Branch) {
        const t = o + branchOffset(insn);
        // Loop heads (backward targets) first, so a capped region keeps whole loops rather than
        // a long straight line after them.
        if (follow(t)) {
          starts.add(t);
          if (t < o) work.unshift(t);
          else work.push(t);
        }
        if (follow(next)) {
          starts.add(next);
          work.push(next);
        }
        break;
      }
      // Jumps are followed. A call in the page is followed too, and its return site becomes a
      // block start: the callee's `ret` (a jalr) then finds it in the region's switch instead of
      // going back to the dispatcher.
      if (kind === Kind.Jal) {
        const t = o + jalOffset(insn);
        if (follow(t)) {
          starts.add(t);
          work.push(t);
        }
        if (((insn >>> 7) & 31) !== 0 && follow(next)) {
          starts.add(next);
          work.push(next);
        }
      }
      break;
    }
  }
  return { insns, starts };
}
