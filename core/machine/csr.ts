// CSR numbers, mstatus/mip bits and trap causes of the RISC-V privileged spec v1.12 (RV32).

export const Csr = {
  fflags: 0x001,
  frm: 0x002,
  fcsr: 0x003,
  sstatus: 0x100,
  sie: 0x104,
  stvec: 0x105,
  scounteren: 0x106,
  senvcfg: 0x10a,
  sscratch: 0x140,
  sepc: 0x141,
  scause: 0x142,
  stval: 0x143,
  sip: 0x144,
  satp: 0x180,
  mstatus: 0x300,
  misa: 0x301,
  medeleg: 0x302,
  mideleg: 0x303,
  mie: 0x304,
  mtvec: 0x305,
  mcounteren: 0x306,
  menvcfg: 0x30a,
  mstatush: 0x310,
  menvcfgh: 0x31a,
  mcountinhibit: 0x320,
  mscratch: 0x340,
  mepc: 0x341,
  mcause: 0x342,
  mtval: 0x343,
  mip: 0x344,
  mcycle: 0xb00,
  minstret: 0xb02,
  mcycleh: 0xb80,
  minstreth: 0xb82,
  cycle: 0xc00,
  time: 0xc01,
  instret: 0xc02,
  cycleh: 0xc80,
  timeh: 0xc81,
  instreth: 0xc82,
  mvendorid: 0xf11,
  marchid: 0xf12,
  mimpid: 0xf13,
  mhartid: 0xf14,
  mconfigptr: 0xf15,
} as const;

/** mstatus bits. */
export const MS = {
  SIE: 1 << 1,
  MIE: 1 << 3,
  SPIE: 1 << 5,
  MPIE: 1 << 7,
  SPP: 1 << 8,
  MPP: 3 << 11,
  FS: 3 << 13,
  MPRV: 1 << 17,
  SUM: 1 << 18,
  MXR: 1 << 19,
  TVM: 1 << 20,
  TW: 1 << 21,
  TSR: 1 << 22,
  SD: 1 << 31,
} as const;
export const MPP_SHIFT = 11;
export const FS_SHIFT = 13;

/** Bits of mstatus a CSR write may change (SD is derived from FS; VS/XS stay 0). */
export const MSTATUS_WMASK =
  MS.SIE |
  MS.MIE |
  MS.SPIE |
  MS.MPIE |
  MS.SPP |
  MS.MPP |
  MS.FS |
  MS.MPRV |
  MS.SUM |
  MS.MXR |
  MS.TVM |
  MS.TW |
  MS.TSR;
/** The sstatus view of mstatus. */
export const SSTATUS_MASK = MS.SIE | MS.SPIE | MS.SPP | MS.FS | MS.SUM | MS.MXR | MS.SD;

/** Interrupt bits (mip/mie) and their cause numbers. */
export const IRQ = { SSI: 1, MSI: 3, STI: 5, MTI: 7, SEI: 9, MEI: 11 } as const;
export const MIP_SSIP = 1 << IRQ.SSI;
export const MIP_MSIP = 1 << IRQ.MSI;
export const MIP_STIP = 1 << IRQ.STI;
export const MIP_MTIP = 1 << IRQ.MTI;
export const MIP_SEIP = 1 << IRQ.SEI;
export const MIP_MEIP = 1 << IRQ.MEI;
/** Supervisor-level interrupt bits: the ones mideleg can delegate and M-mode can write in mip. */
export const S_IRQS = MIP_SSIP | MIP_STIP | MIP_SEIP;
export const ALL_IRQS = S_IRQS | MIP_MSIP | MIP_MTIP | MIP_MEIP;
/** Priority order for taking interrupts (privileged spec 3.1.9). */
export const IRQ_PRIORITY = [IRQ.MEI, IRQ.MSI, IRQ.MTI, IRQ.SEI, IRQ.SSI, IRQ.STI] as const;

/** Synchronous exception causes. */
export const Cause = {
  FetchMisaligned: 0,
  FetchAccess: 1,
  Illegal: 2,
  Breakpoint: 3,
  LoadMisaligned: 4,
  LoadAccess: 5,
  StoreMisaligned: 6,
  StoreAccess: 7,
  EcallU: 8,
  EcallS: 9,
  EcallM: 11,
  FetchPage: 12,
  LoadPage: 13,
  StorePage: 15,
} as const;
/** medeleg: every exception except ecall from M can be delegated. */
export const MEDELEG_MASK = 0xb3ff;
export const INTERRUPT_BIT = 0x8000_0000;

/** misa: MXL=1 (32-bit), extensions A C D F I M S U. */
export const MISA =
  (0x4000_0000 | (1 << 0) | (1 << 2) | (1 << 3) | (1 << 5) | (1 << 8) | (1 << 12) | (1 << 18) | (1 << 20)) >>>
  0;

export const PRIV_U = 0;
export const PRIV_S = 1;
export const PRIV_M = 3;
