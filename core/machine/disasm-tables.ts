// Shared pieces of the disassembler: register and CSR names as GNU objdump (binutils 2.40)
// prints them, the decode context, and small field/format helpers used by every decoder.

/** Integer registers by ABI name (objdump prints s0, not fp). */
export const XREG: readonly string[] = [
  'zero', 'ra', 'sp', 'gp', 'tp', 't0', 't1', 't2', 's0', 's1', 'a0', 'a1', 'a2', 'a3', 'a4', 'a5',
  'a6', 'a7', 's2', 's3', 's4', 's5', 's6', 's7', 's8', 's9', 's10', 's11', 't3', 't4', 't5', 't6',
]; // prettier-ignore

/** Floating-point registers by ABI name. */
export const FREG: readonly string[] = [
  'ft0', 'ft1', 'ft2', 'ft3', 'ft4', 'ft5', 'ft6', 'ft7', 'fs0', 'fs1', 'fa0', 'fa1', 'fa2', 'fa3',
  'fa4', 'fa5', 'fa6', 'fa7', 'fs2', 'fs3', 'fs4', 'fs5', 'fs6', 'fs7', 'fs8', 'fs9', 'fs10', 'fs11',
  'ft8', 'ft9', 'ft10', 'ft11',
]; // prettier-ignore

/** Rounding modes by their 3-bit encoding; 5 and 6 are reserved, 7 (dyn) is not printed. */
export const ROUNDING: readonly (string | undefined)[] = [
  'rne', 'rtz', 'rdn', 'rup', 'rmm', undefined, undefined, 'dyn',
]; // prettier-ignore

/** CSR names objdump knows under its default privileged spec (1.12), by number. */
export const CSR_NAMES: ReadonlyMap<number, string> = buildCsrNames();

/** objdump's table for privileged spec 1.11 (`-M priv-spec=1.11`): it still has the N-extension
 *  user trap CSRs and sedeleg/sideleg, and lacks the CSRs that 1.12 added. */
export const CSR_NAMES_1_11: ReadonlyMap<number, string> = buildCsrNames11(CSR_NAMES);

function buildCsrNames11(v12: ReadonlyMap<number, string>): Map<number, string> {
  const m = new Map(v12);
  const added12 = [0x10a, 0x30a, 0x310, 0x31a, 0x34a, 0x34b, 0x747, 0x757, 0xf15];
  for (let c = 0x3a4; c <= 0x3af; c++) added12.push(c); // pmpcfg4..15
  for (let c = 0x3c0; c <= 0x3ef; c++) added12.push(c); // pmpaddr16..63
  for (const c of added12) m.delete(c);
  const user: Array<[number, string]> = [
    [0x000, 'ustatus'],
    [0x004, 'uie'],
    [0x005, 'utvec'],
    [0x040, 'uscratch'],
    [0x041, 'uepc'],
    [0x042, 'ucause'],
    [0x043, 'utval'],
    [0x044, 'uip'],
    [0x102, 'sedeleg'],
    [0x103, 'sideleg'],
  ];
  for (const [c, name] of user) m.set(c, name);
  return m;
}

function buildCsrNames(): Map<number, string> {
  const m = new Map<number, string>();
  const put = (base: number, names: string): void => {
    // Names separated by spaces at consecutive numbers; '-' skips a number.
    names.split(' ').forEach((n, i) => {
      if (n !== '-') m.set(base + i, n);
    });
  };
  const seq = (base: number, prefix: string, from: number, to: number, suffix = ''): void => {
    for (let i = from; i <= to; i++) m.set(base + i - from, `${prefix}${i}${suffix}`);
  };
  put(0x001, 'fflags frm fcsr');
  put(0x008, 'vstart vxsat vxrm - - - - vcsr');
  m.set(0x015, 'seed');
  put(0x100, 'sstatus - - - sie stvec scounteren - - - senvcfg - sstateen0 sstateen1 sstateen2 sstateen3');
  m.set(0x114, 'sieh');
  put(0x140, 'sscratch sepc scause stval sip');
  m.set(0x14d, 'stimecmp');
  put(0x150, 'siselect sireg - - siph');
  put(0x15c, 'stopei stimecmph');
  m.set(0x180, 'satp');
  put(0x200, 'vsstatus - - - vsie vstvec');
  m.set(0x214, 'vsieh');
  put(0x240, 'vsscratch vsepc vscause vstval vsip');
  m.set(0x24d, 'vstimecmp');
  put(0x250, 'vsiselect vsireg - - vsiph');
  put(0x25c, 'vstopei vstimecmph');
  m.set(0x280, 'vsatp');
  put(0x300, 'mstatus misa medeleg mideleg mie mtvec mcounteren - mvien mvip menvcfg');
  put(0x30c, 'mstateen0 mstateen1 mstateen2 mstateen3 mstatush - - midelegh mieh - - - mvienh mviph');
  put(0x31a, 'menvcfgh - mstateen0h mstateen1h mstateen2h mstateen3h mcountinhibit');
  seq(0x323, 'mhpmevent', 3, 31);
  put(0x340, 'mscratch mepc mcause mtval mip');
  put(0x34a, 'mtinst mtval2');
  put(0x350, 'miselect mireg - - miph');
  m.set(0x35c, 'mtopei');
  seq(0x3a0, 'pmpcfg', 0, 15);
  seq(0x3b0, 'pmpaddr', 0, 63);
  m.set(0x5a8, 'scontext');
  put(0x600, 'hstatus - hedeleg hideleg hie htimedelta hcounteren hgeie hvien hvictl henvcfg');
  put(0x60c, 'hstateen0 hstateen1 hstateen2 hstateen3');
  put(0x613, 'hidelegh - htimedeltah - - hvienh - henvcfgh - hstateen0h hstateen1h hstateen2h');
  m.set(0x61f, 'hstateen3h');
  put(0x643, 'htval hip hvip hviprio1 hviprio2 - - htinst');
  put(0x655, 'hviph hviprio1h hviprio2h');
  m.set(0x680, 'hgatp');
  m.set(0x6a8, 'hcontext');
  seq(0x723, 'mhpmevent', 3, 31, 'h');
  m.set(0x747, 'mseccfg');
  m.set(0x757, 'mseccfgh');
  put(0x7a0, 'tselect tdata1 tdata2 tdata3 tinfo tcontrol - - mcontext - mscontext');
  put(0x7b0, 'dcsr dpc dscratch0 dscratch1');
  put(0xb00, 'mcycle - minstret');
  seq(0xb03, 'mhpmcounter', 3, 31);
  put(0xb80, 'mcycleh - minstreth');
  seq(0xb83, 'mhpmcounter', 3, 31, 'h');
  put(0xc00, 'cycle time instret');
  seq(0xc03, 'hpmcounter', 3, 31);
  put(0xc20, 'vl vtype vlenb');
  put(0xc80, 'cycleh timeh instreth');
  seq(0xc83, 'hpmcounter', 3, 31, 'h');
  m.set(0xda0, 'scountovf');
  m.set(0xdb0, 'stopi');
  m.set(0xe12, 'hgeip');
  m.set(0xeb0, 'vstopi');
  put(0xf11, 'mvendorid marchid mimpid mhartid mconfigptr');
  m.set(0xfb0, 'mtopi');
  return m;
}

/** What a decoder produces; `null` means "not an instruction objdump knows". */
export interface Decoded {
  mnemonic: string;
  operands: string;
  target?: number;
}

/** Decoding options shared by the 32-bit and compressed decoders. */
export interface DecodeContext {
  /** Prefer objdump's aliases (li, mv, ret, …) and expanded compressed mnemonics. */
  aliases: boolean;
  /** Formats an absolute branch/jump target the way objdump does. */
  target(addr: number): string;
  /** CSR names for the selected privileged spec. */
  csrs: ReadonlyMap<number, string>;
}

/** Extracts bits [hi:lo] of `w` as an unsigned number. */
export function bits(w: number, hi: number, lo: number): number {
  return (w >>> lo) & ((1 << (hi - lo + 1)) - 1);
}

/** Sign-extends the low `width` bits of `v`. */
export function sext(v: number, width: number): number {
  const shift = 32 - width;
  return (v << shift) >> shift;
}

export function hex(v: number): string {
  return `0x${(v >>> 0).toString(16)}`;
}

export function op(mnemonic: string, ...operands: Array<string | number>): Decoded {
  return { mnemonic, operands: operands.join(',') };
}

/** A branch or jump: its target is printed via the context and reported in `target`. */
export function jump(
  ctx: DecodeContext,
  mnemonic: string,
  pc: number,
  offset: number,
  ...regs: string[]
): Decoded {
  const target = (pc + offset) >>> 0;
  return { mnemonic, operands: [...regs, ctx.target(target)].join(','), target };
}

/** `offset(base)` as objdump prints loads, stores and jalr. */
export function mem(offset: number, base: string): string {
  return `${offset}(${base})`;
}
