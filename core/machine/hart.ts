// One RV32GC hart: architectural state, the run loop, traps and interrupts. Instructions execute in
// the interpreter (./interp) or in translated code (./jit); memory goes through the MMU (./mmu).
import type { Clint } from './clint';
import { csrRead, csrWrite, mipValue } from './csrfile';
import { Cause, INTERRUPT_BIT, IRQ_PRIORITY, MPP_SHIFT, MS, PRIV_M, PRIV_S, PRIV_U } from './csr';
import { FpRegs } from './fpu';
import { execute } from './interp';
import type { PhysicalBus } from './memory';
import { Access, Mmu } from './mmu';
import { expandCached } from './rvc';
import { Trap } from './trap';

export { Access } from './mmu';

export const Exit = {
  Budget: 0,
  Ecall: 1,
  Ebreak: 2,
  PageFault: 3,
  AccessFault: 4,
  Illegal: 5,
  Misaligned: 6,
  Interrupt: 7,
  Halt: 8,
  Wfi: 9,
} as const;
export type ExitCode = (typeof Exit)[keyof typeof Exit];

export type Engine = 'interp' | 'jit';

/** A translator plugged into the hart (see ./jit). Runs guest code until instret reaches limit. */
export interface CodeEngine {
  run(h: Hart): void;
  /** A store changed bytes of RAM page `page` (RAM offset `off`) that holds translated code. */
  codeWritten(page: number, off: number, width: number): void;
  /** Drops translations of RAM pages [first, last]. */
  invalidatePages(first: number, last: number): void;
  invalidateAll(): void;
}

export interface HartOptions {
  clint?: Clint | null;
  engine?: Engine;
}

/** Exit reason and access kind for each synchronous cause, as hosted mode reports them. */
function exitFor(cause: number): ExitCode {
  switch (cause) {
    case Cause.EcallU:
    case Cause.EcallS:
    case Cause.EcallM:
      return Exit.Ecall;
    case Cause.Breakpoint:
      return Exit.Ebreak;
    case Cause.FetchPage:
    case Cause.LoadPage:
    case Cause.StorePage:
      return Exit.PageFault;
    case Cause.FetchAccess:
    case Cause.LoadAccess:
    case Cause.StoreAccess:
      return Exit.AccessFault;
    case Cause.Illegal:
      return Exit.Illegal;
    default:
      return Exit.Misaligned;
  }
}
function accessFor(cause: number): number {
  if (cause === Cause.FetchPage || cause === Cause.FetchAccess || cause === Cause.FetchMisaligned)
    return Access.Execute;
  if (cause === Cause.StorePage || cause === Cause.StoreAccess || cause === Cause.StoreMisaligned)
    return Access.Write;
  return Access.Read;
}

export class Hart {
  readonly x = new Int32Array(32);
  /** Unsigned 32-bit program counter. */
  pc = 0;
  priv = PRIV_M;
  readonly fp = new FpRegs();
  /** Retired instructions (exact). */
  instret = 0;
  /** Hosted mode: traps stop `run` instead of vectoring (the TypeScript kernel handles them). */
  hosted = false;
  exitCause = 0;
  exitTval = 0;
  exitAccess = 0;

  readonly bus: PhysicalBus;
  readonly mmu: Mmu;
  readonly clint: Clint | null;

  // CSR state (see ./csrfile for the views).
  mstatus = 0;
  mie = 0;
  /** Software-writable mip bits (SSIP/STIP/SEIP); MTIP/MSIP come from the CLINT. */
  mipSw = 0;
  medeleg = 0;
  mideleg = 0;
  mtvec = 0;
  stvec = 0;
  mepc = 0;
  sepc = 0;
  mcause = 0;
  scause = 0;
  mtval = 0;
  stval = 0;
  mscratch = 0;
  sscratch = 0;
  satp = 0;
  // Counters are enabled for S and U at reset so hosted user code can read rdcycle/rdtime.
  mcounteren = 7;
  scounteren = 7;
  cycleOffset = 0;
  instretOffset = 0;
  readonly pmp = new Uint32Array(20);

  /** Set when HTIF (or the host) halted the machine; `run` then returns Exit.Halt. */
  halted = false;
  /** instret at which the current chunk of execution must stop (lowered to break out early). */
  limit = 0;
  /** wfi found nothing to wait for: `run` returns Exit.Wfi. */
  private wfiExit = false;
  /** A hosted ecall ended the chunk without a throw: `run` returns Exit.Ecall. */
  private ecallExit = false;
  private engineImpl: CodeEngine | null = null;

  constructor(bus: PhysicalBus, opts: HartOptions = {}) {
    this.bus = bus;
    this.mmu = new Mmu(bus);
    this.clint = opts.clint ?? null;
    if (this.clint) {
      this.clint.clock = () => this.instret;
      this.clint.onChange = () => this.breakChunk();
    }
    this.mmu.onMmioWrite = () => this.breakChunk();
    this.mmu.onCodeWrite = (page, off, width) => this.engineImpl?.codeWritten(page, off, width);
    this.updateMode();
  }

  /** Installs (or removes) the translating engine. */
  setEngine(engine: CodeEngine | null): void {
    this.engineImpl?.invalidateAll();
    this.engineImpl = engine;
  }
  get engine(): CodeEngine | null {
    return this.engineImpl;
  }

  /** Makes the current chunk end after the instruction in progress. */
  breakChunk(): void {
    this.limit = 0;
  }

  /** Stops the machine (HTIF exit). */
  halt(): void {
    this.halted = true;
    this.breakChunk();
  }

  readCsr(csr: number): number {
    return csrRead(this, csr) ?? 0;
  }
  writeCsr(csr: number, value: number): void {
    csrWrite(this, csr, value);
    this.breakChunk();
  }

  setSatp(value: number): void {
    // Sv32 or Bare; ASID bits are not implemented (read as zero).
    this.satp = (value & 0x803f_ffff) >>> 0;
    this.updateMode();
    this.mmu.flush();
  }

  flushTlb(): void {
    this.mmu.flush();
  }

  /** Physical address of va for an access at `priv` (default: current), or -1. No A/D updates. */
  translate(va: number, access: number, priv?: number): number {
    const p = priv ?? (access === Access.Execute ? this.priv : this.mmu.dataPriv);
    va >>>= 0;
    if ((this.satp & 0x8000_0000) === 0 || p === PRIV_M) return va;
    const sum = (this.mstatus & MS.SUM) !== 0;
    const mxr = (this.mstatus & MS.MXR) !== 0;
    const pa = this.mmu.walk(va, access, p, false, sum, mxr);
    return pa < 0 || pa >= 0x1_0000_0000 ? -1 : pa;
  }

  invalidateCode(paddr: number, len: number): void {
    if (len <= 0 || !this.engineImpl) return;
    const ram = this.bus.ram;
    const start = Math.max(paddr >>> 0, ram.base);
    const end = Math.min((paddr >>> 0) + len, ram.base + ram.size);
    if (end <= start) return;
    this.engineImpl.invalidatePages((start - ram.base) >>> 12, (end - 1 - ram.base) >>> 12);
  }

  /** Recomputes the MMU's translation context from priv, mstatus and satp. */
  updateMode(): void {
    const ms = this.mstatus;
    const dataPriv = (ms & MS.MPRV) !== 0 && this.priv === PRIV_M ? (ms >>> MPP_SHIFT) & 3 : this.priv;
    this.mmu.setMode(this.satp | 0, dataPriv, this.priv, (ms & MS.SUM) !== 0, (ms & MS.MXR) !== 0);
  }

  // ---- Execution ----

  run(budget: number): ExitCode {
    if (this.halted) return Exit.Halt;
    // Traps count toward the budget too, so a trap storm (e.g. mtvec pointing at unmapped memory)
    // still ends.
    let end = this.instret + Math.max(0, Math.floor(budget));
    for (;;) {
      const irq = this.pendingInterrupt();
      if (irq >= 0) {
        if (this.hosted) {
          this.exitCause = (irq | INTERRUPT_BIT) >>> 0;
          this.exitTval = 0;
          this.exitAccess = 0;
          return Exit.Interrupt;
        }
        this.takeTrap((irq | INTERRUPT_BIT) >>> 0, 0);
        end--;
      }
      if (this.instret >= end) return Exit.Budget;
      let lim = end;
      const dl = this.clint ? this.clint.timerDeadline() : Infinity;
      if (dl > this.instret && dl < lim) lim = dl;
      this.limit = lim;
      try {
        if (this.engineImpl) this.engineImpl.run(this);
        else this.interpret();
      } catch (e) {
        if (!(e instanceof Trap)) throw e;
        const r = this.raise(e.cause, e.tval);
        if (r >= 0) return r as ExitCode;
        end--;
      }
      if (this.ecallExit) {
        this.ecallExit = false;
        return Exit.Ecall;
      }
      if (this.halted) return Exit.Halt;
      if (this.wfiExit) {
        this.wfiExit = false;
        return Exit.Wfi;
      }
    }
  }

  step(): ExitCode {
    return this.run(1);
  }

  /** Interprets instructions until instret reaches `limit`. */
  interpret(): void {
    const mmu = this.mmu;
    while (this.instret < this.limit) {
      const pc = this.pc;
      const raw = mmu.fetch(pc);
      if ((raw & 3) !== 3) {
        const insn = expandCached(raw);
        if (insn === 0) throw new Trap(Cause.Illegal, raw);
        execute(this, insn, pc, 2);
      } else {
        execute(this, raw, pc, 4);
      }
      this.instret++;
    }
  }

  /** Interprets exactly one instruction (used by the translator for what it does not translate). */
  interpretOne(): void {
    const pc = this.pc;
    const raw = this.mmu.fetch(pc);
    if ((raw & 3) !== 3) {
      const insn = expandCached(raw);
      if (insn === 0) throw new Trap(Cause.Illegal, raw);
      execute(this, insn, pc, 2);
    } else {
      execute(this, raw, pc, 4);
    }
    this.instret++;
  }

  /**
   * An ecall in hosted mode, reported as raise() would report its trap but without throwing: the
   * chunk ends, pc stays on the ecall and it does not retire (the increment that follows execute()
   * in interpret/interpretOne is undone here). Returns the pc execute() leaves in place.
   */
  hostedEcall(cause: number, pc: number): number {
    this.endOnEcall(cause);
    this.instret--;
    return pc;
  }

  /** Takes the ecall at pc (the translator's shortcut past fetch and decode; as interpretOne would). */
  ecall(): void {
    const cause = this.priv === PRIV_U ? Cause.EcallU : this.priv === PRIV_S ? Cause.EcallS : Cause.EcallM;
    if (!this.hosted) throw new Trap(cause, 0);
    this.endOnEcall(cause);
  }

  private endOnEcall(cause: number): void {
    this.mmu.clearReservation();
    this.exitCause = cause;
    this.exitTval = 0;
    this.exitAccess = Access.Read;
    this.ecallExit = true;
    this.limit = 0;
  }

  /** A synchronous exception: reported (hosted) or vectored (bare). Returns an exit code or -1. */
  private raise(cause: number, tval: number): number {
    if (this.hosted) {
      this.mmu.clearReservation();
      this.exitCause = cause;
      this.exitTval = tval >>> 0;
      this.exitAccess = accessFor(cause);
      return exitFor(cause);
    }
    this.takeTrap(cause, tval);
    return -1;
  }

  /** The highest-priority interrupt that is pending, enabled and not masked at this privilege. */
  pendingInterrupt(): number {
    if (this.mie === 0) return -1; // nothing enabled (hosted mode): skip reading the CLINT
    const pend = mipValue(this) & this.mie;
    if (pend === 0) return -1;
    const mLevel = pend & ~this.mideleg;
    const mOn = this.priv < PRIV_M || (this.mstatus & MS.MIE) !== 0;
    const sLevel = pend & this.mideleg;
    const sOn = this.priv < PRIV_S || (this.priv === PRIV_S && (this.mstatus & MS.SIE) !== 0);
    const enabled = (mOn ? mLevel : 0) | (sOn ? sLevel : 0);
    if (enabled === 0) return -1;
    for (const irq of IRQ_PRIORITY) if (enabled & (1 << irq)) return irq;
    return -1;
  }

  /** Enters the trap handler for `cause` (interrupt bit included) as the privileged spec says. */
  takeTrap(cause: number, tval: number): void {
    this.mmu.clearReservation();
    const interrupt = (cause & INTERRUPT_BIT) !== 0;
    const code = cause & 0x7fff_ffff;
    const deleg = interrupt ? this.mideleg : this.medeleg;
    const ms = this.mstatus;
    if (this.priv <= PRIV_S && ((deleg >>> code) & 1) !== 0) {
      this.scause = cause >>> 0;
      this.sepc = this.pc >>> 0;
      this.stval = tval >>> 0;
      let next = ms & ~(MS.SPIE | MS.SIE | MS.SPP);
      if (ms & MS.SIE) next |= MS.SPIE;
      if (this.priv === PRIV_S) next |= MS.SPP;
      this.mstatus = next >>> 0;
      this.priv = PRIV_S;
      this.pc = vector(this.stvec, code, interrupt);
    } else {
      this.mcause = cause >>> 0;
      this.mepc = this.pc >>> 0;
      this.mtval = tval >>> 0;
      let next = ms & ~(MS.MPIE | MS.MIE | MS.MPP);
      if (ms & MS.MIE) next |= MS.MPIE;
      next |= this.priv << MPP_SHIFT;
      this.mstatus = next >>> 0;
      this.priv = PRIV_M;
      this.pc = vector(this.mtvec, code, interrupt);
    }
    this.updateMode();
  }

  /** mret (from = 3) or sret (from = 1): restores the interrupted privilege and pc. */
  trapReturn(from: number): void {
    this.mmu.clearReservation();
    const ms = this.mstatus;
    let next: number;
    let prev: number;
    if (from === PRIV_M) {
      prev = (ms >>> MPP_SHIFT) & 3;
      next = ms & ~(MS.MIE | MS.MPP);
      if (ms & MS.MPIE) next |= MS.MIE;
      next |= MS.MPIE;
      this.pc = this.mepc >>> 0;
    } else {
      prev = ms & MS.SPP ? PRIV_S : PRIV_U;
      next = ms & ~(MS.SIE | MS.SPP);
      if (ms & MS.SPIE) next |= MS.SIE;
      next |= MS.SPIE;
      this.pc = this.sepc >>> 0;
    }
    if (prev !== PRIV_M) next &= ~MS.MPRV;
    this.mstatus = next >>> 0;
    this.priv = prev;
    this.updateMode();
    this.breakChunk();
  }

  /** wfi in M or S mode (bare): idles until an interrupt, skipping virtual time when possible. */
  waitForInterrupt(): void {
    if ((mipValue(this) & this.mie) !== 0) return;
    const c = this.clint;
    if (c && (this.mie & (1 << 7)) !== 0 && c.timerDeadline() !== Infinity) {
      const ticks = c.mtimecmp - c.mtime;
      if (ticks > 0) c.advance(ticks);
      return;
    }
    if (this.hosted) return;
    this.wfiExit = true;
    this.breakChunk();
  }

  /** Invalidates all translated code (fence.i). */
  fenceI(): void {
    this.engineImpl?.invalidateAll();
    this.breakChunk();
  }
}

function vector(tvec: number, code: number, interrupt: boolean): number {
  const base = tvec & ~3;
  return ((tvec & 1) !== 0 && interrupt ? base + 4 * code : base) >>> 0;
}
