// CSR names the assembler accepts, by number: the machine's CSR table (core/machine/csr.ts) plus
// the counters, PMP, debug registers and the old aliases GNU as still takes.
import { Csr } from '../../machine/csr';

const table = new Map<string, number>(Object.entries(Csr));
const add = (name: string, n: number): void => void table.set(name, n);

for (let i = 3; i < 32; i++) {
  add(`hpmcounter${i}`, 0xc00 + i);
  add(`hpmcounter${i}h`, 0xc80 + i);
  add(`mhpmcounter${i}`, 0xb00 + i);
  add(`mhpmcounter${i}h`, 0xb80 + i);
  add(`mhpmevent${i}`, 0x320 + i);
}
const extra: Record<string, number> = {
  sbadaddr: 0x143,
  sptbr: 0x180,
  mtinst: 0x34a,
  mtval2: 0x34b,
  mbadaddr: 0x343,
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
for (const [n, v] of Object.entries(extra)) add(n, v);
for (let i = 0; i < 16; i++) add(`pmpcfg${i}`, 0x3a0 + i);
for (let i = 0; i < 64; i++) add(`pmpaddr${i}`, 0x3b0 + i);

export const csrNumber = (name: string): number | undefined => table.get(name);
