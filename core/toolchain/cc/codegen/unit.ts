// Per-translation-unit state shared by every function's code generator: options, the pool of
// floating-point constants (.rodata) and the `.file` numbers for line information.

import type { Loc } from '../token';

export interface CodegenOptions {
  /** 0: the plain stack-machine scheme; 1+: register locals, folding, immediates, peephole. */
  optLevel?: number;
  /** Emit `.file`/`.loc` line information and DWARF .debug_info. */
  debug?: boolean;
  /** -g: the compilation directory recorded in the debug information. */
  compDir?: string;
}

interface Emitter {
  emit(s: string): void;
}

export class UnitCtx {
  readonly opt: number;
  readonly debug: boolean;
  private consts = new Map<string, string>();
  private constLines: string[] = [];
  private files = new Map<string, number>();
  readonly fileLines: string[] = [];
  private lastLoc = '';

  constructor(opts: CodegenOptions) {
    this.opt = opts.optLevel ?? 0;
    this.debug = !!opts.debug;
  }

  /** Label of a float (4 bytes) or double (8 bytes) constant in .rodata. */
  fconst(value: number, size: 4 | 8): string {
    const dv = new DataView(new ArrayBuffer(8));
    if (size === 4) dv.setFloat32(0, value, true);
    else dv.setFloat64(0, value, true);
    const words = size === 4 ? [dv.getUint32(0, true)] : [dv.getUint32(0, true), dv.getUint32(4, true)];
    const key = `${size}:${words.join(',')}`;
    let l = this.consts.get(key);
    if (!l) {
      l = `.LF${this.consts.size}`;
      this.consts.set(key, l);
      this.constLines.push(`  .p2align ${size === 4 ? 2 : 3}`, `${l}:`, ...words.map((w) => `  .word ${w}`));
    }
    return l;
  }

  /** Emits `.loc` for a source position (once per distinct position in a row). */
  loc(g: Emitter, at: Loc): void {
    const n = this.fileNumber(at.file);
    const key = `${n}:${at.line}:${at.col}`;
    if (key === this.lastLoc) return;
    this.lastLoc = key;
    g.emit(`.loc ${n} ${at.line} ${at.col}`);
  }

  /** The `.file` number of a source file (declared on first use). */
  fileNumber(file: string): number {
    let n = this.files.get(file);
    if (n === undefined) {
      n = this.files.size + 1;
      this.files.set(file, n);
      this.fileLines.push(`  .file ${n} "${file.replace(/["\\]/g, (c) => `\\${c}`)}"`);
    }
    return n;
  }

  /** Resets the last-location memo (at each new function). */
  resetLoc(): void {
    this.lastLoc = '';
  }

  rodata(): string[] {
    return this.constLines.length ? ['  .section .rodata', ...this.constLines] : [];
  }
}
