// /dev/console as a TTY (ABI.md §Devices): canonical mode with echo — input is edited a line at a
// time (backspace/DEL erase a character, ^U the line), a read returns at most one line, ^D ends
// input (EOF at the start of a line, or hands over the partial line), ^C discards the line and
// interrupts the foreground task. Raw mode (canonical off) passes bytes straight through. It also
// keeps the terminal's window size (TIOCGWINSZ/TIOCSWINSZ, docs/tty.md).

import { TIOCGPGRP, TIOCGWINSZ, TIOCSPGRP, TIOCSWINSZ, WINSIZE_SIZE } from '../abi';
import { EINVAL, ENOTTY, ESRCH } from '../errno';
import { WaitQueue, type Blocked } from '../sched/waitq';
import type { CharDriver, OpenFile, UserMemory } from '../vfs';

const CTRL_C = 0x03;
const CTRL_D = 0x04;
const BS = 0x08;
const CTRL_U = 0x15;
const DEL = 0x7f;
const NL = 0x0a;
const CR = 0x0d;

export interface TtyOptions {
  /** Bytes to the terminal (echo and program output). */
  out: (bytes: Uint8Array) => void;
  /** Makes a thread taken off the read queue ready. */
  wake: (tid: number) => void;
  /** ^C: the kernel sends SIGINT to the foreground task. */
  onInterrupt?: () => void;
  /** Translate '\n' to '\r\n' on output (ONLCR), for real terminals. Default false. */
  onlcr?: boolean;
  /** TIOCSPGRP: true when a live process group with this id exists. */
  groupExists?: (pgid: number) => boolean;
  /** The window size changed (the kernel sends SIGWINCH to the foreground). */
  onResize?: () => void;
}

/** struct winsize: rows and columns in characters, the pixel sizes (0 when unknown). */
export interface WinSize {
  rows: number;
  cols: number;
  xpixel: number;
  ypixel: number;
}

export class TtyConsole implements CharDriver {
  readonly name = 'console';
  readonly readQ = new WaitQueue('console.read');
  canonical = true;
  echo = true;
  /** Foreground process group for ^C (TIOCSPGRP); 0 = none set. */
  pgrp = 0;
  /** The terminal's size; 80×24 until the host says otherwise. */
  private size: WinSize = { rows: 24, cols: 80, xpixel: 0, ypixel: 0 };
  /** Completed input: lines (or raw chunks); an empty chunk marked eof is a ^D. */
  private readonly ready: { bytes: number[]; eof: boolean }[] = [];
  private line: number[] = [];
  private ended = false;
  private readonly o: TtyOptions;

  constructor(o: TtyOptions) {
    this.o = o;
  }

  /** Host → guest keystrokes. */
  feed(bytes: Uint8Array): void {
    const echo: number[] = [];
    for (const b of bytes) {
      if (!this.canonical) {
        this.ready.push({ bytes: [b], eof: false });
        if (this.echo) echo.push(b);
        continue;
      }
      if (b === CTRL_C) {
        this.line = [];
        if (this.echo) echo.push(0x5e, 0x43, NL); // "^C\n"
        this.flushEcho(echo);
        this.o.onInterrupt?.();
      } else if (b === CTRL_D) {
        this.ready.push({ bytes: this.line, eof: this.line.length === 0 });
        this.line = [];
      } else if (b === BS || b === DEL) {
        if (this.line.length === 0) continue;
        // Erase one character: a UTF-8 lead byte and its continuation bytes.
        let c = this.line.pop()!;
        while ((c & 0xc0) === 0x80 && this.line.length) c = this.line.pop()!;
        if (this.echo) echo.push(BS, 0x20, BS);
      } else if (b === CTRL_U) {
        const chars = this.line.filter((c) => (c & 0xc0) !== 0x80).length;
        this.line = [];
        if (this.echo) for (let i = 0; i < chars; i++) echo.push(BS, 0x20, BS);
      } else {
        const c = b === CR ? NL : b;
        this.line.push(c);
        if (this.echo) echo.push(c);
        if (c === NL) {
          this.ready.push({ bytes: this.line, eof: false });
          this.line = [];
        }
      }
    }
    this.flushEcho(echo);
    if (this.ready.length) for (const t of this.readQ.wakeAll()) this.o.wake(t);
  }

  /** The host closed its input: reads of an empty console return 0 from now on. */
  endOfInput(): void {
    this.ended = true;
    for (const t of this.readQ.wakeAll()) this.o.wake(t);
  }

  /** Bytes a read could take now (for poll-like checks and the views). */
  get pending(): number {
    return this.ready.reduce((n, c) => n + c.bytes.length, 0);
  }

  read(_f: unknown, len: number): Uint8Array | number | Blocked {
    if (this.ready.length === 0) {
      if (this.ended) return new Uint8Array(0);
      return { blocked: this.readQ };
    }
    if (len === 0) return new Uint8Array(0);
    const first = this.ready[0]!;
    if (first.bytes.length === 0) {
      this.ready.shift(); // ^D: this read sees end of file
      return new Uint8Array(0);
    }
    const out: number[] = [];
    // Canonical: at most one line per read; raw: whatever is queued.
    while (out.length < len && this.ready.length) {
      const c = this.ready[0]!;
      if (c.bytes.length === 0) break;
      const take = c.bytes.splice(0, len - out.length);
      out.push(...take);
      if (c.bytes.length === 0) this.ready.shift();
      if (this.canonical) break;
    }
    return Uint8Array.from(out);
  }

  get winsize(): WinSize {
    return { ...this.size };
  }

  /** Sets the window size (host or TIOCSWINSZ); a change calls onResize. Values are u16s. */
  resize(next: WinSize): void {
    const s = {
      rows: next.rows & 0xffff,
      cols: next.cols & 0xffff,
      xpixel: next.xpixel & 0xffff,
      ypixel: next.ypixel & 0xffff,
    };
    const o = this.size;
    if (s.rows === o.rows && s.cols === o.cols && s.xpixel === o.xpixel && s.ypixel === o.ypixel) return;
    this.size = s;
    this.o.onResize?.();
  }

  /**
   * TIOCGPGRP / TIOCSPGRP: the foreground process group, through an int in user memory.
   * TIOCGWINSZ / TIOCSWINSZ: the window size, through a struct winsize.
   */
  ioctl(_f: OpenFile, req: number, arg: number, user: UserMemory): number {
    if (req === TIOCGPGRP) return user.copyOut(arg, new Uint8Array(new Int32Array([this.pgrp]).buffer));
    if (req === TIOCGWINSZ) {
      const s = this.size;
      return user.copyOut(arg, new Uint8Array(new Uint16Array([s.rows, s.cols, s.xpixel, s.ypixel]).buffer));
    }
    if (req === TIOCSWINSZ) {
      const b = user.copyIn(arg, WINSIZE_SIZE);
      if (typeof b === 'number') return b;
      const v = new DataView(b.buffer, b.byteOffset, WINSIZE_SIZE);
      const at = (i: number): number => v.getUint16(2 * i, true);
      this.resize({ rows: at(0), cols: at(1), xpixel: at(2), ypixel: at(3) });
      return 0;
    }
    if (req !== TIOCSPGRP) return -ENOTTY;
    const b = user.copyIn(arg, 4);
    if (typeof b === 'number') return b;
    const pgid = new DataView(b.buffer, b.byteOffset, 4).getInt32(0, true);
    if (pgid <= 0) return -EINVAL;
    if (!(this.o.groupExists?.(pgid) ?? false)) return -ESRCH;
    this.pgrp = pgid;
    return 0;
  }

  write(_f: unknown, data: Uint8Array): number {
    this.emit(data);
    return data.length;
  }

  private flushEcho(echo: number[]): void {
    if (echo.length) this.emit(Uint8Array.from(echo.splice(0)));
  }

  private emit(data: Uint8Array): void {
    if (!this.o.onlcr || !data.includes(NL)) {
      this.o.out(data.slice());
      return;
    }
    const out: number[] = [];
    for (const b of data) {
      if (b === NL) out.push(CR);
      out.push(b);
    }
    this.o.out(Uint8Array.from(out));
  }
}
