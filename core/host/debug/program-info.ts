// What the debugger knows of one executable: its functions (from .symtab) and its line table
// (futcc's compact `.futura.lines` and GCC's DWARF `.debug_line`, merged), with the lookups a
// debugger needs: pc → function and source line, source line → breakpoint addresses.

import { readElf, type ElfFile } from '../../elf';
import { STT_FUNC, STT_OBJECT } from '../../elf/constants';
import { DwarfError } from '../../elf/dwarf/cursor';
import { decodeDebugFrame, type FrameDescriptionEntry, type FrameRow } from '../../elf/dwarf/frame';
import { decodeDebugInfo, type DwarfFunction } from '../../elf/dwarf/info';
import { decodeDebugLine } from '../../elf/dwarf/line';
import { decodeLineTable } from '../../toolchain/link/lines';

export interface SourceLocation {
  file: string;
  line: number;
  col: number;
}

export interface FunctionSymbol {
  name: string;
  start: number;
  end: number;
}

/** A line-table row: code from `addr` up to the next row (or `end` for the last of a sequence). */
interface Row extends SourceLocation {
  addr: number;
  end: number;
  isStmt: boolean;
}

function sectionBytes(elf: ElfFile, name: string): Uint8Array | undefined {
  const s = elf.sections.find((x) => x.name === name);
  if (!s || s.type === 8) return undefined;
  return elf.data.subarray(s.offset, s.offset + s.size);
}

/** True when `query` names `file`: equal, or a path suffix at a '/' boundary. */
export function sameFile(file: string, query: string): boolean {
  if (file === query) return true;
  const f = file.replace(/\\/g, '/');
  const q = query.replace(/\\/g, '/').replace(/^\.\//, '');
  return f === q || f.endsWith(`/${q}`) || q.endsWith(`/${f}`);
}

export interface DataSymbol {
  name: string;
  addr: number;
  size: number;
}

export class ProgramInfo {
  readonly functions: FunctionSymbol[];
  /** Global and static variables by name. */
  readonly data: ReadonlyMap<string, DataSymbol>;
  private readonly rows: Row[];
  private readonly elf: ElfFile;
  private scopes: DwarfFunction[] | null = null;
  private frames: FrameDescriptionEntry[] | null = null;

  private constructor(elf: ElfFile, functions: FunctionSymbol[], data: Map<string, DataSymbol>, rows: Row[]) {
    this.elf = elf;
    this.functions = functions;
    this.data = data;
    this.rows = rows;
  }

  /** The DWARF description of the function holding `pc` (variables, frame base), if compiled with -g. */
  scopeAt(pc: number): DwarfFunction | undefined {
    if (!this.scopes) {
      const info = sectionBytes(this.elf, '.debug_info');
      const abbrev = sectionBytes(this.elf, '.debug_abbrev');
      this.scopes =
        info && abbrev
          ? decodeDebugInfo({
              info,
              abbrev,
              str: sectionBytes(this.elf, '.debug_str'),
              lineStr: sectionBytes(this.elf, '.debug_line_str'),
            })
          : [];
    }
    return this.scopes.find((f) => pc >= f.low && pc < f.high);
  }

  static fromElf(bytes: Uint8Array): ProgramInfo {
    const elf = readElf(bytes);
    const functions = elf.symbols
      .filter((s) => s.type === STT_FUNC && s.value !== 0 && s.name)
      .map((s) => ({ name: s.name, start: s.value >>> 0, end: (s.value + Math.max(s.size, 1)) >>> 0 }))
      .sort((a, b) => a.start - b.start);
    const rows: Row[] = [];
    const flt = sectionBytes(elf, '.futura.lines');
    if (flt) {
      const own = decodeLineTable(flt);
      own.forEach((r, i) => {
        const next = own[i + 1];
        const fn = functions.find((f) => r.addr >= f.start && r.addr < f.end);
        const end = next && (!fn || next.addr <= fn.end) ? next.addr : (fn?.end ?? r.addr + 4);
        rows.push({ addr: r.addr, end, file: r.file, line: r.line, col: r.col, isStmt: true });
      });
    }
    const dl = sectionBytes(elf, '.debug_line');
    if (dl) {
      const dwarf = decodeDebugLine(dl, {
        debugStr: sectionBytes(elf, '.debug_str'),
        debugLineStr: sectionBytes(elf, '.debug_line_str'),
      });
      dwarf.forEach((r, i) => {
        const next = dwarf[i + 1];
        if (r.endSequence || !next) return;
        if (next.addr === r.addr) return; // an empty row: the next one describes these bytes
        rows.push({ addr: r.addr, end: next.addr, file: r.file, line: r.line, col: r.col, isStmt: r.isStmt });
      });
    }
    rows.sort((a, b) => a.addr - b.addr || Number(b.isStmt) - Number(a.isStmt));
    const data = new Map<string, DataSymbol>();
    for (const s of elf.symbols)
      if (s.type === STT_OBJECT && s.name && !data.has(s.name))
        data.set(s.name, { name: s.name, addr: s.value >>> 0, size: s.size });
    return new ProgramInfo(elf, functions, data, rows);
  }

  get hasLines(): boolean {
    return this.rows.length > 0;
  }

  /**
   * The call-frame rule row for `pc` from .debug_frame, with the return-address column, when the
   * program has one covering `pc` (GCC -g, futcc -g); otherwise the unwinder reads the prologue.
   */
  frameRowAt(pc: number): { row: FrameRow; raReg: number } | undefined {
    if (!this.frames) {
      const bytes = sectionBytes(this.elf, '.debug_frame');
      try {
        this.frames = bytes ? decodeDebugFrame(bytes) : [];
      } catch (e) {
        if (!(e instanceof DwarfError)) throw e;
        this.frames = [];
      }
    }
    let lo = 0;
    let hi = this.frames.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const fde = this.frames[mid]!;
      if (pc < fde.start) hi = mid - 1;
      else if (pc >= fde.end) lo = mid + 1;
      else {
        const row = fde.row(pc);
        return row ? { row, raReg: fde.raReg } : undefined;
      }
    }
    return undefined;
  }

  functionAt(pc: number): FunctionSymbol | undefined {
    let lo = 0;
    let hi = this.functions.length - 1;
    let best: FunctionSymbol | undefined;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const f = this.functions[mid]!;
      if (f.start <= pc) {
        best = f;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return best && pc < best.end ? best : undefined;
  }

  functionNamed(name: string): FunctionSymbol | undefined {
    return this.functions.find((f) => f.name === name);
  }

  private rowAt(pc: number): Row | undefined {
    let lo = 0;
    let hi = this.rows.length - 1;
    let best = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.rows[mid]!.addr <= pc) {
        best = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    // Several rows may start at one address; the first is_stmt one describes it.
    while (best > 0 && this.rows[best - 1]!.addr === this.rows[best]!.addr) best--;
    const r = this.rows[best];
    return r && pc < r.end ? r : undefined;
  }

  /** The source line of the instruction at `pc`. */
  lineAt(pc: number): SourceLocation | undefined {
    const r = this.rowAt(pc);
    return r ? { file: r.file, line: r.line, col: r.col } : undefined;
  }

  /** The address range of the line-table row holding `pc` (what "step" runs through). */
  rowRange(pc: number): { start: number; end: number } | undefined {
    const r = this.rowAt(pc);
    return r ? { start: r.addr, end: r.end } : undefined;
  }

  /** Source files named in the line table. */
  files(): string[] {
    return [...new Set(this.rows.map((r) => r.file))].sort();
  }

  /**
   * Where a breakpoint on `file:line` goes: the first statement address of that line in each
   * function (an inlined or duplicated line can have several), or, when the line has no code, of
   * the next line that has some.
   */
  breakpointAddresses(file: string, line: number): { line: number; addrs: number[] } | undefined {
    const inFile = this.rows.filter((r) => r.isStmt && sameFile(r.file, file) && r.line >= line);
    if (inFile.length === 0) return undefined;
    const target = Math.min(...inFile.map((r) => r.line));
    // One location per function, at its lowest address, as GDB does (a `for` header's condition and
    // increment blocks do not get breakpoints of their own).
    const byFunction = new Map<string, number>();
    for (const r of inFile) {
      if (r.line !== target) continue;
      const key = this.functionAt(r.addr)?.name ?? `@${r.addr}`;
      const prev = byFunction.get(key);
      if (prev === undefined || r.addr < prev) byFunction.set(key, r.addr);
    }
    const addrs = [...byFunction.values()].sort((a, b) => a - b);
    return { line: target, addrs };
  }
}
