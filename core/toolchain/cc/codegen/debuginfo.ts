// futcc -g: DWARF 4 .debug_info for a translation unit — the compile unit, one subprogram per
// function (pc range, frame base s0, which futcc sets to the CFA), its parameters and locals with
// their homes (DW_OP_fbreg for frame slots, DW_OP_regN/regx for -O1+ register locals), lexical
// blocks for nested scopes with their own pc ranges, globals and static locals by address.
//
// Code generation calls `scoped` around blocks and `for` statements; each scope that declares
// variables gets a start and an end label. Scopes whose labels did not survive into the final
// assembly (a later pass dropped them) lose their range, never their truthfulness: their variables
// move to the enclosing scope only when no other variable of that scope has the same name.

import type { FuncDef, Stmt, Sym, TranslationUnit } from '../ast';
import { AT, TAG, die, type AttrValue, type Die, uleb, sleb, writeUnit } from './dwarf-emit';
import { TypeTable } from './dwarf-types';
import type { FuncGen } from './func';

const PREFIX = '.Lfutcc.dbg';

interface ScopeInfo {
  stmt: Stmt;
  parent: ScopeInfo | null;
  vars: Sym[];
  children: ScopeInfo[];
  /** Labels around the scope's code, once generated. */
  range?: { start: string; end: string };
}

/** Where a function's variables live and which scope declares each. */
export class FuncScopes {
  readonly root: ScopeInfo;
  private readonly byStmt = new Map<Stmt, ScopeInfo>();
  private n = 0;

  constructor(
    readonly f: FuncDef,
    readonly fnId: number,
  ) {
    this.root = { stmt: f.body, parent: null, vars: [...f.params], children: [] };
    this.walk(f.body, this.root, true);
  }

  private open(s: Stmt, parent: ScopeInfo): ScopeInfo {
    const sc: ScopeInfo = { stmt: s, parent, vars: [], children: [] };
    parent.children.push(sc);
    this.byStmt.set(s, sc);
    return sc;
  }

  private walk(s: Stmt | null, scope: ScopeInfo, top = false): void {
    if (!s) return;
    switch (s.k) {
      case 'block': {
        const inner = top ? scope : this.open(s, scope);
        for (const x of s.items) this.walk(x, inner);
        return;
      }
      case 'for': {
        const inner = this.open(s, scope);
        // `for (int i = ...)`: the declarations belong to the whole loop, not to the init block.
        if (s.init?.k === 'block') for (const x of s.init.items) this.walk(x, inner);
        else this.walk(s.init, inner);
        return this.walk(s.body, inner);
      }
      case 'decl':
        scope.vars.push(s.sym);
        return;
      case 'if':
        this.walk(s.then, scope);
        return this.walk(s.else, scope);
      case 'while':
      case 'dowhile':
      case 'switch':
      case 'case':
      case 'label':
        return this.walk(s.body, scope);
      default:
    }
  }

  /** True when the scope or one inside it declares something (only those get labels). */
  private used(sc: ScopeInfo): boolean {
    return sc.vars.length > 0 || sc.children.some((c) => this.used(c));
  }

  /** Generates `body` between the scope's labels (when `s` is a scope with variables). */
  wrap(g: FuncGen, s: Stmt, body: () => void): void {
    const sc = this.byStmt.get(s);
    if (!sc || sc.range || !this.used(sc)) return body();
    const n = this.n++;
    const range = { start: `${PREFIX}.b${this.fnId}.${n}`, end: `${PREFIX}.e${this.fnId}.${n}` };
    g.label(range.start);
    body();
    g.label(range.end);
    sc.range = range;
  }
}

/** Hook for code generation: `body` inside the debug scope of statement `s`. */
export function scoped(g: FuncGen, s: Stmt, body: () => void): void {
  if (g.scopes) g.scopes.wrap(g, s, body);
  else body();
}

/** A generated function as the debug information needs it. */
export interface FuncRecord {
  scopes: FuncScopes;
  name: string;
  /** Label just past the function's last instruction. */
  end: string;
  /** Home of each local: a frame offset from s0 (the CFA), or a register. */
  home(sym: Sym): { off: number } | { reg: string } | null;
}

export const functionEndLabel = (fnId: number): string => `${PREFIX}.fe${fnId}`;

/** DWARF register number of an integer or FP register name (s0-s11, fs0-fs11, a*, t*...). */
export function dwarfReg(r: string): number | null {
  const int = ['zero', 'ra', 'sp', 'gp', 'tp', 't0', 't1', 't2', 's0', 's1'];
  const i = int.indexOf(r);
  if (i >= 0) return i;
  let m = /^a([0-7])$/.exec(r);
  if (m) return 10 + Number(m[1]);
  m = /^s([2-9]|1[01])$/.exec(r);
  if (m) return 16 + Number(m[1]);
  m = /^t([3-6])$/.exec(r);
  if (m) return 25 + Number(m[1]);
  m = /^fs([01])$/.exec(r);
  if (m) return 40 + Number(m[1]);
  m = /^fs([2-9]|1[01])$/.exec(r);
  if (m) return 48 + Number(m[1]);
  m = /^fa([0-7])$/.exec(r);
  if (m) return 42 + Number(m[1]);
  m = /^ft([0-7])$/.exec(r);
  if (m) return 32 + Number(m[1]);
  m = /^ft(8|9|1[01])$/.exec(r);
  if (m) return 52 + Number(m[1]);
  m = /^x([0-9]|[12][0-9]|3[01])$/.exec(r);
  if (m) return Number(m[1]);
  m = /^f([0-9]|[12][0-9]|3[01])$/.exec(r);
  if (m) return 32 + Number(m[1]);
  return null;
}

function regLocation(r: string): AttrValue | null {
  const n = dwarfReg(r);
  if (n === null) return null;
  return { form: 'exprloc', bytes: n < 32 ? [0x50 + n] : [0x90, ...uleb(n)] };
}

export interface UnitDebugOptions {
  file: string;
  compDir?: string;
  fileNumber(file: string): number;
  /** Names present as labels in the final assembly (scopes whose labels vanished lose them). */
  labels: Set<string>;
}

/** The .debug_abbrev/.debug_info assembly for the unit. */
export function emitDebugInfo(tu: TranslationUnit, funcs: FuncRecord[], o: UnitDebugOptions): string[] {
  const types = new TypeTable();
  const typeAttr = (t: Sym['type']): Die['attrs'] => {
    const d = types.ref(t);
    return d ? [[AT.type, { form: 'ref4', die: d }]] : [];
  };
  const declAt = (s: { loc: { file: string; line: number } }): Die['attrs'] => [
    [AT.declFile, { form: 'udata', v: o.fileNumber(s.loc.file) }],
    [AT.declLine, { form: 'udata', v: s.loc.line }],
  ];
  const staticLocals = new Set<Sym>();

  const variable = (fr: FuncRecord, s: Sym, clash: boolean): Die => {
    const attrs: Die['attrs'] = [[AT.name, { form: 'string', v: s.name }], ...declAt(s), ...typeAttr(s.type)];
    if (s.storage === 'static') {
      staticLocals.add(s);
      // Only objects that were emitted have an address (an unused one may have been dropped).
      if (o.labels.has(s.linkName))
        attrs.push([AT.location, { form: 'exprloc', bytes: [], addr: s.linkName }]);
    } else if (s.storage !== 'extern' && !clash) {
      const h = fr.home(s);
      const loc = !h
        ? null
        : 'reg' in h
          ? regLocation(h.reg)
          : { form: 'exprloc' as const, bytes: [0x91, ...sleb(h.off)] };
      if (loc) attrs.push([AT.location, loc]);
    }
    return die(s.isParam ? TAG.formalParameter : TAG.variable, attrs);
  };

  const subprograms = funcs.map((fr) => {
    const f = fr.scopes.f;
    const ft = f.sym.type;
    const clashes = registerClashes(fr);
    const attrs: Die['attrs'] = [
      [AT.name, { form: 'string', v: f.sym.name }],
      ...declAt(f),
      ...(ft.kind === 'func' ? typeAttr(ft.ret) : []),
      ...(ft.kind === 'func' && !ft.noProto
        ? [[AT.prototyped, { form: 'flag' }] as [number, AttrValue]]
        : []),
      ...(f.sym.storage !== 'static' ? [[AT.external, { form: 'flag' }] as [number, AttrValue]] : []),
      [AT.lowPc, { form: 'addr', sym: fr.name }],
      [AT.highPc, { form: 'delta4', hi: fr.end, lo: fr.name }],
      [AT.frameBase, { form: 'exprloc', bytes: [0x78, 0x00] }], // DW_OP_breg8 (s0) 0
    ];
    const sp = die(TAG.subprogram, attrs);
    // `hoisted`: the scope lost its range, so a register it shares with a sibling scope's
    // variable (regalloc reuses registers across disjoint scopes) no longer tells them apart.
    const fill = (sc: ScopeInfo, into: Die, hoisted = false): void => {
      for (const v of sc.vars) {
        const h = hoisted && v.storage !== 'static' ? fr.home(v) : null;
        into.children.push(variable(fr, v, clashes.has(v) || (h !== null && 'reg' in h)));
      }
      for (const c of sc.children) {
        const r = c.range;
        if (r && o.labels.has(r.start) && o.labels.has(r.end)) {
          const b = die(TAG.lexicalBlock, [
            [AT.lowPc, { form: 'addr', sym: r.start }],
            [AT.highPc, { form: 'delta4', hi: r.end, lo: r.start }],
          ]);
          fill(c, b, hoisted);
          if (b.children.length > 0) into.children.push(b);
        } else if (r) {
          // The labels are gone: the variables join the enclosing scope unless a name is taken.
          const flat = die(TAG.lexicalBlock);
          fill(c, flat, true);
          const names = new Set(into.children.map(nameOf));
          into.children.push(...flat.children.filter((d) => !names.has(nameOf(d))));
        } // never generated (dead code): nothing to show
      }
    };
    fill(fr.scopes.root, sp);
    for (const g of staticLocalsOf(tu, fr, funcs)) sp.children.push(variable(fr, g, false));
    return sp;
  });

  const globals: Die[] = [];
  for (const g of tu.globals) {
    if (!g.defined || g.isFunction || staticLocals.has(g) || g.isLocal || !o.labels.has(g.linkName)) continue;
    globals.push(
      die(TAG.variable, [
        [AT.name, { form: 'string', v: g.name }],
        ...declAt(g),
        ...typeAttr(g.type),
        ...(g.storage !== 'static' ? [[AT.external, { form: 'flag' }] as [number, AttrValue]] : []),
        [AT.location, { form: 'exprloc', bytes: [], addr: g.linkName }],
      ]),
    );
  }

  const cuAttrs: Die['attrs'] = [
    [AT.producer, { form: 'string', v: 'futcc' }],
    [AT.language, { form: 'data1', v: 0x0c }], // DW_LANG_C99
    [AT.name, { form: 'string', v: o.file }],
  ];
  if (o.compDir) cuAttrs.push([AT.compDir, { form: 'string', v: o.compDir }]);
  const first = funcs[0];
  const last = funcs[funcs.length - 1];
  if (first && last) {
    cuAttrs.push([AT.lowPc, { form: 'addr', sym: first.name }]);
    cuAttrs.push([AT.highPc, { form: 'delta4', hi: last.end, lo: first.name }]);
    cuAttrs.push([AT.stmtList, { form: 'secOffset', sym: `${PREFIX}.line` }]);
  }
  const cu = die(TAG.compileUnit, cuAttrs, [...subprograms, ...globals]);
  cu.children.push(...types.dies);
  const lines = writeUnit(cu, PREFIX);
  if (first) lines.push('  .section .debug_line,"",@progbits', `${PREFIX}.line:`);
  return lines;
}

/**
 * A function's static locals. They are hoisted to the unit's globals (named `name.N`) with no
 * declaration left in the body, so each goes to the last function starting before it in its file.
 */
function staticLocalsOf(tu: TranslationUnit, fr: FuncRecord, funcs: FuncRecord[]): Sym[] {
  const before = (a: Sym['loc'], b: Sym['loc']): boolean =>
    a.line < b.line || (a.line === b.line && a.col < b.col);
  return tu.globals.filter((g) => {
    if (g.storage !== 'static' || g.isFunction || g.linkName !== `${g.name}.${/\d+$/.exec(g.linkName)?.[0]}`)
      return false;
    let owner: FuncRecord | undefined;
    for (const c of funcs) {
      const l = c.scopes.f.loc;
      if (l.file === g.loc.file && before(l, g.loc) && (!owner || before(owner.scopes.f.loc, l))) owner = c;
    }
    return owner === fr;
  });
}

/**
 * Variables sharing a register while both are in scope cannot both be described by a single
 * location: leave them without one (the debugger shows them as optimised out) rather than lie.
 */
function registerClashes(fr: FuncRecord): Set<Sym> {
  const out = new Set<Sym>();
  const visibleWith = (sc: ScopeInfo, seen: Map<string, Sym>): void => {
    const mine = new Map(seen);
    for (const v of sc.vars) {
      const h = v.storage === 'static' ? null : fr.home(v);
      if (!h || !('reg' in h)) continue;
      const other = mine.get(h.reg);
      if (other) {
        out.add(other);
        out.add(v);
      }
      mine.set(h.reg, v);
    }
    for (const c of sc.children) visibleWith(c, mine);
  };
  visibleWith(fr.scopes.root, new Map());
  return out;
}

function nameOf(d: Die): string | undefined {
  const a = d.attrs.find(([at]) => at === AT.name)?.[1];
  return a?.form === 'string' ? a.v : undefined;
}
