// Sv32 page-table entry bits (RISC-V privileged spec §4.3) and the software bit Futura uses.
// A user PTE is either 0 (nothing mapped) or names a frame; PROT_NONE pages keep their frame with
// V=0, so "present" means pte !== 0 and the MMU still faults on them.

export const PTE_V = 1 << 0;
export const PTE_R = 1 << 1;
export const PTE_W = 1 << 2;
export const PTE_X = 1 << 3;
export const PTE_U = 1 << 4;
export const PTE_G = 1 << 5;
export const PTE_A = 1 << 6;
export const PTE_D = 1 << 7;
/** RSW bit 8: the frame may be shared copy-on-write; W stays clear until the write fault copies it. */
export const PTE_COW = 1 << 8;

export const SATP_MODE_SV32 = 0x8000_0000;
export const MEGAPAGE = 4 * 1024 * 1024;

/** Physical address named by a PTE. */
export function ptePa(pte: number): number {
  return (pte >>> 10) * 4096;
}

/** A PTE naming physical address pa with the given flag bits. */
export function makePte(pa: number, flags: number): number {
  return ((Math.floor(pa / 4096) << 10) | flags) >>> 0;
}

/** True for a valid leaf (any of R/W/X set) as opposed to a pointer to the next level. */
export function isLeaf(pte: number): boolean {
  return (pte & (PTE_R | PTE_W | PTE_X)) !== 0;
}

/** The PTE flags of a user page with protection `prot` (PROT_READ 1, WRITE 2, EXEC 4). */
export function userPteFlags(prot: number, cow: boolean): number {
  // A and D are set eagerly so the hart never needs A/D-update faults.
  let f = PTE_U | PTE_A | PTE_D | (cow ? PTE_COW : 0);
  if ((prot & 7) === 0) return f & ~(PTE_A | PTE_D); // V=0: present for the kernel, a fault for the MMU
  f |= PTE_V;
  // Sv32 reserves W without R, so writable pages are readable too (as on Linux/RISC-V).
  if (prot & 3) f |= PTE_R;
  if (prot & 2 && !cow) f |= PTE_W;
  if (prot & 4) f |= PTE_X;
  return f;
}
