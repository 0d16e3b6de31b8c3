// The GCC-style flags of the manifest and command line, read into futcc's options. GCC gets the
// flags verbatim; futcc takes the common subset (-O, -g, -Wall, -Werror, -D, -U, -I) and ignores
// the rest (machine and code-model flags that only mean something to GCC), as a build must not
// fail because a workspace was written for GCC first.

export interface FutccFlags {
  optLevel: number;
  debug: boolean;
  wall: boolean;
  werror: boolean;
  defines: string[];
  undefines: string[];
  includeDirs: string[];
}

export function parseFutccFlags(flags: readonly string[]): FutccFlags {
  const out: FutccFlags = {
    optLevel: 0,
    debug: false,
    wall: false,
    werror: false,
    defines: [],
    undefines: [],
    includeDirs: [],
  };
  for (let i = 0; i < flags.length; i++) {
    const f = flags[i]!;
    const operand = (prefix: string): string | null => {
      if (f === prefix) return flags[++i] ?? null;
      return f.slice(prefix.length);
    };
    let m: RegExpExecArray | null;
    if ((m = /^-O([0-3sgz]?)$/.exec(f))) {
      const o = m[1]!;
      out.optLevel = o === '' ? 1 : /\d/.test(o) ? Number(o) : o === 'g' ? 1 : 2;
    } else if (/^-g\d?$/.test(f) || f === '-ggdb') out.debug = !f.endsWith('0');
    else if (f === '-Wall' || f === '-Wextra') out.wall = true;
    else if (f === '-Werror') out.werror = true;
    else if (f.startsWith('-D')) {
      const d = operand('-D');
      if (d) out.defines.push(d);
    } else if (f.startsWith('-U')) {
      const u = operand('-U');
      if (u) out.undefines.push(u);
    } else if (f.startsWith('-I')) {
      const d = operand('-I');
      if (d) out.includeDirs.push(d);
    }
  }
  return out;
}
