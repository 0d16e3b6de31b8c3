// The GDB remote protocol's commands over a DebugTarget: registers, memory, breakpoints, step and
// continue, with stop replies. Transport-free: feed it packets, it answers through `send`.

import { bytesToHex, hexToBytes, toLatin1 } from './packets';
import { G_LAYOUT, targetXml } from './target-xml';

export type StopReason =
  | { kind: 'breakpoint'; thread?: number; hw?: boolean }
  | { kind: 'watch'; thread?: number; address: number }
  | { kind: 'step'; thread?: number }
  | { kind: 'interrupt'; thread?: number }
  | { kind: 'exited'; code: number }
  | { kind: 'signalled'; signal: number };

/** Z/z types: 0 software, 1 hardware breakpoint, 2 write, 3 read, 4 access watchpoint. */
export type PointType = 0 | 1 | 2 | 3 | 4;

export interface ResumeControl {
  /** The stub's own breakpoint set, for targets without insertPoint. */
  readonly breakpoints: ReadonlySet<number>;
  /** The thread a step is for (vCont;s:TID), when GDB named one. */
  readonly thread?: number;
  /** True once the debugger asked to interrupt (Ctrl+C). Checked between slices. */
  interrupted(): boolean;
}

/** What the stub debugs: a machine, one task, or a bare hart. Register values are unsigned bigints. */
export interface DebugTarget {
  readRegister(regnum: number): bigint | null;
  writeRegister(regnum: number, value: bigint): boolean;
  readMemory(addr: number, len: number): Uint8Array | null;
  writeMemory(addr: number, bytes: Uint8Array): boolean;
  resume(mode: 'step' | 'continue', ctl: ResumeControl): Promise<StopReason>;
  kill(): void;
  /** Breakpoints and watchpoints the target keeps itself: true set, false failed, null unsupported. */
  insertPoint?(type: PointType, addr: number, kind: number): boolean | null;
  removePoint?(type: PointType, addr: number, kind: number): boolean | null;
  /** Threads (ids > 0); without these the target is one thread, id 1. */
  threads?(): number[];
  threadAlive?(tid: number): boolean;
  threadInfo?(tid: number): string;
  currentThread?(): number;
  /** Hg / Hc: tid 0 or -1 mean any thread. False when there is no such thread. */
  selectThread?(op: 'g' | 'c', tid: number): boolean;
  /** The session is over (detach, kill, disconnect): undo whatever the target put in the machine. */
  detach?(): void;
  /** GDB's `monitor CMD` (qRcmd): text for the debugger's console. */
  monitor?(command: string): string;
}

/** Linux signal numbers to GDB's (they differ from SIGBUS on). */
function gdbSignal(sig: number): number {
  const map: Record<number, number> = { 7: 10, 10: 30, 12: 31, 17: 20 };
  return map[sig] ?? sig;
}

function hex2(n: number): string {
  return (n & 0xff).toString(16).padStart(2, '0');
}

/** Little-endian hex of a register value `bytes` wide. */
function regHex(v: bigint, bytes: number): string {
  let s = '';
  for (let i = 0; i < bytes; i++) s += hex2(Number((v >> BigInt(8 * i)) & 0xffn));
  return s;
}

function parseRegHex(s: string): bigint | null {
  const b = hexToBytes(s);
  if (!b) return null;
  let v = 0n;
  for (let i = b.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]!);
  return v;
}

const MAX_MEMORY_READ = 0x10000;

export class GdbStub {
  readonly breakpoints = new Set<number>();
  /** Acknowledgements are off after QStartNoAckMode. */
  noAck = false;
  private lastStop: StopReason | null = null;
  private running = false;
  private idle: Promise<void> = Promise.resolve();
  private interruptRequested = false;
  private ended = false;

  constructor(
    private readonly target: DebugTarget,
    private readonly send: (payload: string | Uint8Array) => void,
    private readonly onEnd: (how: 'killed' | 'detached' | 'ended') => void = () => {},
  ) {}

  get isRunning(): boolean {
    return this.running;
  }

  interrupt(): void {
    if (this.running) this.interruptRequested = true;
  }

  /** Stops a running target (the debugger went away) and resolves once it has stopped. */
  async quiesce(): Promise<void> {
    this.ended = true;
    this.interrupt();
    await this.idle;
  }

  /** Handles one packet; resume commands answer later, when the target stops. */
  handle(packet: Uint8Array): void {
    if (this.ended) return;
    const text = toLatin1(packet);
    if (this.running) return; // GDB sends nothing but ^C while the target runs
    const reply = this.command(text, packet);
    if (reply !== null) this.send(reply);
  }

  private stopReply(r: StopReason): string {
    const th = 'thread' in r && r.thread !== undefined ? `thread:${r.thread.toString(16)};` : '';
    switch (r.kind) {
      case 'breakpoint':
        return `T05${th}${r.hw ? 'hwbreak' : 'swbreak'}:;`;
      case 'watch':
        return `T05${th}watch:${(r.address >>> 0).toString(16)};`;
      case 'step':
        return th ? `T05${th}` : 'S05';
      case 'interrupt':
        return th ? `T02${th}` : 'S02';
      case 'exited':
        return `W${hex2(r.code)}`;
      case 'signalled':
        return `X${hex2(gdbSignal(r.signal))}`;
    }
  }

  private threadList(): number[] {
    return this.target.threads?.() ?? [1];
  }

  /** Thread ids in packets: hex, with 0 (any) and -1 (all). */
  private static tid(s: string): number {
    if (s === '-1') return -1;
    const n = parseInt(s, 16);
    return Number.isFinite(n) ? n : 0;
  }

  private threadCommand(c: string, text: string): string | null {
    if (c === 'H') {
      const op = text[1];
      if (op !== 'g' && op !== 'c') return 'OK';
      const ok = this.target.selectThread?.(op, GdbStub.tid(text.slice(2))) ?? true;
      return ok ? 'OK' : 'E01';
    }
    if (c === 'T') {
      const alive = this.target.threadAlive?.(GdbStub.tid(text.slice(1))) ?? true;
      return alive ? 'OK' : 'E01';
    }
    if (text.startsWith('qThreadExtraInfo,')) {
      const info = this.target.threadInfo?.(GdbStub.tid(text.slice(17))) ?? 'main';
      return bytesToHex(new TextEncoder().encode(info));
    }
    return null;
  }

  private command(text: string, raw: Uint8Array): string | null {
    const c = text[0] ?? '';
    if (text.startsWith('qSupported'))
      return 'PacketSize=4000;qXfer:features:read+;swbreak+;hwbreak+;QStartNoAckMode+;vContSupported+';
    if (text === 'QStartNoAckMode') {
      queueMicrotask(() => (this.noAck = true)); // the OK itself is still acknowledged
      return 'OK';
    }
    if (text.startsWith('qXfer:features:read:target.xml:')) return this.xfer(text.slice(31));
    if (text.startsWith('qXfer:')) return 'E00';
    if (text.startsWith('qRcmd,')) {
      const cmd = hexToBytes(text.slice(6));
      if (!cmd || !this.target.monitor) return '';
      return bytesToHex(new TextEncoder().encode(this.target.monitor(toLatin1(cmd).trim())));
    }
    switch (text) {
      case '?':
        return this.stopReply(this.lastStop ?? { kind: 'step', thread: this.target.currentThread?.() });
      case 'qC':
        return `QC${(this.target.currentThread?.() ?? 1).toString(16)}`;
      case 'qfThreadInfo':
        return `m${this.threadList()
          .map((t) => t.toString(16))
          .join(',')}`;
      case 'qsThreadInfo':
        return 'l';
      case 'qAttached':
        return '1';
      case 'qSymbol::':
        return 'OK';
      case 'vCont?':
        return 'vCont;c;C;s;S';
      case 'g':
        return G_LAYOUT.map(({ regnum, bytes }) =>
          regHex(this.target.readRegister(regnum) ?? 0n, bytes),
        ).join('');
      case 'k':
        this.finish('killed');
        return null;
    }
    if (text.startsWith('vKill')) {
      this.finish('killed');
      return 'OK';
    }
    if (c === 'D') {
      this.send('OK');
      this.finish('detached');
      return null;
    }
    const threadReply = this.threadCommand(c, text);
    if (threadReply !== null) return threadReply;
    if (c === 'p') return this.readReg(text.slice(1));
    if (c === 'P') return this.writeReg(text.slice(1));
    if (c === 'G') return this.writeAll(text.slice(1));
    if (c === 'm') return this.readMem(text.slice(1));
    if (c === 'M') return this.writeMemHex(text.slice(1));
    if (c === 'X') return this.writeMemBinary(raw);
    if (c === 'Z' || c === 'z') return this.breakpoint(c === 'Z', text.slice(1));
    if (c === 'c' || c === 'C') return this.resume('continue', text.slice(1));
    if (c === 's' || c === 'S') return this.resume('step', text.slice(1));
    if (text.startsWith('vCont;')) {
      const actions = text.slice(6).split(';');
      const step = actions.find((a) => a[0] === 's' || a[0] === 'S');
      if (!step) return this.resume('continue', '');
      const colon = step.indexOf(':');
      const tid = colon < 0 ? undefined : GdbStub.tid(step.slice(colon + 1));
      return this.resume('step', '', tid !== undefined && tid > 0 ? tid : undefined);
    }
    return ''; // unsupported: the empty reply
  }

  private xfer(args: string): string {
    const m = /^([0-9a-fA-F]+),([0-9a-fA-F]+)$/.exec(args);
    if (!m) return 'E01';
    const xml = targetXml();
    const off = parseInt(m[1]!, 16);
    const len = parseInt(m[2]!, 16);
    const chunk = xml.slice(off, off + len);
    return (off + len >= xml.length ? 'l' : 'm') + chunk;
  }

  private readReg(arg: string): string {
    const n = parseInt(arg, 16);
    const slot = G_LAYOUT.find((r) => r.regnum === n);
    const v = this.target.readRegister(n);
    if (!slot || v === null) return 'E45';
    return regHex(v, slot.bytes);
  }

  private writeReg(arg: string): string {
    const [num, val] = arg.split('=');
    const n = parseInt(num ?? '', 16);
    const v = parseRegHex(val ?? '');
    if (!Number.isFinite(n) || v === null) return 'E01';
    return this.target.writeRegister(n, v) ? 'OK' : 'E45';
  }

  private writeAll(hex: string): string {
    let at = 0;
    for (const { regnum, bytes } of G_LAYOUT) {
      if (at + bytes * 2 > hex.length) break;
      const v = parseRegHex(hex.slice(at, at + bytes * 2));
      if (v === null) return 'E01';
      this.target.writeRegister(regnum, v);
      at += bytes * 2;
    }
    return 'OK';
  }

  private addrLen(s: string): [number, number] | null {
    const m = /^([0-9a-fA-F]+),([0-9a-fA-F]+)/.exec(s);
    if (!m) return null;
    return [parseInt(m[1]!, 16) >>> 0, parseInt(m[2]!, 16)];
  }

  private readMem(arg: string): string {
    const al = this.addrLen(arg);
    if (!al) return 'E01';
    const bytes = this.target.readMemory(al[0], Math.min(al[1], MAX_MEMORY_READ));
    return bytes ? bytesToHex(bytes) : 'E14';
  }

  private writeMemHex(arg: string): string {
    const al = this.addrLen(arg);
    const colon = arg.indexOf(':');
    const data = colon < 0 ? null : hexToBytes(arg.slice(colon + 1));
    if (!al || !data || data.length !== al[1]) return 'E01';
    return this.target.writeMemory(al[0], data) ? 'OK' : 'E14';
  }

  private writeMemBinary(raw: Uint8Array): string {
    const colon = raw.indexOf(0x3a);
    if (colon < 0) return 'E01';
    const al = this.addrLen(toLatin1(raw.subarray(1, colon)));
    const data = raw.subarray(colon + 1);
    if (!al || data.length !== al[1]) return 'E01';
    if (al[1] === 0) return 'OK'; // GDB probes X support with an empty write
    return this.target.writeMemory(al[0], data) ? 'OK' : 'E14';
  }

  private breakpoint(insert: boolean, arg: string): string {
    const m = /^([0-4]),([0-9a-fA-F]+),([0-9a-fA-F]+)/.exec(arg);
    if (!m) return 'E01';
    const type = Number(m[1]) as PointType;
    const addr = parseInt(m[2]!, 16) >>> 0;
    const kind = parseInt(m[3]!, 16);
    const t = this.target;
    if (t.insertPoint && t.removePoint) {
      const r = insert ? t.insertPoint(type, addr, kind) : t.removePoint(type, addr, kind);
      return r === null ? '' : r ? 'OK' : 'E01';
    }
    if (type > 1) return ''; // watchpoints need a target that keeps them
    if (insert) this.breakpoints.add(addr);
    else this.breakpoints.delete(addr);
    return 'OK';
  }

  private resume(mode: 'step' | 'continue', addrArg: string, thread?: number): null {
    if (addrArg && /^[0-9a-fA-F]+$/.test(addrArg))
      this.target.writeRegister(32, BigInt(parseInt(addrArg, 16)));
    this.running = true;
    this.interruptRequested = false;
    const ctl: ResumeControl = {
      breakpoints: this.breakpoints,
      ...(thread === undefined ? {} : { thread }),
      interrupted: () => this.interruptRequested,
    };
    const done = this.target.resume(mode, ctl).then(
      (r) => {
        this.running = false;
        this.lastStop = r;
        if (this.ended) return;
        this.send(this.stopReply(r));
        if (r.kind === 'exited' || r.kind === 'signalled') this.finish('ended');
      },
      () => {
        this.running = false;
        if (!this.ended) this.send('X06');
        this.finish('killed');
      },
    );
    this.idle = done;
    return null;
  }

  private finish(how: 'killed' | 'detached' | 'ended'): void {
    if (this.ended) return;
    this.ended = true;
    if (how === 'killed') this.target.kill();
    this.onEnd(how);
  }
}
