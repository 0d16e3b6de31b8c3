// The link map: output sections with addresses and sizes, the input sections in each, and the
// global symbols sorted by address.
import type { InObject, OutSection } from './types';

const hex = (v: number): string => `0x${(v >>> 0).toString(16).padStart(8, '0')}`;

export function formatMap(outs: OutSection[], objects: InObject[], symbols: Map<string, number>): string {
  const lines: string[] = ['Memory map', ''];
  for (const o of outs) {
    lines.push(`${o.name.padEnd(16)} ${hex(o.addr)} ${hex(o.size)}`);
    for (const p of o.parts) {
      const s = p.obj.obj.sections[p.sec];
      lines.push(`  ${hex(o.addr + p.offset)} ${hex(p.size)} ${p.obj.name}(${s?.name ?? '?'})`);
    }
  }
  lines.push('', `Input files: ${objects.map((o) => o.name).join(' ')}`, '', 'Symbols', '');
  const sorted = [...symbols].sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]));
  for (const [name, v] of sorted) lines.push(`${hex(v)} ${name}`);
  return lines.join('\n') + '\n';
}
