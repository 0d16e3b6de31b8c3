// Hex dump rows for the memory view: address, 16 bytes in hex, and their printable ASCII.
export function hexRows(address: number, hex: string): string[] {
  const rows: string[] = [];
  const n = hex.length / 2;
  for (let off = 0; off < n; off += 16) {
    const bytes: number[] = [];
    for (let i = off; i < Math.min(n, off + 16); i++) bytes.push(parseInt(hex.slice(2 * i, 2 * i + 2), 16));
    const hx = bytes.map((b) => b.toString(16).padStart(2, '0')).join(' ');
    const ascii = bytes.map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
    rows.push(`${((address + off) >>> 0).toString(16).padStart(8, '0')}  ${hx.padEnd(47)}  ${ascii}`);
  }
  return rows;
}
