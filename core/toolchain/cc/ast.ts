// The typed AST that the front end hands to code generation.
//
// Design rules, so that codegen never re-derives C semantics:
// - Every expression has `type` (the type of its value after all implicit conversions of the
//   node itself) and `loc`. Lvalue conversion, array/function decay, integer promotions, the usual
//   arithmetic conversions and assignment conversions all appear as explicit `cast` nodes.
// - Binary arithmetic nodes have operands already converted to the node's operation type: for
//   `+ - * / % & | ^` that is the node's `type`; comparisons carry `opType` (the common type or a
//   pointer) while their own type is int. Shifts: lhs promoted, rhs promoted independently.
// - Pointer arithmetic is scaled: `p + i` is `binary '+'` of a pointer and an int already
//   multiplied by the element size (`ptrdiff` nodes divide a byte difference by the size).
// - `assign` stores `rhs` (already converted to the lvalue's unqualified type) into `lhs`.
//   `opassign` is `lhs = (T)((opType)lhs op rhs)` with lhs evaluated once; `rhs` is already of
//   `opType` (or a scaled int when `opType` is a pointer). `incdec` adds `delta` (scaled).
// - `member` reads a struct/union member (bit-fields carry `bitField` via the Member).
// - Function designators decay to pointers, so `call.callee` always has a pointer-to-function type.
// - Initializers are flattened to (offset, type, expr) items over a zero-filled object.

import type { Loc } from './token';
import type { FuncType, Member, Type } from './types';

export type Storage = 'extern' | 'static' | 'auto' | 'register' | 'typedef' | 'enumconst';

/** A declared name: variable, function, typedef or enumeration constant. */
export interface Sym {
  name: string;
  type: Type;
  storage: Storage;
  loc: Loc;
  /** Function-local object with automatic storage (parameters included). */
  isLocal: boolean;
  isParam?: boolean;
  isFunction: boolean;
  /** Has a definition in this translation unit (function body or object definition). */
  defined: boolean;
  /** Tentative definition (file-scope object without initializer or extern). */
  tentative?: boolean;
  /** Assembly-level name: the C name for globals, a unique `name.N` for static locals. */
  linkName: string;
  /** Value of an enumeration constant. */
  value?: bigint;
  /** For objects: initializer (static storage: every item's expr is a constant, see ConstValue). */
  init?: Initializer;
  /** Alignment requested with _Alignas (else alignOf(type)). */
  align?: number;
  inline?: boolean;
  noreturn?: boolean;
  /** GNU local register variable: the register named in `asm("a0")`. */
  asmReg?: string;
  /** A compiler builtin (`__builtin_fabs`...): codegen expands it or calls a helper. */
  builtin?: boolean;
  used?: boolean;
  id: number;
}

export interface InitItem {
  offset: number;
  type: Type;
  expr: Expr;
  /** Set when the target is a bit-field member. */
  bitField?: { width: number; bitOffset: number };
  /** Where the initializer expression starts (for diagnostics). */
  loc?: Loc;
}

export interface Initializer {
  /** Object size in bytes (for an incomplete array, the size fixed by the initializer). */
  size: number;
  items: InitItem[];
}

/** Result of constant evaluation: integers, floats, or an address constant (symbol + addend). */
export type ConstValue =
  | { kind: 'int'; value: bigint }
  | { kind: 'float'; value: number }
  | { kind: 'addr'; sym: Sym | null; str?: StringLit; addend: number };

export interface StringLit {
  /** Code units including the terminating zero. */
  units: number[];
  /** Element type (char, int for L"", unsigned short/int for u""/U""). */
  elem: Type;
  id: number;
}

export type BinaryOp = '+' | '-' | '*' | '/' | '%' | '&' | '|' | '^' | '<<' | '>>';
export type CompareOp = '==' | '!=' | '<' | '<=' | '>' | '>=';

interface Base {
  loc: Loc;
  type: Type;
}

export type Expr =
  | (Base & { k: 'int'; value: bigint })
  | (Base & { k: 'float'; value: number })
  | (Base & { k: 'str'; str: StringLit })
  | (Base & { k: 'var'; sym: Sym })
  | (Base & { k: 'cast'; expr: Expr })
  | (Base & { k: 'neg' | 'bitnot' | 'not'; expr: Expr })
  | (Base & { k: 'binary'; op: BinaryOp; lhs: Expr; rhs: Expr })
  | (Base & { k: 'compare'; op: CompareOp; opType: Type; lhs: Expr; rhs: Expr })
  | (Base & { k: 'ptrdiff'; elemSize: number; lhs: Expr; rhs: Expr })
  | (Base & { k: 'logand' | 'logor'; lhs: Expr; rhs: Expr })
  | (Base & { k: 'assign'; lhs: Expr; rhs: Expr })
  | (Base & { k: 'opassign'; op: BinaryOp; opType: Type; lhs: Expr; rhs: Expr })
  | (Base & { k: 'incdec'; prefix: boolean; delta: number; lhs: Expr })
  | (Base & { k: 'cond'; cond: Expr; then: Expr; else: Expr })
  | (Base & { k: 'comma'; lhs: Expr; rhs: Expr })
  | (Base & { k: 'addr'; expr: Expr })
  | (Base & { k: 'deref'; expr: Expr })
  | (Base & { k: 'member'; expr: Expr; member: Member })
  | (Base & { k: 'call'; callee: Expr; funcType: FuncType; args: Expr[] })
  /** A compound literal: an unnamed object (local, or static at file scope) with an initializer. */
  | (Base & { k: 'compound'; sym: Sym })
  /** GNU statement expression is not supported; `builtin` covers va_* intrinsics. */
  | (Base & { k: 'va_start'; ap: Expr })
  | (Base & { k: 'va_arg'; ap: Expr })
  | (Base & { k: 'va_end'; ap: Expr })
  | (Base & { k: 'va_copy'; dst: Expr; src: Expr });

export type Stmt =
  | { k: 'block'; loc: Loc; items: Stmt[] }
  | { k: 'expr'; loc: Loc; expr: Expr }
  /** A local declaration; `sym.init` (if any) runs here. Static locals have no runtime effect. */
  | { k: 'decl'; loc: Loc; sym: Sym }
  | { k: 'if'; loc: Loc; cond: Expr; then: Stmt; else: Stmt | null }
  | { k: 'while'; loc: Loc; cond: Expr; body: Stmt }
  | { k: 'dowhile'; loc: Loc; cond: Expr; body: Stmt }
  | { k: 'for'; loc: Loc; init: Stmt | null; cond: Expr | null; step: Expr | null; body: Stmt }
  | { k: 'return'; loc: Loc; expr: Expr | null }
  | { k: 'switch'; loc: Loc; cond: Expr; body: Stmt; cases: CaseLabel[]; hasDefault: boolean; id: number }
  /** `case`/`default` label: `value` null for default; `id` unique within the switch. */
  | { k: 'case'; loc: Loc; value: bigint | null; id: number; switchId: number; body: Stmt }
  | { k: 'break'; loc: Loc }
  | { k: 'continue'; loc: Loc }
  | { k: 'goto'; loc: Loc; label: string }
  | { k: 'label'; loc: Loc; label: string; body: Stmt }
  | { k: 'null'; loc: Loc }
  /** GNU asm statement; operands keep GCC's order (outputs then inputs, numbered from 0). */
  | {
      k: 'asm';
      loc: Loc;
      template: string;
      volatile: boolean;
      outputs: AsmOperand[];
      inputs: AsmOperand[];
      clobbers: string[];
      /** Basic asm (no colon): `%` is not special in the template. */
      basic: boolean;
    };

export interface AsmOperand {
  /** `[name]` symbolic operand name. */
  name: string | null;
  constraint: string;
  /** Outputs (and memory inputs) are lvalues; register inputs are converted rvalues. */
  expr: Expr;
}

export interface CaseLabel {
  value: bigint | null;
  id: number;
}

export interface FuncDef {
  sym: Sym;
  params: Sym[];
  body: Stmt;
  /** Every automatic local (parameters excluded), for frame layout. */
  locals: Sym[];
  /** Static locals and string literals are hoisted to the unit's `globals`/`strings`. */
  loc: Loc;
}

export interface TranslationUnit {
  functions: FuncDef[];
  /** Objects with static storage duration defined or declared in this unit (incl. static locals). */
  globals: Sym[];
  strings: StringLit[];
  /** Top-level basic asm blocks, in source order. */
  toplevelAsm: string[];
}
