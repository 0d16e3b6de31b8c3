// Assembly sources for the driver: `.s` goes straight to the assembler; `.S` goes through the C
// preprocessor in assembler mode first. The preprocessor's line markers (`# N "file"`) are turned
// into a line map so assembler diagnostics point at the original file and line, as GCC's do.
import { assembleToElf } from '../asm/assembler';
import type { Diagnostic } from '../diag';
import { preprocessToText, type SourceProvider } from '../cc/index';

export interface AsmUnitOptions {
  path: string;
  provider: SourceProvider;
  text?: string;
  includeDirs?: string[];
  defines?: string[];
  undefines?: string[];
  werror?: boolean;
}

export interface AsmUnitResult {
  object: Uint8Array | null;
  diagnostics: Diagnostic[];
  includes: string[];
}

const MARKER = /^#\s*(\d+)\s+"((?:[^"\\]|\\.)*)"/;

/** Strips line markers; returns the text (same number of lines) and where each line came from. */
export function splitLineMarkers(
  text: string,
  path: string,
): { text: string; origin: Array<[string, number]> } {
  const lines = text.split('\n');
  const origin: Array<[string, number]> = [];
  let file = path;
  let line = 1;
  const out = lines.map((l) => {
    const m = MARKER.exec(l);
    if (m) {
      file = (m[2] ?? path).replace(/\\(.)/g, '$1');
      line = Number(m[1]);
      origin.push([file, line]);
      return '';
    }
    origin.push([file, line++]);
    return l;
  });
  return { text: out.join('\n'), origin };
}

/** Assembles a `.s` file, or preprocesses then assembles a `.S` file. Never throws. */
export function assembleUnit(opts: AsmUnitOptions): AsmUnitResult {
  const cpp = /\.S$/.test(opts.path);
  let text = opts.text ?? opts.provider.read(opts.path);
  if (text === undefined)
    return {
      object: null,
      diagnostics: [{ file: opts.path, line: 0, col: 0, severity: 'error', message: 'no such file' }],
      includes: [],
    };
  let includes = [opts.path];
  const diagnostics: Diagnostic[] = [];
  let origin: Array<[string, number]> | null = null;
  if (cpp) {
    const pp = preprocessToText({
      path: opts.path,
      provider: opts.provider,
      text,
      includeDirs: opts.includeDirs,
      defines: opts.defines,
      undefines: opts.undefines,
      werror: opts.werror,
      asm: true,
    });
    diagnostics.push(...pp.diagnostics);
    includes = pp.includes;
    if (pp.diagnostics.some((d) => d.severity === 'error')) return { object: null, diagnostics, includes };
    const split = splitLineMarkers(pp.text, opts.path);
    text = split.text;
    origin = split.origin;
  }
  const r = assembleToElf(text, { file: opts.path });
  for (const d of r.diagnostics) {
    const o = origin?.[d.line - 1];
    diagnostics.push(o ? { ...d, file: o[0], line: o[1] } : d);
  }
  return { object: r.elf, diagnostics, includes };
}
