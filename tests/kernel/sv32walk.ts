// An independent Sv32 walker (RISC-V privileged spec §4.3.2) for tests: what the MMU would do for
// a U- or S-mode access with SUM=0, MXR=0 and no hardware A/D updates (A/D clear → fault).
import type { PhysicalMemory } from '../../core/machine/memory';

export type Access = 'read' | 'write' | 'exec';

export function sv32Walk(
  mem: PhysicalMemory,
  satp: number,
  va: number,
  mode: 'U' | 'S',
  access: Access,
): number {
  if (satp >>> 31 !== 1) throw new Error('not Sv32');
  va >>>= 0;
  let a = (satp & 0x3fffff) * 4096;
  let level = 1;
  for (;;) {
    const vpn = level === 1 ? va >>> 22 : (va >>> 12) & 0x3ff;
    const pteAddr = a + vpn * 4;
    if (!mem.contains(pteAddr, 4)) return -1;
    const pte = mem.read32(pteAddr);
    const v = pte & 1,
      r = (pte >> 1) & 1,
      w = (pte >> 2) & 1,
      x = (pte >> 3) & 1;
    if (!v || (!r && w)) return -1;
    if (r || x) {
      const u = (pte >> 4) & 1;
      if (mode === 'U' && !u) return -1;
      if (mode === 'S' && u) return -1;
      if (access === 'read' && !r) return -1;
      if (access === 'write' && !w) return -1;
      if (access === 'exec' && !x) return -1;
      if (!((pte >> 6) & 1)) return -1; // A
      if (access === 'write' && !((pte >> 7) & 1)) return -1; // D
      const ppn = pte >>> 10;
      if (level === 1) {
        if (ppn & 0x3ff) return -1; // misaligned superpage
        return (ppn >>> 10) * 0x400000 + (va & 0x3fffff);
      }
      return ppn * 4096 + (va & 0xfff);
    }
    if (level === 0) return -1;
    a = (pte >>> 10) * 4096;
    level = 0;
  }
}
