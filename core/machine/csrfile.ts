// CSR reads and writes of the hart (privileged spec v1.12 views and WARL rules). Privilege checks
// live in the interpreter; these functions are also the host's unchecked access.
import type { Hart } from './hart';
import {
  Csr,
  MEDELEG_MASK,
  MIP_MSIP,
  MIP_MTIP,
  MIP_SSIP,
  MISA,
  MPP_SHIFT,
  MS,
  MSTATUS_WMASK,
  S_IRQS,
  ALL_IRQS,
  SSTATUS_MASK,
} from './csr';

const TWO32 = 0x1_0000_0000;
const lo32 = (v: number): number => (v % TWO32) >>> 0;
const hi32 = (v: number): number => Math.floor(v / TWO32) >>> 0;

/** mstatus as software reads it (SD derived from FS). */
export function mstatusValue(h: Hart): number {
  const fsDirty = (h.mstatus & MS.FS) === MS.FS;
  return (h.mstatus | (fsDirty ? MS.SD : 0)) >>> 0;
}

/** mip including the CLINT's timer and software lines. */
export function mipValue(h: Hart): number {
  let v = h.mipSw;
  const c = h.clint;
  if (c) {
    if (c.timerPending) v |= MIP_MTIP;
    if (c.msip) v |= MIP_MSIP;
  }
  return v >>> 0;
}

/** Reads a CSR; undefined when it does not exist. */
export function csrRead(h: Hart, csr: number): number | undefined {
  switch (csr) {
    case Csr.fflags:
      return h.fp.fflags & 0x1f;
    case Csr.frm:
      return h.fp.frm & 7;
    case Csr.fcsr:
      return ((h.fp.frm & 7) << 5) | (h.fp.fflags & 0x1f);
    case Csr.sstatus:
      return (mstatusValue(h) & SSTATUS_MASK) >>> 0;
    case Csr.sie:
      return (h.mie & h.mideleg) >>> 0;
    case Csr.sip:
      return (mipValue(h) & h.mideleg) >>> 0;
    case Csr.stvec:
      return h.stvec >>> 0;
    case Csr.scounteren:
      return h.scounteren;
    case Csr.senvcfg:
    case Csr.menvcfg:
    case Csr.menvcfgh:
    case Csr.mstatush:
    case Csr.mcountinhibit:
    case Csr.mvendorid:
    case Csr.marchid:
    case Csr.mimpid:
    case Csr.mhartid:
    case Csr.mconfigptr:
      return 0;
    case Csr.sscratch:
      return h.sscratch >>> 0;
    case Csr.sepc:
      return h.sepc >>> 0;
    case Csr.scause:
      return h.scause >>> 0;
    case Csr.stval:
      return h.stval >>> 0;
    case Csr.satp:
      return h.satp >>> 0;
    case Csr.mstatus:
      return mstatusValue(h);
    case Csr.misa:
      return MISA;
    case Csr.medeleg:
      return h.medeleg;
    case Csr.mideleg:
      return h.mideleg;
    case Csr.mie:
      return h.mie;
    case Csr.mtvec:
      return h.mtvec >>> 0;
    case Csr.mcounteren:
      return h.mcounteren;
    case Csr.mscratch:
      return h.mscratch >>> 0;
    case Csr.mepc:
      return h.mepc >>> 0;
    case Csr.mcause:
      return h.mcause >>> 0;
    case Csr.mtval:
      return h.mtval >>> 0;
    case Csr.mip:
      return mipValue(h);
    case Csr.mcycle:
    case Csr.cycle:
      return lo32(h.instret + h.cycleOffset);
    case Csr.mcycleh:
    case Csr.cycleh:
      return hi32(h.instret + h.cycleOffset);
    case Csr.minstret:
    case Csr.instret:
      return lo32(h.instret + h.instretOffset);
    case Csr.minstreth:
    case Csr.instreth:
      return hi32(h.instret + h.instretOffset);
    case Csr.time:
      return h.clint ? lo32(h.clint.mtime) : 0;
    case Csr.timeh:
      return h.clint ? hi32(h.clint.mtime) : 0;
    default:
      break;
  }
  // Unimplemented hardware performance counters and events read as zero.
  if ((csr >= 0xc03 && csr <= 0xc1f) || (csr >= 0xc83 && csr <= 0xc9f)) return 0;
  if ((csr >= 0xb03 && csr <= 0xb1f) || (csr >= 0xb83 && csr <= 0xb9f)) return 0;
  if (csr >= 0x323 && csr <= 0x33f) return 0;
  // PMP registers exist (WARL) but this board has no PMP checks.
  if (csr >= 0x3a0 && csr <= 0x3a3) return h.pmp[csr - 0x3a0]! >>> 0;
  if (csr >= 0x3b0 && csr <= 0x3bf) return h.pmp[4 + csr - 0x3b0]! >>> 0;
  return undefined;
}

/** Writes a CSR (read-only ones are ignored here; the interpreter rejects them). */
export function csrWrite(h: Hart, csr: number, value: number): void {
  const v = value >>> 0;
  switch (csr) {
    case Csr.fflags:
      h.fp.fflags = v & 0x1f;
      h.mstatus |= MS.FS;
      return;
    case Csr.frm:
      h.fp.frm = v & 7;
      h.mstatus |= MS.FS;
      return;
    case Csr.fcsr:
      h.fp.fflags = v & 0x1f;
      h.fp.frm = (v >>> 5) & 7;
      h.mstatus |= MS.FS;
      return;
    case Csr.sstatus:
      setMstatus(h, (h.mstatus & ~SSTATUS_MASK) | (v & SSTATUS_MASK));
      return;
    case Csr.sie:
      h.mie = ((h.mie & ~h.mideleg) | (v & h.mideleg)) >>> 0;
      return;
    case Csr.sip:
      // Only SSIP is writable through sip, and only when delegated.
      h.mipSw = ((h.mipSw & ~(h.mideleg & MIP_SSIP)) | (v & h.mideleg & MIP_SSIP)) >>> 0;
      return;
    case Csr.stvec:
      h.stvec = (v & ~2) >>> 0;
      return;
    case Csr.scounteren:
      h.scounteren = v;
      return;
    case Csr.sscratch:
      h.sscratch = v;
      return;
    case Csr.sepc:
      h.sepc = (v & ~1) >>> 0;
      return;
    case Csr.scause:
      h.scause = v;
      return;
    case Csr.stval:
      h.stval = v;
      return;
    case Csr.satp:
      h.setSatp(v);
      return;
    case Csr.mstatus:
      setMstatus(h, v);
      return;
    case Csr.medeleg:
      h.medeleg = v & MEDELEG_MASK;
      return;
    case Csr.mideleg:
      h.mideleg = v & S_IRQS;
      return;
    case Csr.mie:
      h.mie = v & ALL_IRQS;
      return;
    case Csr.mtvec:
      h.mtvec = (v & ~2) >>> 0;
      return;
    case Csr.mcounteren:
      h.mcounteren = v;
      return;
    case Csr.mscratch:
      h.mscratch = v;
      return;
    case Csr.mepc:
      h.mepc = (v & ~1) >>> 0;
      return;
    case Csr.mcause:
      h.mcause = v;
      return;
    case Csr.mtval:
      h.mtval = v;
      return;
    case Csr.mip:
      h.mipSw = ((h.mipSw & ~S_IRQS) | (v & S_IRQS)) >>> 0;
      return;
    case Csr.mcycle:
      h.cycleOffset = withLow(h.instret + h.cycleOffset, v) - h.instret;
      return;
    case Csr.mcycleh:
      h.cycleOffset = withHigh(h.instret + h.cycleOffset, v) - h.instret;
      return;
    case Csr.minstret:
      h.instretOffset = withLow(h.instret + h.instretOffset, v) - h.instret;
      return;
    case Csr.minstreth:
      h.instretOffset = withHigh(h.instret + h.instretOffset, v) - h.instret;
      return;
    default:
      break;
  }
  if (csr >= 0x3a0 && csr <= 0x3a3) h.pmp[csr - 0x3a0] = v;
  else if (csr >= 0x3b0 && csr <= 0x3bf) h.pmp[4 + csr - 0x3b0] = v;
}

function withLow(old: number, low: number): number {
  return hi32(old) * TWO32 + low;
}
function withHigh(old: number, high: number): number {
  return high * TWO32 + lo32(old);
}

function setMstatus(h: Hart, v: number): void {
  let next = ((h.mstatus & ~MSTATUS_WMASK) | (v & MSTATUS_WMASK)) >>> 0;
  // MPP is WARL: 2 (reserved) reads back as U.
  if (((next >>> MPP_SHIFT) & 3) === 2) next &= ~MS.MPP;
  h.mstatus = next & ~MS.SD;
  h.updateMode();
}

/** True if `csr` is a user-visible counter (cycle/time/instret/hpmcounter, low or high half). */
export function isCounter(csr: number): boolean {
  return (csr >= 0xc00 && csr <= 0xc1f) || (csr >= 0xc80 && csr <= 0xc9f);
}
