// The bare-metal loader on its own: bytes placed at the physical addresses, bss zeroed over
// whatever RAM held, the hart reset to M-mode at the entry with a0 = a1 = 0, HTIF armed.
import { describe, expect, it } from 'vitest';
import { BareError, loadBare } from '../../core/cli/bare-run';
import { Board } from '../../core/machine/board';
import { buildTinyElf, TINY } from '../elf/tiny-elf';

describe('loadBare', () => {
  it('places segments, zeroes bss and resets the hart', () => {
    const board = new Board({ ramSize: 1 << 20, engine: 'interp' });
    board.ram.fill(board.ram.base, 1 << 20, 0xaa);
    board.hart.x[10] = 5;
    board.hart.x[11] = 6;
    board.hart.priv = 0;
    const info = loadBare(board, buildTinyElf().bytes);
    expect(info).toEqual({ entry: TINY.textAddr, tohost: TINY.dataAddr, fromhost: TINY.dataAddr + 8 });
    expect(board.ram.read32(TINY.textAddr)).toBe(0x13);
    expect(board.ram.read32(TINY.textAddr + TINY.textSize - 4)).toBe(0x13);
    // bytes after the text segment are not part of any segment: untouched
    expect(board.ram.read8(TINY.textAddr + TINY.textSize)).toBe(0xaa);
    // .data file bytes are zero in the tiny file; the bss tail must be zeroed, not left 0xaa
    for (let a = TINY.dataAddr; a < TINY.dataAddr + TINY.dataMemSize; a++) expect(board.ram.read8(a)).toBe(0);
    expect(board.ram.read8(TINY.dataAddr + TINY.dataMemSize)).toBe(0xaa);
    expect(board.hart.pc).toBe(TINY.textAddr);
    expect(board.hart.priv).toBe(3);
    expect(board.hart.x[10]).toBe(0);
    expect(board.hart.x[11]).toBe(0);
    expect(board.hart.hosted).toBe(false);
  });

  it('ends the run through HTIF when the program writes tohost', () => {
    const board = new Board({ ramSize: 1 << 20, engine: 'interp' });
    const t = buildTinyElf();
    // Replace the nops: lui t0, 0x80001; li t1, (7 << 1) | 1; sw t1, 0(t0); j .
    const v = new DataView(t.bytes.buffer);
    [0x800012b7, 0x00f00313, 0x0062a023, 0x0000006f].forEach((w, i) =>
      v.setUint32(TINY.textOff + 4 * i, w, true),
    );
    loadBare(board, t.bytes);
    board.hart.run(1000);
    expect(board.htifExitCode).toBe(7);
  });

  it('refuses a segment outside RAM', () => {
    const board = new Board({ ramSize: 4096, engine: 'interp' });
    expect(() => loadBare(board, buildTinyElf().bytes)).toThrow(BareError);
    expect(() => loadBare(board, buildTinyElf().bytes)).toThrow(
      /segment 1 \(0x80001000–0x80001018\) lies outside RAM/,
    );
  });
});
