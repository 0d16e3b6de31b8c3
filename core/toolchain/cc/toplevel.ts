// Declarations and definitions (C11 6.7, 6.9): binding names to symbols with linkage and storage,
// redeclaration checks, tentative definitions, initializers, _Static_assert, function definitions.

import type { Stmt, Sym } from './ast';
import { evalInt } from './consteval';
import {
  isTypeStart,
  parseDeclarator,
  parseDeclSpec,
  parseAttributes,
  type DeclSpec,
  type Declarator,
} from './decl';
import { parseAssign } from './expr';
import { parseInitializer } from './init';
import { parseFunctionBody } from './stmt';
import { SyntaxError_, describeToken, type State } from './state';
import { decodeBody, splitPrefix } from './literals';
import type { Loc, Token } from './token';
import { compatible, isComplete, isRecord, sizeOf, typeName, type Type } from './types';

export function parseTranslationUnit(s: State): void {
  while (!s.atEof() && !s.sink.full()) {
    const start = s.pos;
    try {
      parseExternalDecl(s);
    } catch (e) {
      if (!(e instanceof SyntaxError_)) throw e;
      s.func = null;
      while (s.scopes.length > 1) s.scopes.pop();
      s.recover(false);
    }
    if (s.pos === start) s.next(); // guarantee progress
  }
}

export function parseStaticAssert(s: State): void {
  const kw = s.next();
  s.expect('(');
  const e = parseAssign(s);
  let msg = '';
  if (s.accept(',')) {
    while (s.peek().kind === 'str') {
      const { body } = splitPrefix(s.next().text);
      msg += String.fromCharCode(...decodeBody(body, 8, () => undefined));
    }
  }
  s.expect(')');
  s.expect(';');
  const v = evalInt(e);
  if (v === null) s.error(e.loc, 'expression in static assertion is not an integer constant expression');
  else if (v === 0n) s.error(kw, msg ? `static assertion failed: "${msg}"` : 'static assertion failed');
}

function parseExternalDecl(s: State): void {
  if (s.accept(';')) return;
  if (s.is('_Static_assert')) return parseStaticAssert(s);
  if (s.is('asm')) {
    // Top-level basic asm: emitted verbatim by codegen, in order.
    s.next();
    s.expect('(');
    s.toplevelAsm.push(asmString(s));
    s.expect(')');
    s.expect(';');
    return;
  }
  const at = s.peek();
  if (!isTypeStart(s)) {
    if (s.isIdent() && (s.isIdent(1) || s.is('*', 1))) s.syntax(at, `unknown type name '${at.text}'`);
    // Implicit int at file scope (`main() {}`): GCC warns and accepts.
    if (!(s.isIdent() && s.is('(', 1))) s.syntax(at, `expected identifier or '(' before '${at.text}'`);
    s.warn(at, `return type defaults to 'int'`);
  }
  const spec = parseDeclSpec(s, true);
  if (s.accept(';')) return checkEmptyDecl(s, spec);
  let first = true;
  for (;;) {
    const d = parseDeclarator(s, spec.type);
    const label = parseAsmLabel(s);
    parseAttributes(s);
    if (first && d.type.kind === 'func' && s.is('{')) {
      if (spec.storage === 'typedef') s.error(d.loc, "function definition declared 'typedef'");
      const sym = declare(s, spec, d, true);
      if (sym && label !== null) sym.linkName = label;
      // After a conflicting declaration, still check the body (against a detached symbol).
      const fsym =
        sym && sym.type.kind === 'func'
          ? sym
          : { ...mkSym(s, d.name?.text ?? '', d.type, 'extern', d.loc, false), isFunction: true };
      parseFunctionBody(s, fsym, d);
      return;
    }
    first = false;
    const sym = declareWithInit(s, spec, d, label);
    if (sym && label !== null) sym.linkName = label;
    if (!s.accept(',')) break;
  }
  s.expect(';', "',' or ';'");
}

/** `asm("name")` after a declarator: the assembler name, or a register for `register` locals. */
function parseAsmLabel(s: State): string | null {
  if (!s.is('asm')) return null;
  s.next();
  s.expect('(');
  const name = asmString(s);
  s.expect(')');
  return name;
}

/** Concatenated narrow string literals, decoded (asm templates, labels, constraints). */
export function asmString(s: State): string {
  if (s.peek().kind !== 'str')
    s.syntax(s.peek(), `expected string literal before ${describeToken(s.peek())}`);
  let out = '';
  while (s.peek().kind === 'str') {
    const t = s.next();
    const { prefix, body } = splitPrefix(t.text);
    if (prefix !== '' && prefix !== 'u8') s.error(t, "wide string literal in 'asm'");
    out += String.fromCharCode(
      ...decodeBody(body, 8, (m, sev) => (sev === 'error' ? s.error(t, m) : s.warn(t, m))),
    );
  }
  return out;
}

function checkEmptyDecl(s: State, spec: DeclSpec): void {
  if (!isRecord(spec.type) && !(spec.type.kind === 'uint' || spec.type.kind === 'int') && !spec.implicit) {
    s.warn(spec.loc, 'useless type name in empty declaration');
  } else if (spec.implicit) s.warn(spec.loc, 'useless type name in empty declaration');
}

/** Block-scope declaration: returns `decl` statements for objects with automatic storage. */
export function parseLocalDecl(s: State): Stmt[] {
  if (s.is('_Static_assert')) {
    parseStaticAssert(s);
    return [];
  }
  const spec = parseDeclSpec(s, true);
  if (s.accept(';')) {
    checkEmptyDecl(s, spec);
    return [];
  }
  const out: Stmt[] = [];
  for (;;) {
    const d = parseDeclarator(s, spec.type);
    const label = parseAsmLabel(s);
    parseAttributes(s);
    if (d.type.kind === 'func' && s.is('{')) s.syntax(s.peek(), 'nested functions are not supported');
    const sym = declareWithInit(s, spec, d, label);
    if (sym && sym.isLocal && sym.storage !== 'typedef') out.push({ k: 'decl', loc: d.loc, sym });
    if (!s.accept(',')) break;
  }
  s.expect(';', "',' or ';'");
  return out;
}

function declareWithInit(s: State, spec: DeclSpec, d: Declarator, label: string | null = null): Sym | null {
  const hasInit = s.is('=');
  const sym = declare(s, spec, d, false, hasInit);
  if (sym && label !== null) {
    // GNU local register variable (`register long a0 asm("a0")`) or an assembler name.
    if (sym.isLocal && sym.storage === 'register') sym.asmReg = label;
    else if (sym.isLocal) s.error(d.loc, `invalid register name for '${sym.name}'`);
    else sym.linkName = label;
  }
  if (!hasInit) {
    if (sym) checkComplete(s, sym, d);
    return sym;
  }
  const eq = s.next();
  if (!sym || sym.storage === 'typedef' || sym.isFunction) {
    if (sym?.storage === 'typedef')
      s.error(eq, `typedef '${sym.name}' is initialized (use __typeof__ instead)`);
    else if (sym?.isFunction) s.error(eq, `function '${sym.name}' is initialized like a variable`);
    parseInitializer(s, sym?.type.kind === 'func' || !sym ? { kind: 'int' } : sym.type, false);
    return sym;
  }
  if (sym.storage === 'extern' && !s.atFileScope) {
    s.error(eq, `'${sym.name}' has both 'extern' and initializer`);
  }
  if (!isComplete(sym.type) && !(sym.type.kind === 'array' && sym.type.len === null)) {
    s.error(d.loc, `variable '${sym.name}' has initializer but incomplete type`);
    parseInitializer(s, { kind: 'int' }, false);
    return sym;
  }
  if (sym.init && !sym.isLocal) s.error(d.loc, `redefinition of '${sym.name}'`);
  const init = parseInitializer(s, sym.type, !sym.isLocal || sym.storage === 'static');
  sym.init = init;
  sym.defined = true;
  sym.tentative = false;
  if (sym.type.kind === 'array' && sym.type.len === null) {
    sym.type = { ...sym.type, len: Math.floor(init.size / Math.max(1, sizeOf(sym.type.base))) };
  }
  return sym;
}

function checkComplete(s: State, sym: Sym, d: Declarator): void {
  if (sym.storage === 'typedef' || sym.isFunction || sym.storage === 'extern') return;
  if (sym.type.kind === 'void') {
    s.error(d.loc, `variable or field '${sym.name}' declared void`);
    return;
  }
  if (isComplete(sym.type)) return;
  if (sym.isLocal || sym.storage === 'static') {
    if (sym.type.kind === 'array' && sym.type.len === null)
      s.error(d.loc, `array size missing in '${sym.name}'`);
    else s.error(d.loc, `storage size of '${sym.name}' isn't known`);
  }
  // File-scope tentative definitions may be completed later (checked at end of unit).
}

/** Declares `d` in the current scope, checking redeclarations. Returns the (possibly merged) symbol. */
export function declare(
  s: State,
  spec: DeclSpec,
  d: Declarator,
  isDef: boolean,
  hasInit = false,
): Sym | null {
  if (!d.name) {
    s.error(d.loc, "expected identifier or '('");
    return null;
  }
  const name = d.name.text;
  const type = d.type;
  const isFunc = type.kind === 'func';
  const fileScope = s.atFileScope;
  let storage = spec.storage;
  if (spec.inline && !isFunc) s.error(d.name, `variable '${name}' declared 'inline'`);
  if (storage === 'typedef') {
    const prev = s.lookupCurrent(name);
    if (prev && (prev.storage !== 'typedef' || !compatible(prev.type, type))) {
      conflict(
        s,
        d.name,
        prev,
        prev.storage === 'typedef'
          ? `conflicting types for '${name}'; have '${typeName(type)}'`
          : `'${name}' redeclared as different kind of symbol`,
      );
      return prev;
    }
    // A copy that remembers its name, for the debug information (types compare structurally).
    const sym = mkSym(s, name, { ...type, typedefName: name }, 'typedef', d.name, !fileScope);
    s.declare(sym);
    return sym;
  }
  if (!fileScope && !isFunc && storage !== 'extern') {
    const prev = s.lookupCurrent(name);
    if (prev) {
      conflict(
        s,
        d.name,
        prev,
        prev.storage === 'enumconst' || prev.storage === 'typedef' || prev.isFunction
          ? `'${name}' redeclared as different kind of symbol`
          : `redeclaration of '${name}' with no linkage`,
      );
    }
    if (storage === 'auto' && fileScope)
      s.error(d.name, `file-scope declaration of '${name}' specifies 'auto'`);
    const isStatic = storage === 'static';
    const sym = mkSym(
      s,
      name,
      type,
      isStatic ? 'static' : storage === 'register' ? 'register' : 'auto',
      d.name,
      !isStatic,
    );
    sym.defined = true;
    if (spec.align) sym.align = spec.align;
    if (isStatic) {
      sym.linkName = s.staticName(name);
      s.globals.push(sym);
    } else s.func?.locals.push(sym);
    s.declare(sym);
    return sym;
  }
  if (fileScope && (storage === 'auto' || storage === 'register')) {
    s.error(d.name, `file-scope declaration of '${name}' specifies '${storage}'`);
    storage = null;
  }
  if (!fileScope && isFunc && storage === 'static') {
    s.error(d.name, `invalid storage class for function '${name}'`);
    storage = null;
  }
  // Objects and functions with linkage: merge with a previous declaration.
  const prev = fileScope ? s.lookupCurrent(name) : (s.lookup(name) ?? undefined);
  const prevGlobal =
    prev && !prev.isLocal && prev.storage !== 'typedef' && prev.storage !== 'enumconst' ? prev : undefined;
  if (prev && !prevGlobal && fileScope) {
    conflict(s, d.name, prev, `'${name}' redeclared as different kind of symbol`);
    return null;
  }
  if (prevGlobal) {
    if (prevGlobal.isFunction !== isFunc) {
      conflict(s, d.name, prevGlobal, `'${name}' redeclared as different kind of symbol`);
      return prevGlobal;
    }
    if (!compatible(prevGlobal.type, type)) {
      s.error(d.name, `conflicting types for '${name}'; have '${typeName(type)}'`);
      s.note(
        prevGlobal.loc,
        `previous ${prevGlobal.defined && !prevGlobal.tentative ? 'definition' : 'declaration'} of '${name}' with type '${typeName(prevGlobal.type)}'`,
      );
      return prevGlobal;
    }
    if (isDef && prevGlobal.defined && isFunc) {
      conflict(s, d.name, prevGlobal, `redefinition of '${name}'`);
    }
    if (storage === 'static' && prevGlobal.storage !== 'static' && fileScope) {
      conflict(s, d.name, prevGlobal, `static declaration of '${name}' follows non-static declaration`);
    }
    // Keep the most informative type: a prototype over `()`, a complete array over `[]`.
    if (isFunc && prevGlobal.type.kind === 'func' && prevGlobal.type.noProto && !type.noProto)
      prevGlobal.type = type;
    if (
      prevGlobal.type.kind === 'array' &&
      prevGlobal.type.len === null &&
      type.kind === 'array' &&
      type.len !== null
    )
      prevGlobal.type = type;
    if (storage !== 'extern' && !isFunc) {
      if (!prevGlobal.defined) prevGlobal.tentative = true;
      prevGlobal.defined = true;
    }
    if (isDef) {
      prevGlobal.defined = true;
      prevGlobal.loc = d.name;
    }
    if (spec.noreturn) prevGlobal.noreturn = true;
    if (!fileScope) s.declare(prevGlobal);
    if (hasInit && !fileScope) return prevGlobal;
    return prevGlobal;
  }
  const sym = mkSym(s, name, type, storage === 'static' ? 'static' : 'extern', d.name, false);
  sym.isFunction = isFunc;
  sym.inline = spec.inline;
  sym.noreturn = spec.noreturn;
  if (spec.align) sym.align = spec.align;
  if (!isFunc && storage !== 'extern') {
    sym.defined = true;
    sym.tentative = !hasInit;
  }
  if (isDef) sym.defined = true;
  if (!isFunc) s.globals.push(sym);
  // A block-scope extern is visible only in its block (it still names the file-scope entity).
  s.declare(sym);
  return sym;
}

function conflict(s: State, at: Token, prev: Sym, message: string): void {
  s.error(at, message);
  const what = prev.defined && !prev.tentative ? 'definition' : 'declaration';
  s.note(prev.loc, `previous ${what} of '${prev.name}' with type '${typeName(prev.type)}'`);
}

function mkSym(s: State, name: string, type: Type, storage: Sym['storage'], loc: Loc, isLocal: boolean): Sym {
  return { name, type, storage, loc, isLocal, isFunction: false, defined: false, linkName: name, id: s.id() };
}
