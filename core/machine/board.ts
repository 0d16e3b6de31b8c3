// The board of ABI.md: RAM at 0x8000_0000, CLINT, 16550 UART, framebuffer and HTIF tohost, wired
// to one hart.
import { Clint } from './clint';
import { Framebuffer } from './framebuffer';
import { Hart, type Engine } from './hart';
import { createJit } from './jit/engine';
import { DEFAULT_RAM_SIZE, PhysicalBus, PhysicalMemory } from './memory';
import { PF_HOOK } from './mmu';
import { Uart } from './uart';

export interface BoardConfig {
  ramSize?: number;
  instructionsPerTick?: number;
  fbWidth?: number;
  fbHeight?: number;
  /** Execution engine: the translator (default) or the plain interpreter. */
  engine?: Engine;
  /** Translator: entries into a code page before it is compiled (0 = at once; tests use it). */
  jitHotThreshold?: number;
}

export class Board {
  readonly ram: PhysicalMemory;
  readonly bus: PhysicalBus;
  readonly hart: Hart;
  readonly clint: Clint;
  readonly uart: Uart;
  readonly fb: Framebuffer;
  private exitCode: number | null = null;
  private tohost = -1;
  private fromhost = -1;

  constructor(config: BoardConfig = {}) {
    this.ram = new PhysicalMemory(config.ramSize ?? DEFAULT_RAM_SIZE);
    this.bus = new PhysicalBus(this.ram);
    this.clint = new Clint(config.instructionsPerTick ?? 100);
    this.uart = new Uart();
    this.fb = new Framebuffer(config.fbWidth ?? 800, config.fbHeight ?? 600);
    this.bus.attach(this.clint);
    this.bus.attach(this.uart);
    this.bus.attach(this.fb);
    this.hart = new Hart(this.bus, { clint: this.clint });
    if ((config.engine ?? 'jit') === 'jit') this.hart.setEngine(createJit(this.hart, config.jitHotThreshold));
    this.hart.mmu.onHookWrite = (off, width) => this.onHookWrite(off, width);
  }

  get htifExitCode(): number | null {
    return this.exitCode;
  }

  /** Watches the RAM word `tohost`: its first non-zero store ends the run (exit = value >>> 1). */
  setHtif(tohost: number, fromhost?: number): void {
    if (!this.ram.contains(tohost, 8))
      throw new RangeError(`tohost 0x${(tohost >>> 0).toString(16)} is not in RAM`);
    this.tohost = tohost >>> 0;
    this.fromhost = fromhost === undefined ? -1 : fromhost >>> 0;
    this.hart.mmu.protectPage(this.ram.offset(this.tohost) >>> 12, PF_HOOK);
  }

  get fromhostAddr(): number {
    return this.fromhost;
  }

  private onHookWrite(off: number, width: number): void {
    if (this.tohost < 0 || this.exitCode !== null) return;
    const t = this.ram.offset(this.tohost);
    if (off >= t + 8 || off + width <= t) return;
    const lo = this.ram.read32(this.tohost);
    if (lo === 0) return;
    this.exitCode = lo >>> 1;
    this.hart.halt();
  }
}
