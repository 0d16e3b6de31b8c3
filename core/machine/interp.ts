// The reference interpreter: executes one (expanded, 32-bit) instruction. The pc is written only
// after the instruction completes, so a thrown Trap leaves the hart exactly at the faulting one.
import { csrRead, csrWrite, isCounter } from './csrfile';
import { Cause, Csr, MS, PRIV_M, PRIV_S, PRIV_U } from './csr';
import { execFp, FP_ILLEGAL } from './fpu';
import type { Hart } from './hart';
import { Access } from './mmu';
import { Trap } from './trap';

/** High 32 bits of the unsigned 64-bit product. */
export function mulhu(a: number, b: number): number {
  a >>>= 0;
  b >>>= 0;
  const al = a & 0xffff;
  const ah = a >>> 16;
  const bl = b & 0xffff;
  const bh = b >>> 16;
  const lh = al * bh;
  const hl = ah * bl;
  const mid = ((al * bl) >>> 16) + (lh & 0xffff) + (hl & 0xffff);
  return (ah * bh + (lh >>> 16) + (hl >>> 16) + (mid >>> 16)) | 0;
}
export function mulh(a: number, b: number): number {
  return (mulhu(a, b) - (a < 0 ? b : 0) - (b < 0 ? a : 0)) | 0;
}
export function mulhsu(a: number, b: number): number {
  return (mulhu(a, b) - (a < 0 ? b : 0)) | 0;
}
export function div(a: number, b: number): number {
  return b === 0 ? -1 : (a / b) | 0;
}
export function divu(a: number, b: number): number {
  return b === 0 ? -1 : ((a >>> 0) / (b >>> 0)) | 0;
}
export function rem(a: number, b: number): number {
  return b === 0 ? a : (a % b) | 0;
}
export function remu(a: number, b: number): number {
  return b === 0 ? a : ((a >>> 0) % (b >>> 0)) | 0;
}

function illegal(insn: number): Trap {
  return new Trap(Cause.Illegal, insn >>> 0);
}

export function execute(h: Hart, insn: number, pc: number, len: number): void {
  const x = h.x;
  const rd = (insn >>> 7) & 31;
  const rs1 = (insn >>> 15) & 31;
  const f3 = (insn >>> 12) & 7;
  let next = (pc + len) >>> 0;
  switch (insn & 0x7f) {
    case 0x37: // LUI
      if (rd) x[rd] = insn & 0xfffff000;
      break;
    case 0x17: // AUIPC
      if (rd) x[rd] = (pc + (insn & 0xfffff000)) | 0;
      break;
    case 0x6f: {
      // JAL
      const imm =
        ((insn >> 11) & 0xfff0_0000) | (insn & 0xff000) | ((insn >>> 9) & 0x800) | ((insn >>> 20) & 0x7fe);
      if (rd) x[rd] = next;
      next = (pc + imm) >>> 0;
      break;
    }
    case 0x67: {
      // JALR
      if (f3 !== 0) throw illegal(insn);
      const t = ((x[rs1]! + (insn >> 20)) & ~1) >>> 0;
      if (rd) x[rd] = next;
      next = t;
      break;
    }
    case 0x63: {
      const a = x[rs1]!;
      const b = x[(insn >>> 20) & 31]!;
      let take: boolean;
      switch (f3) {
        case 0:
          take = a === b;
          break;
        case 1:
          take = a !== b;
          break;
        case 4:
          take = a < b;
          break;
        case 5:
          take = a >= b;
          break;
        case 6:
          take = a >>> 0 < b >>> 0;
          break;
        case 7:
          take = a >>> 0 >= b >>> 0;
          break;
        default:
          throw illegal(insn);
      }
      if (take) {
        const imm =
          ((insn >> 19) & 0xffff_f000) |
          ((insn << 4) & 0x800) |
          ((insn >>> 20) & 0x7e0) |
          ((insn >>> 7) & 0x1e);
        next = (pc + imm) >>> 0;
      }
      break;
    }
    case 0x03: {
      const va = (x[rs1]! + (insn >> 20)) | 0;
      const m = h.mmu;
      let v: number;
      switch (f3) {
        case 0:
          v = m.lb(va);
          break;
        case 1:
          v = m.lh(va);
          break;
        case 2:
          v = m.lw(va);
          break;
        case 4:
          v = m.lbu(va);
          break;
        case 5:
          v = m.lhu(va);
          break;
        default:
          throw illegal(insn);
      }
      if (rd) x[rd] = v;
      break;
    }
    case 0x23: {
      const va = (x[rs1]! + (((insn >> 20) & ~31) | rd)) | 0;
      const v = x[(insn >>> 20) & 31]!;
      if (f3 === 0) h.mmu.sb(va, v);
      else if (f3 === 1) h.mmu.sh(va, v);
      else if (f3 === 2) h.mmu.sw(va, v);
      else throw illegal(insn);
      break;
    }
    case 0x13: {
      const a = x[rs1]!;
      const imm = insn >> 20;
      let v: number;
      switch (f3) {
        case 0:
          v = (a + imm) | 0;
          break;
        case 1:
          if (insn >>> 25 !== 0) throw illegal(insn);
          v = a << imm;
          break;
        case 2:
          v = a < imm ? 1 : 0;
          break;
        case 3:
          v = a >>> 0 < imm >>> 0 ? 1 : 0;
          break;
        case 4:
          v = a ^ imm;
          break;
        case 5: {
          const f7 = insn >>> 25;
          if (f7 === 0) v = (a >>> imm) | 0;
          else if (f7 === 0x20) v = a >> imm;
          else throw illegal(insn);
          break;
        }
        case 6:
          v = a | imm;
          break;
        default:
          v = a & imm;
          break;
      }
      if (rd) x[rd] = v;
      break;
    }
    case 0x33: {
      const a = x[rs1]!;
      const b = x[(insn >>> 20) & 31]!;
      const f7 = insn >>> 25;
      let v: number;
      if (f7 === 0) {
        switch (f3) {
          case 0:
            v = (a + b) | 0;
            break;
          case 1:
            v = a << b;
            break;
          case 2:
            v = a < b ? 1 : 0;
            break;
          case 3:
            v = a >>> 0 < b >>> 0 ? 1 : 0;
            break;
          case 4:
            v = a ^ b;
            break;
          case 5:
            v = (a >>> b) | 0;
            break;
          case 6:
            v = a | b;
            break;
          default:
            v = a & b;
            break;
        }
      } else if (f7 === 0x20) {
        if (f3 === 0) v = (a - b) | 0;
        else if (f3 === 5) v = a >> b;
        else throw illegal(insn);
      } else if (f7 === 1) {
        switch (f3) {
          case 0:
            v = Math.imul(a, b);
            break;
          case 1:
            v = mulh(a, b);
            break;
          case 2:
            v = mulhsu(a, b);
            break;
          case 3:
            v = mulhu(a, b);
            break;
          case 4:
            v = div(a, b);
            break;
          case 5:
            v = divu(a, b);
            break;
          case 6:
            v = rem(a, b);
            break;
          default:
            v = remu(a, b);
            break;
        }
      } else {
        throw illegal(insn);
      }
      if (rd) x[rd] = v;
      break;
    }
    case 0x0f:
      // FENCE is a no-op on one hart; FENCE.I drops translated code.
      if (f3 === 1) h.fenceI();
      else if (f3 !== 0) throw illegal(insn);
      break;
    case 0x73:
      if (f3 === 0) next = system(h, insn, pc, next);
      else csrOp(h, insn, f3, rd, rs1);
      break;
    case 0x2f:
      amo(h, insn, rd, rs1, f3);
      break;
    case 0x07:
    case 0x27:
      fpLoadStore(h, insn, rd, rs1, f3);
      break;
    case 0x53:
    case 0x43:
    case 0x47:
    case 0x4b:
    case 0x4f:
      if ((h.mstatus & MS.FS) === 0) throw illegal(insn);
      if (execFp(h.fp, x, insn) === FP_ILLEGAL) throw illegal(insn);
      h.mstatus |= MS.FS;
      break;
    default:
      throw illegal(insn);
  }
  h.pc = next;
}

/** ECALL, EBREAK, MRET, SRET, WFI, SFENCE.VMA. Returns the next pc. */
function system(h: Hart, insn: number, pc: number, next: number): number {
  switch (insn >>> 0) {
    case 0x0000_0073: {
      const cause = h.priv === PRIV_U ? Cause.EcallU : h.priv === PRIV_S ? Cause.EcallS : Cause.EcallM;
      // Hosted: a system call is the common exit, and a thrown trap costs more than the call.
      if (h.hosted) return h.hostedEcall(cause, pc);
      throw new Trap(cause, 0);
    }
    case 0x0010_0073:
      throw new Trap(Cause.Breakpoint, pc);
    case 0x3020_0073:
      if (h.priv !== PRIV_M) throw illegal(insn);
      h.trapReturn(PRIV_M);
      return h.pc;
    case 0x1020_0073:
      if (h.priv === PRIV_U || (h.priv === PRIV_S && (h.mstatus & MS.TSR) !== 0)) throw illegal(insn);
      h.trapReturn(PRIV_S);
      return h.pc;
    case 0x1050_0073:
      if (h.priv === PRIV_U || (h.priv === PRIV_S && (h.mstatus & MS.TW) !== 0)) throw illegal(insn);
      h.waitForInterrupt();
      return next;
    default:
      break;
  }
  if ((insn & 0xfe00_7fff) === 0x1200_0073) {
    // SFENCE.VMA: flush everything (ASIDs are not implemented).
    if (h.priv === PRIV_U || (h.priv === PRIV_S && (h.mstatus & MS.TVM) !== 0)) throw illegal(insn);
    h.flushTlb();
    return next;
  }
  throw illegal(insn);
}

function csrOp(h: Hart, insn: number, f3: number, rd: number, rs1: number): void {
  const csr = insn >>> 20;
  if (f3 === 4) throw illegal(insn);
  const src = f3 & 4 ? rs1 : h.x[rs1]!;
  const writes = (f3 & 3) === 1 || rs1 !== 0;
  if (h.priv < ((csr >>> 8) & 3)) throw illegal(insn);
  if (writes && csr >>> 10 === 3) throw illegal(insn);
  if (csr <= Csr.fcsr && (h.mstatus & MS.FS) === 0) throw illegal(insn);
  if (csr === Csr.satp && h.priv === PRIV_S && (h.mstatus & MS.TVM) !== 0) throw illegal(insn);
  if (isCounter(csr) && h.priv < PRIV_M) {
    const bit = 1 << (csr & 31);
    if ((h.mcounteren & bit) === 0 || (h.priv === PRIV_U && (h.scounteren & bit) === 0)) throw illegal(insn);
  }
  const old = csrRead(h, csr);
  if (old === undefined) throw illegal(insn);
  if (writes) {
    const op = f3 & 3;
    const v = op === 1 ? src : op === 2 ? old | src : old & ~src;
    csrWrite(h, csr, v);
    h.breakChunk();
  }
  if (rd) h.x[rd] = old;
}

/** funct5 of LR.W, SC.W and the AMOs. */
const AMO_OPS = new Set([0x00, 0x01, 0x02, 0x03, 0x04, 0x08, 0x0c, 0x10, 0x14, 0x18, 0x1c]);

function amo(h: Hart, insn: number, rd: number, rs1: number, f3: number): void {
  const f5 = insn >>> 27;
  // Decode fully first: a reserved encoding is illegal whatever its address would do.
  if (f3 !== 2 || !AMO_OPS.has(f5) || (f5 === 2 && ((insn >>> 20) & 31) !== 0)) throw illegal(insn);
  const m = h.mmu;
  const va = h.x[rs1]! >>> 0;
  if (f5 === 2) {
    // LR.W
    if (va & 3) throw new Trap(Cause.LoadMisaligned, va);
    const pa = m.xlate(va, Access.Read);
    const v = m.loadPhys(pa, 4, va) | 0;
    m.setReservation(pa);
    if (rd) h.x[rd] = v;
    return;
  }
  if (va & 3) throw new Trap(Cause.StoreMisaligned, va);
  const b = h.x[(insn >>> 20) & 31]!;
  const pa = m.xlate(va, Access.Write);
  if (f5 === 3) {
    // SC.W: succeeds only with a live reservation on this word.
    const ok = m.reservation === pa;
    m.clearReservation();
    if (ok) m.storePhys(pa, 4, b, va);
    if (rd) h.x[rd] = ok ? 0 : 1;
    return;
  }
  const a = m.loadPhys(pa, 4, va) | 0;
  let v: number;
  switch (f5) {
    case 0x01:
      v = b;
      break;
    case 0x00:
      v = (a + b) | 0;
      break;
    case 0x04:
      v = a ^ b;
      break;
    case 0x0c:
      v = a & b;
      break;
    case 0x08:
      v = a | b;
      break;
    case 0x10:
      v = a < b ? a : b;
      break;
    case 0x14:
      v = a > b ? a : b;
      break;
    case 0x18:
      v = a >>> 0 < b >>> 0 ? a : b;
      break;
    case 0x1c:
      v = a >>> 0 > b >>> 0 ? a : b;
      break;
    default:
      throw illegal(insn);
  }
  m.storePhys(pa, 4, v, va);
  if (rd) h.x[rd] = a;
}

function fpLoadStore(h: Hart, insn: number, rd: number, rs1: number, f3: number): void {
  if ((h.mstatus & MS.FS) === 0 || (f3 !== 2 && f3 !== 3)) throw illegal(insn);
  const m = h.mmu;
  const u32 = h.fp.u32;
  if ((insn & 0x7f) === 0x07) {
    const va = (h.x[rs1]! + (insn >> 20)) | 0;
    if (f3 === 2) {
      u32[2 * rd] = m.lw(va);
      u32[2 * rd + 1] = 0xffff_ffff;
    } else {
      const lo = m.lw(va);
      const hi = m.lw((va + 4) | 0);
      u32[2 * rd] = lo;
      u32[2 * rd + 1] = hi;
    }
    h.mstatus |= MS.FS;
    return;
  }
  const rs2 = (insn >>> 20) & 31;
  const va = (h.x[rs1]! + (((insn >> 20) & ~31) | rd)) | 0;
  if (f3 === 2) {
    m.sw(va, u32[2 * rs2]!);
  } else {
    // Eight bytes across a page boundary: check both pages (in address order, so tval names the
    // first faulting byte) before writing, so a fault leaves memory untouched.
    if ((va & 0xfff) > 0xff8) {
      m.xlate(va >>> 0, Access.Write);
      m.xlate(((va + 7) & ~0xfff) >>> 0, Access.Write);
    }
    m.sw(va, u32[2 * rs2]!);
    m.sw((va + 4) | 0, u32[2 * rs2 + 1]!);
  }
}
