// futcc code generation entry point: typed AST → GNU assembly text for RV32 (ilp32d).
// -O0: a stack machine (func.ts). -O1+ (-O2 is the same): locals in callee-saved registers shared
// across disjoint scopes (regalloc.ts), temporaries in registers (regexpr.ts, fpexpr.ts, and the
// value stack in vstack.ts), constant folding, strength reduction (strength.ts), loop-invariant
// hoisting (hoist.ts), deferred post-increments (defer.ts), dead-code elimination (dce.ts) and a
// peephole pass (peephole.ts).
// long double never reaches here: the front end rejects it (futcc maps no type to binary128).

import type { Diagnostic } from '../../diag';
import type { TranslationUnit } from '../ast';
import { compileToAst, type CompileOptions } from '../index';
import { emitGlobal, emitString } from './data';
import { describeFrame, emitDebugFrame, type FrameDescription } from './dwarf-frame';
import { emitDebugInfo, FuncScopes, functionEndLabel, type FuncRecord } from './debuginfo';
import { liveFunctions } from './dce';
import { FuncGen, Unsupported } from './func';
import { peephole } from './peephole';
import { UnitCtx, type CodegenOptions } from './unit';

export type { CodegenOptions } from './unit';

export interface CodegenResult {
  asm: string;
  diagnostics: Diagnostic[];
}

export function generateAssembly(
  tu: TranslationUnit,
  file = '<input>',
  opts: CodegenOptions = {},
): CodegenResult {
  const unit = new UnitCtx(opts);
  const head: string[] = [
    `  .file "${file.replace(/["\\]/g, (c) => `\\${c}`)}"`,
    '  .option nopic',
    '  .attribute arch, "rv32i2p1_m2p0_a2p1_f2p2_d2p2_c2p0"',
  ];
  const out: string[] = [];
  const diagnostics: Diagnostic[] = [];
  const fail = (loc: { file: string; line: number; col: number }, message: string): void => {
    diagnostics.push({ file: loc.file, line: loc.line, col: loc.col, severity: 'error', message });
  };
  out.push(...tu.toplevelAsm.map((a) => `  ${a}`));
  const debugFuncs: FuncRecord[] = [];
  const frames: FrameDescription[] = [];
  const live = unit.opt > 0 ? liveFunctions(tu) : null;
  tu.functions.forEach((f, i) => {
    if (live && !live.has(f)) return;
    try {
      unit.resetLoc();
      const g = new FuncGen(f, i, unit);
      if (unit.debug) g.scopes = new FuncScopes(f, i);
      const lines = g.generate();
      const final = unit.opt > 0 ? peephole(lines) : lines;
      if (g.scopes) {
        const d = describeFrame(final, f.sym.linkName, functionEndLabel(i), i);
        if (d.frame) frames.push(d.frame);
        out.push(...d.lines, `${functionEndLabel(i)}:`);
        debugFuncs.push({
          scopes: g.scopes,
          name: f.sym.linkName,
          end: functionEndLabel(i),
          home: (s) => g.home(s),
        });
      } else out.push(...final);
    } catch (e) {
      if (!(e instanceof Unsupported)) throw e;
      fail(f.loc, `in function '${f.sym.name}': ${e.message}`);
    }
  });
  const emitted = new Set<string>();
  for (const g of tu.globals) {
    if (!g.defined || g.isFunction || emitted.has(g.linkName)) continue;
    emitted.add(g.linkName);
    emitGlobal(out, g, (m) => fail(g.loc, m));
  }
  for (const s of tu.strings) emitString(out, s);
  out.push(...unit.rodata());
  if (unit.debug && diagnostics.length === 0) {
    const labels = new Set(out.filter((l) => l.endsWith(':')).map((l) => l.slice(0, -1)));
    const fileNumber = (f: string): number => unit.fileNumber(f);
    out.push(...emitDebugInfo(tu, debugFuncs, { file, compDir: opts.compDir, fileNumber, labels }));
    out.push(...emitDebugFrame(frames));
  }
  return { asm: `${[...head, ...unit.fileLines, ...out].join('\n')}\n`, diagnostics };
}

/** Source to assembly in one call: front end, then code generation if it succeeded. */
export function compileToAssembly(
  opts: CompileOptions & CodegenOptions,
): CodegenResult & { ok: boolean; includes: string[] } {
  const r = compileToAst(opts);
  if (!r.ok || !r.ast) return { asm: '', diagnostics: r.diagnostics, ok: false, includes: r.includes };
  try {
    const g = generateAssembly(r.ast, opts.path, opts);
    const diagnostics = [...r.diagnostics, ...g.diagnostics];
    return { asm: g.asm, diagnostics, ok: g.diagnostics.length === 0, includes: r.includes };
  } catch (e) {
    const message = `internal compiler error in code generation: ${e instanceof Error ? e.message : String(e)}`;
    return {
      asm: '',
      diagnostics: [...r.diagnostics, { file: opts.path, line: 1, col: 1, severity: 'error', message }],
      ok: false,
      includes: r.includes,
    };
  }
}
