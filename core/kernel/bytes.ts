// Byte copies for the kernel's hot paths (FIPC rings, user copies). Small copies are a plain loop:
// `dst.set(src.subarray(...))` allocates a view per call, which dominates for 4–64 byte messages.

const LOOP_MAX = 64;

/** Copies n bytes src[srcOff…] → dst[dstOff…] (non-overlapping buffers). */
export function copyBytes(dst: Uint8Array, dstOff: number, src: Uint8Array, srcOff: number, n: number): void {
  if (n <= LOOP_MAX) {
    for (let i = 0; i < n; i++) dst[dstOff + i] = src[srcOff + i]!;
  } else if (srcOff === 0 && n === src.length) {
    dst.set(src, dstOff);
  } else {
    dst.set(src.subarray(srcOff, srcOff + n), dstOff);
  }
}
