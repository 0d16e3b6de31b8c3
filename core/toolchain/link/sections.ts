// Output sections and segments: which input sections go where, in what order, at what address.
import { SHF_ALLOC, SHF_EXECINSTR, SHF_WRITE, SHT_NOBITS, SHT_PROGBITS } from '../../elf/constants';
import type { ObjSection } from '../obj/types';
import type { OutSection } from './types';

export const PAGE = 0x1000;

/** Output sections in address order, with their segment (0 = R-X, 1 = R, 2 = RW, -1 = not loaded). */
export const OUTPUT_ORDER: Array<{ name: string; seg: number; type: number; flags: number }> = [
  { name: '.text', seg: 0, type: SHT_PROGBITS, flags: SHF_ALLOC | SHF_EXECINSTR },
  { name: '.rodata', seg: 1, type: SHT_PROGBITS, flags: SHF_ALLOC },
  { name: '.eh_frame', seg: 1, type: SHT_PROGBITS, flags: SHF_ALLOC },
  { name: '.preinit_array', seg: 2, type: 16, flags: SHF_ALLOC | SHF_WRITE },
  { name: '.init_array', seg: 2, type: 14, flags: SHF_ALLOC | SHF_WRITE },
  { name: '.fini_array', seg: 2, type: 15, flags: SHF_ALLOC | SHF_WRITE },
  { name: '.data', seg: 2, type: SHT_PROGBITS, flags: SHF_ALLOC | SHF_WRITE },
  { name: '.sdata', seg: 2, type: SHT_PROGBITS, flags: SHF_ALLOC | SHF_WRITE },
  { name: '.sbss', seg: 2, type: SHT_NOBITS, flags: SHF_ALLOC | SHF_WRITE },
  { name: '.bss', seg: 2, type: SHT_NOBITS, flags: SHF_ALLOC | SHF_WRITE },
];

/**
 * The output section an input section belongs to; null drops it. Debug sections keep their name
 * (not loaded); our line records are consumed separately.
 */
export function outputNameOf(s: ObjSection): string | null {
  const n = s.name;
  if ((s.flags & SHF_ALLOC) === 0) {
    if (n.startsWith('.debug_')) return n;
    return null;
  }
  if (n.startsWith('.tdata') || n.startsWith('.tbss'))
    throw new Error(`thread-local section '${n}' is not supported`);
  if (s.type === SHT_NOBITS) return n.startsWith('.sbss') ? '.sbss' : '.bss';
  if ((s.flags & SHF_EXECINSTR) !== 0) return '.text';
  if (s.type === 16 || n.startsWith('.preinit_array')) return '.preinit_array';
  if (s.type === 14 || n.startsWith('.init_array') || n.startsWith('.ctors')) return '.init_array';
  if (s.type === 15 || n.startsWith('.fini_array') || n.startsWith('.dtors')) return '.fini_array';
  if (n === '.eh_frame') return '.eh_frame';
  if (n.startsWith('.sdata') || n.startsWith('.srodata')) return '.sdata';
  if ((s.flags & SHF_WRITE) !== 0) return '.data';
  return '.rodata';
}

export function newOut(name: string, type: number, flags: number): OutSection {
  return { name, type, flags, align: 1, addr: 0, size: 0, fileOffset: 0, data: new Uint8Array(0), parts: [] };
}

export const alignUp = (v: number, a: number): number => Math.ceil(v / Math.max(1, a)) * Math.max(1, a);
