// Builds small ELF32 RISC-V executables in memory for loader tests (hostile variants included).
export interface SegSpec {
  vaddr: number;
  data: Uint8Array;
  memsz?: number;
  flags: number; // PF_R 4, PF_W 2, PF_X 1
}

export function buildElf(
  segs: SegSpec[],
  entry: number,
  opts: { machine?: number; cls?: number } = {},
): Uint8Array {
  const phoff = 52;
  let off = phoff + 32 * segs.length;
  off = Math.ceil(off / 4096) * 4096;
  const offsets: number[] = [];
  for (const s of segs) {
    // keep p_offset ≡ p_vaddr (mod 4096)
    off += ((s.vaddr % 4096) - (off % 4096) + 4096) % 4096;
    offsets.push(off);
    off += s.data.length;
  }
  const out = new Uint8Array(off);
  const dv = new DataView(out.buffer);
  out.set([0x7f, 0x45, 0x4c, 0x46, opts.cls ?? 1, 1, 1]);
  dv.setUint16(16, 2, true); // ET_EXEC
  dv.setUint16(18, opts.machine ?? 243, true);
  dv.setUint32(20, 1, true);
  dv.setUint32(24, entry, true);
  dv.setUint32(28, phoff, true);
  dv.setUint32(32, 0, true);
  dv.setUint32(36, 0x5, true);
  dv.setUint16(40, 52, true);
  dv.setUint16(42, 32, true);
  dv.setUint16(44, segs.length, true);
  dv.setUint16(46, 40, true);
  dv.setUint16(48, 0, true);
  dv.setUint16(50, 0, true);
  segs.forEach((s, i) => {
    const p = phoff + 32 * i;
    dv.setUint32(p, 1, true); // PT_LOAD
    dv.setUint32(p + 4, offsets[i]!, true);
    dv.setUint32(p + 8, s.vaddr, true);
    dv.setUint32(p + 12, s.vaddr, true);
    dv.setUint32(p + 16, s.data.length, true);
    dv.setUint32(p + 20, s.memsz ?? s.data.length, true);
    dv.setUint32(p + 24, s.flags, true);
    dv.setUint32(p + 28, 4096, true);
    out.set(s.data, offsets[i]!);
  });
  return out;
}
