// The debugger as the session serves it: validated debug.* requests against the running kernel,
// programs found by the task's name among the boot image's executables (their ELF read once for
// symbols, lines and DWARF), results as the plain data of core/protocol/debug.
import type { Kernel } from '../../kernel/boot/kernel';
import { DebugRequestParams, type DebugMethod, type MemoryBlock } from '../../protocol/debug';
import { Debugger } from './debugger';
import { ProgramInfo } from './program-info';

export class DebugRequestError extends Error {}

function basename(path: string): string {
  const parts = path.split('/').filter(Boolean);
  return parts[parts.length - 1] ?? path;
}

export class DebugService {
  readonly debugger: Debugger;
  private readonly infos = new Map<string, ProgramInfo | null>();

  /** `programs`: executable files of the image by their path in the guest. */
  constructor(
    readonly kernel: Kernel,
    private readonly programs: ReadonlyMap<string, Uint8Array>,
  ) {
    this.debugger = new Debugger(kernel, (pid) => this.programOf(pid));
  }

  /** The program a task runs, by the name the kernel gave it (its executable's file name). */
  programOf(pid: number): ProgramInfo | undefined {
    const task = this.kernel.tasks.get(pid);
    if (!task) return undefined;
    const name = task.name;
    if (!this.infos.has(name)) {
      let info: ProgramInfo | null = null;
      for (const [path, bytes] of this.programs) {
        if (basename(path) !== name) continue;
        try {
          info = ProgramInfo.fromElf(bytes);
        } catch {
          info = null; // not an ELF we can read: no symbols, no lines
        }
        break;
      }
      this.infos.set(name, info);
    }
    return this.infos.get(name) ?? undefined;
  }

  private needTask(pid: number): void {
    const t = this.kernel.tasks.get(pid);
    if (!t || t.state !== 'alive') throw new DebugRequestError(`no live task with pid ${pid}`);
  }

  /** Serves one request; throws DebugRequestError for bad params or a task that is gone. */
  handle(method: DebugMethod, raw: unknown): unknown {
    const schema = DebugRequestParams[method];
    const parsed = schema.safeParse(raw);
    if (!parsed.success) throw new DebugRequestError(parsed.error.issues.map((i) => i.message).join('; '));
    const d = this.debugger;
    switch (method) {
      case 'debug.setBreakpoints': {
        const p = parsed.data as { breakpoints: Parameters<Debugger['setBreakpoints']>[0] };
        return d.setBreakpoints(p.breakpoints);
      }
      case 'debug.setWatchpoints': {
        const p = parsed.data as { watchpoints: Parameters<Debugger['setWatchpoints']>[0] };
        d.setWatchpoints(p.watchpoints);
        return {};
      }
      case 'debug.setEventStops':
        d.setEventStops(parsed.data as Parameters<Debugger['setEventStops']>[0]);
        return {};
      case 'debug.focus':
        d.focus = (parsed.data as { pid: number | null }).pid;
        return {};
      case 'debug.step': {
        const p = parsed.data as { pid: number; kind: 'into' | 'over' | 'out' | 'instruction' };
        this.needTask(p.pid);
        d.step(p.pid, p.kind);
        return {};
      }
      case 'debug.stackTrace': {
        const p = parsed.data as { pid: number };
        this.needTask(p.pid);
        return d.callStack(p.pid);
      }
      case 'debug.locals': {
        const p = parsed.data as { pid: number; frame?: number };
        this.needTask(p.pid);
        return d.locals(p.pid, p.frame ?? 0);
      }
      case 'debug.registers': {
        const p = parsed.data as { pid: number };
        this.needTask(p.pid);
        return d.registers(p.pid);
      }
      case 'debug.memory': {
        const p = parsed.data as { pid: number; address: number; length: number };
        this.needTask(p.pid);
        const bytes = d.memory(p.pid, p.address, p.length);
        if (!bytes) throw new DebugRequestError(`cannot read memory at 0x${p.address.toString(16)}`);
        const block: MemoryBlock = { address: p.address, hex: Buffer.from(bytes).toString('hex') };
        return block;
      }
      case 'debug.disassemble': {
        const p = parsed.data as { pid: number; address: number; count: number };
        this.needTask(p.pid);
        return d.disassemble(p.pid, p.address, p.count);
      }
      case 'debug.evaluate': {
        const p = parsed.data as { pid: number; expression: string };
        this.needTask(p.pid);
        const v = d.evaluate(p.pid, p.expression);
        return typeof v === 'string' ? { error: v } : { value: v };
      }
      case 'debug.symbol': {
        const p = parsed.data as { pid: number; name: string };
        const info = this.programOf(p.pid);
        const fn = info?.functionNamed(p.name);
        const data = info?.data.get(p.name);
        const addr = fn?.start ?? data?.addr;
        if (addr === undefined)
          throw new DebugRequestError(`no symbol '${p.name}' in pid ${p.pid}'s program`);
        return { address: addr, size: fn ? fn.end - fn.start : (data?.size ?? 0) };
      }
    }
  }
}
