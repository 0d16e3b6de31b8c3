// CSR names of the unprivileged and privileged specs (the ones RV32 code uses), by number.

const table = new Map<string, number>();
const add = (name: string, n: number): void => void table.set(name, n);

for (const [n, v] of Object.entries({ fflags: 1, frm: 2, fcsr: 3 })) add(n, v);
add('cycle', 0xc00);
add('time', 0xc01);
add('instret', 0xc02);
add('cycleh', 0xc80);
add('timeh', 0xc81);
add('instreth', 0xc82);
for (let i = 3; i < 32; i++) {
  add(`hpmcounter${i}`, 0xc00 + i);
  add(`hpmcounter${i}h`, 0xc80 + i);
  add(`mhpmcounter${i}`, 0xb00 + i);
  add(`mhpmcounter${i}h`, 0xb80 + i);
  add(`mhpmevent${i}`, 0x320 + i);
}
const named: Record<string, number> = {
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
  sbadaddr: 0x143,
  sptbr: 0x180,
  mvendorid: 0xf11,
  marchid: 0xf12,
  mimpid: 0xf13,
  mhartid: 0xf14,
  mconfigptr: 0xf15,
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
  mtinst: 0x34a,
  mtval2: 0x34b,
  mbadaddr: 0x343,
  mcycle: 0xb00,
  minstret: 0xb02,
  mcycleh: 0xb80,
  minstreth: 0xb82,
  tselect: 0x7a0,
  tdata1: 0x7a1,
  tdata2: 0x7a2,
  tdata3: 0x7a3,
  dcsr: 0x7b0,
  dpc: 0x7b1,
  dscratch0: 0x7b2,
  dscratch1: 0x7b3,
  dscratch: 0x7b2,
};
for (const [n, v] of Object.entries(named)) add(n, v);
for (let i = 0; i < 16; i++) add(`pmpcfg${i}`, 0x3a0 + i);
for (let i = 0; i < 64; i++) add(`pmpaddr${i}`, 0x3b0 + i);

export const csrNumber = (name: string): number | undefined => table.get(name);
