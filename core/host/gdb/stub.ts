// The GDB remote protocol's commands over a DebugTarget: registers, memory, breakpoints, step and
// continue, with stop replies. Transport-free: feed it packets, it answers through `send`.

import { bytesToHex, hexToBytes, toLatin1 } from './packets';
import { G_LAYOUT, targetXml } from './target-xml';

export type StopReason =
  | { kind: 'breakpoint' }
  | { kind: 'step' }
  | { kind: 'interrupt' }
  | { kind: 'exited'; code: number }
  | { kind: 'signalled'; signal: number };

export interface ResumeControl {
  readonly breakpoints: ReadonlySet<number>;
  /** True once the debugger asked to interrupt (Ctrl+C). Checked between slices. */
  interrupted(): boolean;
}

/** What the stub debugs: one task (or a bare hart). Register values are unsigned bigints. */
export interface DebugTarget {
  readRegister(regnum: number): bigint | null;
  writeRegister(regnum: number, value: bigint): boolean;
  readMemory(addr: number, len: number): Uint8Array | null;
  writeMemory(addr: number, bytes: Uint8Array): boolean;
  resume(mode: 'step' | 'continue', ctl: ResumeControl): Promise<StopReason>;
  kill(): void;
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
  private lastStop: StopReason = { kind: 'step' };
  private running = false;
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

  /** Handles one packet; resume commands answer later, when the target stops. */
  handle(packet: Uint8Array): void {
    if (this.ended) return;
    const text = toLatin1(packet);
    if (this.running) return; // GDB sends nothing but ^C while the target runs
    const reply = this.command(text, packet);
    if (reply !== null) this.send(reply);
  }

  private stopReply(r: StopReason): string {
    switch (r.kind) {
      case 'breakpoint':
        return 'T05swbreak:;';
      case 'step':
        return 'S05';
      case 'interrupt':
        return 'S02';
      case 'exited':
        return `W${hex2(r.code)}`;
      case 'signalled':
        return `X${hex2(gdbSignal(r.signal))}`;
    }
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
    switch (text) {
      case '?':
        return this.stopReply(this.lastStop);
      case 'qC':
        return 'QC1';
      case 'qfThreadInfo':
        return 'm1';
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
    if (c === 'H' || c === 'T') return 'OK';
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
      const step = actions.some((a) => a[0] === 's' || a[0] === 'S');
      return this.resume(step ? 'step' : 'continue', '');
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
    const type = Number(m[1]);
    if (type > 1) return ''; // watchpoints: not through the stub yet
    const addr = parseInt(m[2]!, 16) >>> 0;
    if (insert) this.breakpoints.add(addr);
    else this.breakpoints.delete(addr);
    return 'OK';
  }

  private resume(mode: 'step' | 'continue', addrArg: string): null {
    if (addrArg && /^[0-9a-fA-F]+$/.test(addrArg))
      this.target.writeRegister(32, BigInt(parseInt(addrArg, 16)));
    this.running = true;
    this.interruptRequested = false;
    const ctl: ResumeControl = {
      breakpoints: this.breakpoints,
      interrupted: () => this.interruptRequested,
    };
    void this.target.resume(mode, ctl).then(
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
    return null;
  }

  private finish(how: 'killed' | 'detached' | 'ended'): void {
    if (this.ended) return;
    this.ended = true;
    if (how === 'killed') this.target.kill();
    this.onEnd(how);
  }
}
