// A minimal user-mode host for static RISC-V programs (the Linux/Futura calling convention):
// the ELF is mapped with Sv32 at its link address, the hart runs in U-mode in hosted mode, and
// every exit from `hart.run` is served here: write/exit/brk-less syscalls, stack growth on page
// faults, and signals for the rest. It is what the differential tests and `futura bench` run
// programs on until the Futura kernel takes over.
import { loadImage, readElf, ElfError } from '../elf';
import { Board, type BoardConfig } from '../machine/board';
import { Exit } from '../machine/hart';
import { OutOfMemoryError, PAGE, Perm, UserSpace } from './user-space';

export const STACK_TOP = 0x7fff_0000;
/** The stack grows on demand down to this size (like a default 8 MiB rlimit). */
export const STACK_LIMIT = 8 * 1024 * 1024;
const STACK_INITIAL = 64 * 1024;

const SYS_READ = 63;
const SYS_WRITE = 64;
const SYS_EXIT = 93;
const SYS_EXIT_GROUP = 94;
const EBADF = 9;
const EFAULT = 14;
const ENOSYS = 38;
const SIGILL = 4;
const SIGTRAP = 5;
const SIGBUS = 7;
const SIGSEGV = 11;
const AT_PAGESZ = 6;
const AT_NULL = 0;
const MSTATUS = 0x300;
const MSTATUS_FS_INITIAL = 1 << 13;
const PRIV_U = 0;

export interface UserRunOptions {
  argv?: string[];
  /** Stop (as an error) after this many retired instructions. Default 10^10. */
  maxInstructions?: number;
  /** Instructions per `hart.run` call. */
  slice?: number;
  /** Bytes the program writes to fd 1 / fd 2 (default: collected in the result). */
  onStdout?: (bytes: Uint8Array) => void;
  onStderr?: (bytes: Uint8Array) => void;
  board?: BoardConfig;
}

export type UserOutcome =
  /** exit(code): status is code & 0xff, as a parent process sees it. */
  | { kind: 'exit'; status: number }
  | { kind: 'signal'; signal: number; message: string }
  /** The caller's poll function ended the run. */
  | { kind: 'stopped' }
  | { kind: 'error'; message: string };

export interface UserRunResult {
  outcome: UserOutcome;
  instructions: number;
  stdout: string;
  stderr: string;
}

function hex(n: number): string {
  return `0x${(n >>> 0).toString(16).padStart(8, '0')}`;
}

/** Writes argc, argv[], NULL, envp NULL, auxv and the strings; returns the initial sp. */
function buildStack(space: UserSpace, argv: string[]): number {
  space.mapRegion(STACK_TOP - STACK_INITIAL, STACK_INITIAL, Perm.R | Perm.W);
  const enc = new TextEncoder();
  let top = STACK_TOP;
  const ptrs: number[] = [];
  for (const arg of argv) {
    const bytes = enc.encode(`${arg}\0`);
    top -= bytes.length;
    space.write(top, bytes);
    ptrs.push(top);
  }
  const words = [argv.length, ...ptrs, 0, 0, AT_PAGESZ, PAGE, AT_NULL, 0];
  const sp = (top - words.length * 4) & ~15;
  const block = new Uint8Array(words.length * 4);
  const view = new DataView(block.buffer);
  words.forEach((w, i) => view.setUint32(i * 4, w >>> 0, true));
  space.write(sp, block);
  return sp >>> 0;
}

/** A loaded program ready to run: the board, its address space and the stack bounds. */
export class UserProcess {
  readonly board: Board;
  readonly space: UserSpace;
  private stackLow = STACK_TOP - STACK_INITIAL;
  private readonly out: Array<Array<Uint8Array>> = [[], [], []];
  private readonly sinks: Array<((b: Uint8Array) => void) | undefined>;

  constructor(bytes: Uint8Array, opts: UserRunOptions = {}) {
    this.board = new Board(opts.board);
    this.space = new UserSpace(this.board);
    this.sinks = [undefined, opts.onStdout, opts.onStderr];
    const img = loadImage(readElf(bytes));
    for (const seg of img.segments) {
      if (seg.vaddr < 0x1000 || seg.vaddr + seg.memsz > STACK_TOP - STACK_LIMIT)
        throw new ElfError(`segment ${seg.index} at ${hex(seg.vaddr)} is outside the user address range`);
      this.space.mapRegion(seg.vaddr, seg.memsz, seg.flags, seg.data);
    }
    const hart = this.board.hart;
    hart.hosted = true;
    hart.writeCsr(MSTATUS, hart.readCsr(MSTATUS) | MSTATUS_FS_INITIAL);
    hart.setSatp(this.space.satp);
    hart.priv = PRIV_U;
    hart.updateMode();
    hart.pc = img.entry >>> 0;
    hart.x[2] = buildStack(this.space, opts.argv ?? ['prog']);
  }

  /** The collected output of fd 1 or 2 (when no sink was given). */
  output(fd: 1 | 2): string {
    const chunks = this.out[fd]!;
    const total = chunks.reduce((n, c) => n + c.length, 0);
    const all = new Uint8Array(total);
    let o = 0;
    for (const c of chunks) {
      all.set(c, o);
      o += c.length;
    }
    return new TextDecoder().decode(all);
  }

  /** Serves one ecall; returns an outcome when the program ended. */
  private syscall(): UserOutcome | null {
    const x = this.board.hart.x;
    const nr = x[17]!;
    const [a0, a1, a2] = [x[10]!, x[11]! >>> 0, x[12]! >>> 0];
    let ret: number;
    switch (nr) {
      case SYS_EXIT:
      case SYS_EXIT_GROUP:
        return { kind: 'exit', status: a0 & 0xff };
      case SYS_WRITE: {
        if (a0 !== 1 && a0 !== 2) {
          ret = -EBADF;
          break;
        }
        const data = this.space.read(a1, a2);
        if (data === null) {
          ret = -EFAULT;
          break;
        }
        const sink = this.sinks[a0];
        if (sink) sink(data);
        else this.out[a0]!.push(data);
        ret = a2;
        break;
      }
      case SYS_READ:
        ret = a0 === 0 ? 0 : -EBADF; // stdin is empty
        break;
      default:
        ret = -ENOSYS;
    }
    x[10] = ret;
    this.board.hart.pc = (this.board.hart.pc + 4) >>> 0;
    return null;
  }

  /** Maps one more stack page when a fault lands in the growable stack region. */
  private growStack(addr: number): boolean {
    if (addr >= this.stackLow || addr < STACK_TOP - STACK_LIMIT) return false;
    const page = addr - (addr % PAGE);
    for (let p = page; p < this.stackLow; p += PAGE) this.space.mapPage(p, Perm.R | Perm.W);
    this.stackLow = page;
    return true;
  }

  /**
   * Runs until exit, a fatal signal, or the instruction limit. `poll`, called between slices
   * with the retired-instruction count, may stop the run early by returning false.
   */
  run(maxInstructions = 1e10, slice = 20_000_000, poll?: (instructions: number) => boolean): UserOutcome {
    const hart = this.board.hart;
    for (;;) {
      const left = maxInstructions - hart.instret;
      if (left <= 0)
        return { kind: 'error', message: `the program ran past ${maxInstructions} instructions` };
      const r = hart.run(Math.min(slice, left));
      switch (r) {
        case Exit.Budget:
        case Exit.Interrupt:
          if (poll && !poll(hart.instret)) return { kind: 'stopped' };
          continue;
        case Exit.Ecall: {
          const done = this.syscall();
          if (done) return done;
          continue;
        }
        case Exit.PageFault:
          if (this.growStack(hart.exitTval >>> 0)) continue;
          return this.signal(SIGSEGV, `page fault at ${hex(hart.exitTval)}`);
        case Exit.AccessFault:
          return this.signal(SIGSEGV, `access fault at ${hex(hart.exitTval)}`);
        case Exit.Illegal:
          return this.signal(SIGILL, `illegal instruction ${hex(hart.exitTval)}`);
        case Exit.Ebreak:
          return this.signal(SIGTRAP, 'breakpoint');
        case Exit.Misaligned:
          return this.signal(SIGBUS, `misaligned access at ${hex(hart.exitTval)}`);
        default:
          return { kind: 'error', message: `the hart stopped unexpectedly (exit ${r}) at ${hex(hart.pc)}` };
      }
    }
  }

  private signal(signal: number, what: string): UserOutcome {
    return { kind: 'signal', signal, message: `${what} (pc ${hex(this.board.hart.pc)})` };
  }
}

/** Loads and runs a static user program. Never throws: failures are `error` outcomes. */
export function runUser(bytes: Uint8Array, opts: UserRunOptions = {}): UserRunResult {
  let proc: UserProcess | null = null;
  let outcome: UserOutcome;
  try {
    proc = new UserProcess(bytes, opts);
    outcome = proc.run(opts.maxInstructions, opts.slice);
  } catch (e) {
    const message =
      e instanceof ElfError
        ? `malformed ELF: ${e.message}`
        : e instanceof OutOfMemoryError
          ? e.message
          : `internal error: ${e instanceof Error ? e.message : String(e)}`;
    outcome = { kind: 'error', message };
  }
  return {
    outcome,
    instructions: proc?.board.hart.instret ?? 0,
    stdout: proc?.output(1) ?? '',
    stderr: proc?.output(2) ?? '',
  };
}
