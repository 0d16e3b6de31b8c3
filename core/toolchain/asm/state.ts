// The assembler's working state: sections made of items (fixed bytes with pending fixups, variable
// branches, alignment padding), symbols, numeric labels, options, and line records from `.loc`.
import { AsmError } from './diag';
import type { Expr, SymRef, Val } from './expr';
import type { PendingFix } from './operands';

export interface Fixup extends PendingFix {
  /** Byte offset inside the item. */
  off: number;
}

export type Item =
  | { k: 'data'; bytes: number[] | Uint8Array; fixups: Fixup[]; addr: number; line: number; col: number }
  /** Conditional branch (f3 = funct3) or jump (f3 = -1, rs1 = rd) to a label; size chosen by layout. */
  | {
      k: 'br';
      f3: number;
      rs1: number;
      rs2: number;
      target: Expr;
      rvc: boolean;
      /** Explicit c.* form: must stay 2 bytes. */
      forced: boolean;
      size: number;
      addr: number;
      line: number;
      col: number;
    }
  | {
      k: 'align';
      bytes: number;
      fill: number | null;
      max: number;
      code: boolean;
      rvc: boolean;
      size: number;
      addr: number;
    };

export class Section {
  items: Item[] = [];
  align = 1;
  size = 0;
  constructor(
    readonly name: string,
    public type: number,
    public flags: number,
    public entsize = 0,
  ) {}
}

export interface Sym {
  /** Unique key (numeric and pcrel labels share display names). */
  key: string;
  name: string;
  section: Section | null;
  /** Position: item index at which the symbol was defined (its address is that item's). */
  idx: number;
  bind: 'local' | 'global' | 'weak';
  /** Binding was set explicitly (.local/.globl/.weak). */
  explicitBind: boolean;
  type: number;
  sizeExpr: Expr | null;
  equ: Expr | null;
  common: { size: number; align: number } | null;
  defined: boolean;
  line: number;
  col: number;
}

export interface LocRecord {
  section: Section;
  idx: number;
  file: number;
  line: number;
  col: number;
  isStmt: boolean;
}

export class AsmState {
  readonly sections = new Map<string, Section>();
  readonly symbols = new Map<string, Sym>();
  cur: Section;
  prev: Section;
  readonly sectionStack: Array<{ cur: Section; prev: Section }> = [];
  rvc: boolean;
  relax = true;
  readonly optionStack: Array<{ rvc: boolean; relax: boolean }> = [];
  private readonly numLabelCount = new Map<string, number>();
  private tempCounter = 0;
  readonly locs: LocRecord[] = [];
  readonly lineFiles = new Map<number, string>();
  sourceFile: string | null = null;
  line = 0;
  col = 0;
  laidOut = false;

  constructor(rvc: boolean) {
    this.rvc = rvc;
    this.cur = this.section('.text');
    this.prev = this.cur;
    this.section('.data');
    this.section('.bss');
  }

  section(name: string, type?: number, flags?: number, entsize?: number): Section {
    let s = this.sections.get(name);
    if (!s) {
      const d = defaultSectionKind(name);
      s = new Section(name, type ?? d.type, flags ?? d.flags, entsize ?? 0);
      this.sections.set(name, s);
    }
    return s;
  }

  /** Looks up or creates (as an undefined reference) a symbol. */
  sym(name: string): Sym {
    let s = this.symbols.get(name);
    if (!s) {
      s = {
        key: name,
        name,
        section: null,
        idx: 0,
        bind: 'local',
        explicitBind: false,
        type: 0,
        sizeExpr: null,
        equ: null,
        common: null,
        defined: false,
        line: this.line,
        col: this.col,
      };
      this.symbols.set(name, s);
    }
    return s;
  }

  /** Defines `name` at the current position of the current section. */
  defineLabel(name: string, line: number, col: number): Sym {
    const s = this.sym(name);
    if (s.defined) throw new AsmError(`symbol '${name}' is already defined`, line, col);
    s.defined = true;
    s.section = this.cur;
    s.idx = this.cur.items.length;
    s.line = line;
    s.col = col;
    return s;
  }

  /** `N:` defines the next instance of numeric label N. */
  defineNumeric(n: string, line: number, col: number): void {
    const k = (this.numLabelCount.get(n) ?? 0) + 1;
    this.numLabelCount.set(n, k);
    const s = this.defineLabel(`.L${n}\u0002${k}`, line, col);
    s.name = `.L${n}\u0002${k}`;
  }

  /** Resolves `Nf`/`Nb` to the internal name of that numeric label instance. */
  numRef(text: string, line: number, col: number): string {
    const n = text.slice(0, -1);
    const k = this.numLabelCount.get(n) ?? 0;
    if (text.endsWith('b')) {
      if (k === 0) throw new AsmError(`no previous definition of local label '${n}'`, line, col);
      return `.L${n}\u0002${k}`;
    }
    const name = `.L${n}\u0002${k + 1}`;
    const s = this.sym(name);
    if (!s.defined) {
      s.line = line;
      s.col = col;
    }
    return name;
  }

  /** A fresh local label at the current position (GNU names these `.L0 `). */
  tempLabel(display = '.L0 '): string {
    const key = `${display}\u0001${this.tempCounter++}`;
    const s = this.sym(key);
    s.name = display;
    s.defined = true;
    s.section = this.cur;
    s.idx = this.cur.items.length;
    return key;
  }

  pushItem(item: Item): void {
    this.cur.items.push(item);
  }

  emitBytes(bytes: number[] | Uint8Array, fixups: Fixup[] = []): void {
    this.pushItem({ k: 'data', bytes, fixups, addr: 0, line: this.line, col: this.col });
  }

  /** Offset of a defined label after layout. */
  offsetOf(s: Sym): number {
    const sec = s.section;
    if (!sec) return 0;
    const it = sec.items[s.idx];
    return it ? it.addr : sec.size;
  }

  /** Value of a symbol for the evaluator (follows .equ/.set chains). */
  value(name: string, line: number, col: number, depth = 0): Val {
    const s = this.sym(name);
    if (s.equ) {
      if (depth > 64) throw new AsmError(`symbol '${name}' is defined in terms of itself`, line, col);
      return this.evalWith(s.equ, line, col, depth + 1);
    }
    const ref: SymRef = {
      name: s.key,
      section: s.section ? s.section.name : null,
      // Before layout, label offsets are unknown: NaN makes any arithmetic on them non-constant.
      offset: s.section ? (this.laidOut ? this.offsetOf(s) : NaN) : 0,
      weak: s.bind === 'weak',
      code: s.section !== null && (s.section.flags & 4) !== 0,
    };
    return { n: 0, sym: ref, sub: null };
  }

  /** Set by the evaluator module to avoid an import cycle. */
  evalWith: (e: Expr, line: number, col: number, depth: number) => Val = () => {
    throw new Error('evaluator not installed');
  };
}

function defaultSectionKind(name: string): { type: number; flags: number } {
  const SHF_W = 1;
  const SHF_A = 2;
  const SHF_X = 4;
  if (name === '.text' || name.startsWith('.text.') || name === '.init' || name === '.fini')
    return { type: 1, flags: SHF_A | SHF_X };
  if (
    /^\.(s?data|tdata)(\.|$)/.test(name) ||
    name.startsWith('.init_array') ||
    name.startsWith('.fini_array')
  )
    return {
      type: name.startsWith('.init_array') ? 14 : name.startsWith('.fini_array') ? 15 : 1,
      flags: SHF_A | SHF_W,
    };
  if (/^\.s?rodata(\.|$)/.test(name) || name.startsWith('.srodata')) return { type: 1, flags: SHF_A };
  if (/^\.(s?bss|tbss)(\.|$)/.test(name)) return { type: 8, flags: SHF_A | SHF_W };
  return { type: 1, flags: 0 };
}
