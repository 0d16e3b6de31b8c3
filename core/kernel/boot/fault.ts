// The report for a user page fault the kernel cannot serve: the address, the access, the pc and
// the VMA involved (or that there is none, or "stack overflow" for the guard page).

import type { FaultAccess, FaultResult, FutMm } from '../mm';
import type { Vma } from '../mm';
import { permString } from '../inspect/proctext';

const hex = (n: number): string => `0x${(n >>> 0).toString(16)}`;

/** A VMA as /proc/<pid>/maps shows it: `text VMA 00400000-00402000 r-xp`. */
export function vmaText(v: Vma): string {
  const h8 = (n: number): string => (n >>> 0).toString(16).padStart(8, '0');
  return `${v.kind} VMA ${h8(v.start)}-${h8(v.end)} ${permString(v.prot, v.shared)}`;
}

export function faultReport(
  mm: FutMm,
  r: Exclude<FaultResult, 'resolved'>,
  access: FaultAccess,
  addr: number,
  pc: number,
): string {
  const where = `${hex(addr)} (pc ${hex(pc)})`;
  const vma = r === 'stack-overflow' ? mm.vmas.find(addr) : (r.vma ?? mm.vmas.find(addr));
  const inVma =
    addr >= 0x8000_0000 || vma?.kind === 'kernel'
      ? ' in the kernel half'
      : vma
        ? ` in the ${vmaText(vma)}`
        : ', outside every VMA';
  if (r === 'stack-overflow')
    return vma?.kind === 'guard'
      ? `stack overflow: ${access} at ${where} in the guard page below the stack (${vmaText(vma)})`
      : `stack overflow: ${access} at ${where} below the stack's guard page (a stack frame larger than a page skipped it)`;
  if (r.reason.startsWith('out of memory'))
    return `${r.reason}; page fault (${access}) at ${where} cannot be served${inVma}`;
  return `${r.reason}, ${access} at ${where}${inVma}`;
}
