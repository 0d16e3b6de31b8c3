// The debugger's side of the workbench controller: gutter breakpoints sent to the session (which
// keeps them across boots), and on each stop the call stack, locals, registers and disassembly
// fetched, the stopped line opened in the editor. DOM-free like the Studio that owns it.
import type {
  BreakpointSpec,
  BreakpointState,
  DisassemblyLine,
  MemoryBlock,
  RegisterSet,
  StackFrame,
  StopEvent,
  Variable,
} from '../../../core/protocol/debug';
import type { Method, ParamsOf } from '../../../core/protocol/messages';
import type { AppState, DebugState } from '../state/app-state';
import type { Store } from '../state/store';
import { GdbSwitch } from './gdb-switch';

/** What the controller needs of the Studio: requests (null on failure, reported) and navigation. */
export interface DebugHost {
  readonly store: Store<AppState>;
  request<M extends Method>(method: M, params: ParamsOf<M>): Promise<unknown>;
  open(path: string, line: number): void;
}

const DISASSEMBLY_BEFORE = 8;
const DISASSEMBLY_COUNT = 40;

/** The workspace path naming the same file as `file` (a compiler's path: absolute or relative). */
export function workspacePathFor(file: string, paths: readonly string[]): string | null {
  const f = file.replace(/\\/g, '/');
  let best: string | null = null;
  for (const p of paths) {
    if (f === p || f.endsWith(`/${p}`)) {
      if (!best || p.length > best.length) best = p;
    }
  }
  return best;
}

export class DebugController {
  /** The GDB stub switch (machine.gdb) and its status. */
  readonly gdb: GdbSwitch;

  constructor(private readonly host: DebugHost) {
    this.gdb = new GdbSwitch((method, params) => host.request(method, params));
  }

  private get state(): DebugState {
    return this.host.store.get().debug;
  }

  private set(patch: Partial<DebugState>): void {
    this.host.store.update((s) => ({ debug: { ...s.debug, ...patch } }));
  }

  hasBreakpoint(path: string, line: number): boolean {
    return (this.state.breakpoints[path] ?? []).includes(line);
  }

  async toggleBreakpoint(path: string, line: number): Promise<void> {
    const cur = this.state.breakpoints[path] ?? [];
    const next = cur.includes(line) ? cur.filter((l) => l !== line) : [...cur, line].sort((a, b) => a - b);
    const breakpoints = { ...this.state.breakpoints };
    if (next.length) breakpoints[path] = next;
    else delete breakpoints[path];
    this.set({ breakpoints });
    await this.sync();
  }

  /** Sends every breakpoint; the session resolves them in each program that has the file. */
  async sync(): Promise<void> {
    const specs: BreakpointSpec[] = [];
    for (const [file, lines] of Object.entries(this.state.breakpoints))
      for (const line of lines) specs.push({ file, line });
    const r = (await this.host.request('debug.setBreakpoints', { breakpoints: specs })) as
      BreakpointState[] | null;
    if (r) this.set({ resolved: r });
  }

  /** A breakpoint's line as the session resolved it (it moves to the next line with code). */
  resolvedLine(path: string, line: number): number | undefined {
    return this.state.resolved.find((b) => b.spec.file === path && b.spec.line === line)?.line;
  }

  async onStopped(stop: StopEvent): Promise<void> {
    const paths = this.host.store
      .get()
      .files.filter((f) => f.kind === 'file')
      .map((f) => f.path);
    const stopPath = stop.location ? workspacePathFor(stop.location.file, paths) : null;
    const previous = this.state.registers;
    this.set({ stop, stopPath, frame: 0, previous });
    if (stopPath && stop.location) this.host.open(stopPath, stop.location.line);
    const pid = stop.pid;
    const [frames, registers] = await Promise.all([
      this.host.request('debug.stackTrace', { pid }) as Promise<StackFrame[] | null>,
      this.host.request('debug.registers', { pid }) as Promise<RegisterSet | null>,
    ]);
    this.set({ frames: frames ?? [], registers });
    await Promise.all([this.loadLocals(0), this.loadDisassembly(stop.pc)]);
    const sp = registers?.x[2];
    if (sp !== undefined && !this.state.memory) await this.showMemory(sp);
  }

  /** The machine runs again (or is off): the stop's views go stale. */
  onRunning(): void {
    if (this.state.stop) this.set({ stop: null, stopPath: null });
  }

  onOff(): void {
    this.set({
      stop: null,
      stopPath: null,
      frames: [],
      locals: [],
      registers: null,
      previous: null,
      disassembly: [],
      memory: null,
    });
  }

  async selectFrame(index: number): Promise<void> {
    const f = this.state.frames[index];
    if (!f) return;
    this.set({ frame: index });
    const paths = this.host.store.get().files.map((x) => x.path);
    const path = f.location ? workspacePathFor(f.location.file, paths) : null;
    if (path && f.location) this.host.open(path, f.location.line);
    await Promise.all([this.loadLocals(index), this.loadDisassembly(f.pc)]);
  }

  private async loadLocals(frame: number): Promise<void> {
    const stop = this.state.stop;
    if (!stop) return;
    const locals = (await this.host.request('debug.locals', { pid: stop.pid, frame })) as Variable[] | null;
    this.set({ locals: locals ?? [] });
  }

  private async loadDisassembly(pc: number): Promise<void> {
    const stop = this.state.stop;
    if (!stop) return;
    const start = Math.max(0, pc - DISASSEMBLY_BEFORE * 2) & ~1;
    const lines = (await this.host.request('debug.disassemble', {
      pid: stop.pid,
      address: start,
      count: DISASSEMBLY_COUNT,
    })) as DisassemblyLine[] | null;
    this.set({ disassembly: lines ?? [] });
  }

  /** Shows memory at an address, a symbol's address, or a pointer's target ("*expr"). */
  async goToMemory(where: string): Promise<void> {
    const stop = this.state.stop;
    if (!stop) return;
    const text = where.trim();
    let address: number | null = null;
    if (/^(0x[0-9a-f]+|\d+)$/i.test(text)) address = Number(text);
    else {
      const sym = (await this.host.request('debug.symbol', { pid: stop.pid, name: text })) as {
        address: number;
      } | null;
      if (sym) address = sym.address;
      else {
        const v = (await this.host.request('debug.evaluate', { pid: stop.pid, expression: text })) as {
          value?: number;
          error?: string;
        } | null;
        if (v?.value !== undefined) address = v.value >>> 0;
        else {
          this.set({ memoryError: v?.error ?? `cannot find '${text}'` });
          return;
        }
      }
    }
    await this.showMemory(address);
  }

  async showMemory(address: number): Promise<void> {
    const stop = this.state.stop;
    if (!stop) return;
    const block = (await this.host.request('debug.memory', {
      pid: stop.pid,
      address: address >>> 0,
      length: 256,
    })) as MemoryBlock | null;
    this.set(
      block
        ? { memory: block, memoryError: null }
        : { memoryError: `cannot read memory at 0x${(address >>> 0).toString(16)}` },
    );
  }

  async step(kind: 'into' | 'over' | 'out' | 'instruction'): Promise<boolean> {
    const stop = this.state.stop;
    if (!stop) return false;
    await this.host.request('debug.step', { pid: stop.pid, kind });
    return true;
  }
}
