// Bare-metal runs on the board: load an ELF's PT_LOAD segments into RAM at their physical
// addresses, start the hart in M-mode at the entry point, and run until the program writes
// `tohost` (HTIF exit), an instruction limit is reached, or the hart can make no progress.
// No Node APIs here, so the same code serves the CLI, tests and (later) the host session.
import { ElfError, loadImage, readElf } from '../elf';
import type { ElfFile, LoadSegment } from '../elf';
import { SHF_ALLOC } from '../elf/constants';
import { Board, type BoardConfig } from '../machine/board';
import { Exit } from '../machine/hart';

/** A problem with the program or the run that is the user's to fix (exit status 2 in the CLI). */
export class BareError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BareError';
  }
}

const PRIV_M = 3;

export interface BareImageInfo {
  entry: number;
  tohost: number | null;
  fromhost: number | null;
}

function hex(n: number): string {
  return `0x${(n >>> 0).toString(16).padStart(8, '0')}`;
}

/**
 * Bytes at the start of a segment that hold no section (the ELF and program headers a linker
 * places in the first segment with `-Ttext`) are skipped when they fall outside RAM, as QEMU
 * does; everything that belongs to an allocated section must land in RAM.
 */
function headerBytesToSkip(elf: ElfFile, seg: LoadSegment, board: Board): number {
  if (board.ram.contains(seg.paddr, 1)) return 0;
  let first = Infinity;
  for (const s of elf.sections) {
    if ((s.flags & SHF_ALLOC) === 0 || s.size === 0) continue;
    if (s.addr >= seg.vaddr && s.addr < seg.vaddr + seg.memsz) first = Math.min(first, s.addr - seg.vaddr);
  }
  return first === Infinity ? 0 : first;
}

/** Places the program in the board's RAM and sets up the hart as a reset would. */
export function loadBare(board: Board, bytes: Uint8Array): BareImageInfo {
  const elf = readElf(bytes);
  const img = loadImage(elf);
  const ram = board.ram;
  for (const seg of img.segments) {
    const skip = headerBytesToSkip(elf, seg, board);
    const start = seg.paddr + skip;
    const len = seg.memsz - skip;
    if (!ram.contains(start, len))
      throw new BareError(
        `segment ${seg.index} (${hex(start)}–${hex(start + len)}) lies outside RAM ` +
          `(${hex(ram.base)}–${hex(ram.base + ram.size)}); link bare-metal programs at 0x80000000`,
      );
    const data = seg.data.subarray(Math.min(skip, seg.data.length));
    ram.writeBytes(start, data);
    ram.fill(start + data.length, len - data.length, 0);
    board.hart.invalidateCode(start, len);
  }
  const hart = board.hart;
  hart.pc = img.entry >>> 0;
  hart.priv = PRIV_M;
  hart.x[10] = 0; // a0 = hart id
  hart.x[11] = 0; // a1 = device tree pointer (none)
  hart.hosted = false;
  hart.updateMode();
  if (img.tohost !== null) {
    if (!ram.contains(img.tohost, 8))
      throw new BareError(`the tohost symbol (${hex(img.tohost)}) is not in RAM`);
    board.setHtif(img.tohost, img.fromhost ?? undefined);
  }
  return { entry: img.entry, tohost: img.tohost, fromhost: img.fromhost };
}

export interface BareRunOptions {
  /** Stop (as an error) after this many instructions (trap entries count too). Default 10^10. */
  maxInstructions?: number;
  /** Instructions per `hart.run` call; between slices the runner checks for the end. */
  slice?: number;
  /** Each byte the program writes to the UART. */
  onOutput?: (byte: number) => void;
  board?: BoardConfig;
}

export type BareOutcome =
  | { kind: 'exit'; code: number; instructions: number }
  | { kind: 'error'; message: string; instructions: number };

export const DEFAULT_MAX_INSTRUCTIONS = 1e10;

/** Loads and runs a bare-metal ELF. Never throws: every failure is an `error` outcome. */
export function runBare(bytes: Uint8Array, opts: BareRunOptions = {}): BareOutcome {
  const max = opts.maxInstructions ?? DEFAULT_MAX_INSTRUCTIONS;
  const slice = opts.slice ?? 50_000_000;
  let board: Board | null = null;
  try {
    board = new Board(opts.board);
    if (opts.onOutput) board.uart.onOutput = opts.onOutput;
    const info = loadBare(board, bytes);
    const hart = board.hart;
    // Budget spent so far: retired instructions plus trap entries (the hart counts both, so a
    // trap storm that retires nothing still runs out).
    let spent = 0;
    for (;;) {
      const left = max - spent;
      if (left <= 0)
        return {
          kind: 'error',
          message:
            `the program ran past --max-instructions (${max})` +
            (info.tohost === null ? '; it has no tohost symbol, so it can only stop there' : ''),
          instructions: hart.instret,
        };
      const before = hart.instret;
      const budget = Math.min(slice, left);
      const r = hart.run(budget);
      spent += r === Exit.Budget ? budget : hart.instret - before;
      if (r === Exit.Halt || board.htifExitCode !== null) {
        return { kind: 'exit', code: board.htifExitCode ?? 0, instructions: hart.instret };
      }
      if (r === Exit.Wfi)
        return {
          kind: 'error',
          message: `the hart is waiting (wfi at ${hex(hart.pc)}) for an interrupt that can never arrive`,
          instructions: hart.instret,
        };
      if (r !== Exit.Budget)
        return {
          kind: 'error',
          message: `the hart stopped unexpectedly (exit ${r}, cause ${hex(hart.exitCause)}) at ${hex(hart.pc)}`,
          instructions: hart.instret,
        };
    }
  } catch (e) {
    const instructions = board?.hart.instret ?? 0;
    if (e instanceof ElfError) return { kind: 'error', message: `malformed ELF: ${e.message}`, instructions };
    if (e instanceof BareError) return { kind: 'error', message: e.message, instructions };
    const what = e instanceof Error ? e.message : String(e);
    return { kind: 'error', message: `internal error: ${what}`, instructions };
  }
}
