// Bare-metal runs on the board: load an ELF's PT_LOAD segments into RAM at their physical
// addresses, start the hart in M-mode at the entry point, and run until the program writes
// `tohost` (HTIF exit), an instruction limit is reached, or the hart can make no progress.
// No Node APIs here, so the same code serves the CLI, tests and (later) the host session.
import { ElfError, loadImage, readElf } from '../elf';
import type { ElfFile, LoadSegment } from '../elf';
import { SHF_ALLOC } from '../elf/constants';
import { Board, type BoardConfig } from '../machine/board';
import { PRIV_S } from '../machine/csr';
import { Exit, type Hart } from '../machine/hart';

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
  /** Most instructions per `hart.run` call; between slices the runner checks for the end. */
  slice?: number;
  /** Each byte the program writes to the UART. */
  onOutput?: (byte: number) => void;
  board?: BoardConfig;
}

export type BareOutcome =
  | { kind: 'exit'; code: number; instructions: number }
  | { kind: 'error'; message: string; instructions: number };

export const DEFAULT_MAX_INSTRUCTIONS = 1e10;
/** Trap entries in a row without a retired instruction that count as a trap loop. */
const STUCK_TRAPS = 1000;
const SHORT_SLICE = 10_000;

const CAUSES = [
  'instruction address misaligned',
  'instruction access fault',
  'illegal instruction',
  'breakpoint',
  'load address misaligned',
  'load access fault',
  'store address misaligned',
  'store access fault',
  'ecall from U-mode',
  'ecall from S-mode',
  '',
  'ecall from M-mode',
  'instruction page fault',
  'load page fault',
  '',
  'store page fault',
];

/** Names the trap that keeps repeating, from the CSRs of the mode that takes it. */
function trapLoopMessage(hart: Hart): string {
  const s = hart.priv === PRIV_S;
  const [cause, epc, tval, tvec] = s
    ? [hart.scause, hart.sepc, hart.stval, hart.stvec]
    : [hart.mcause, hart.mepc, hart.mtval, hart.mtvec];
  const p = s ? 's' : 'm';
  const name = cause >>> 31 === 0 ? CAUSES[cause] || `cause ${cause}` : `interrupt ${cause & 0x7fff_ffff}`;
  return (
    `the hart is stuck in a trap loop (traps without a retired instruction): ${name} ` +
    `(${p}cause ${cause >>> 0}) at ${p}epc ${hex(epc)}, ${p}tval ${hex(tval)}, ${p}tvec ${hex(tvec)}; ` +
    `point ${p}tvec at a handler in RAM`
  );
}

/** Loads and runs a bare-metal ELF. Never throws: every failure is an `error` outcome. */
export function runBare(bytes: Uint8Array, opts: BareRunOptions = {}): BareOutcome {
  const max = opts.maxInstructions ?? DEFAULT_MAX_INSTRUCTIONS;
  const slice = opts.slice ?? 1_000_000;
  let board: Board | null = null;
  try {
    board = new Board(opts.board);
    if (opts.onOutput) board.uart.onOutput = opts.onOutput;
    const info = loadBare(board, bytes);
    const hart = board.hart;
    // Budget spent so far: retired instructions plus trap entries (the hart counts both, so a
    // trap storm that retires nothing still runs out).
    let spent = 0;
    let next = Math.min(slice, SHORT_SLICE);
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
      const budget = Math.min(next, left);
      const r = hart.run(budget);
      const retired = hart.instret - before;
      spent += r === Exit.Budget ? budget : retired;
      // Slices grow while code runs and shrink while traps dominate, so a trap loop is found
      // after a few thousand trap entries instead of a whole long slice.
      next = retired >= budget / 2 ? Math.min(slice, next * 4) : Math.min(slice, SHORT_SLICE);
      if (r === Exit.Halt || board.htifExitCode !== null) {
        return { kind: 'exit', code: board.htifExitCode ?? 0, instructions: hart.instret };
      }
      if (r === Exit.Wfi)
        return {
          kind: 'error',
          message: `the hart is waiting (wfi at ${hex(hart.pc)}) for an interrupt that can never arrive`,
          instructions: hart.instret,
        };
      // A whole slice of trap entries without one retired instruction: the handler's first
      // fetch traps again (no vector, or one in unmapped memory), which nothing can end.
      if (r === Exit.Budget && retired === 0 && budget >= STUCK_TRAPS)
        return { kind: 'error', message: trapLoopMessage(hart), instructions: hart.instret };
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
