// Command-line parsing for `futura cc`, gcc's spelling: single-dash long options (-Wall,
// -nostdlib), values glued or separate (-Idir / -I dir), -Wl,a,b pass-through to the linker.
import type { OptLevel } from '../../toolchain/driver/index';

export type CcMode = 'link' | 'compile' | 'assemble-only' | 'preprocess';

export interface CcArgs {
  mode: CcMode;
  output: string | null;
  inputs: string[];
  includeDirs: string[];
  defines: string[];
  undefines: string[];
  libDirs: string[];
  libs: string[];
  optLevel: OptLevel;
  debug: boolean;
  wall: boolean;
  werror: boolean;
  noWarnings: boolean;
  noRuntime: boolean;
  /** -nostdinc: no libfutura headers after the -I folders. */
  noStdInc: boolean;
  mapFile: string | null;
  entry: string | undefined;
  help: boolean;
}

/** gcc options futcc accepts and ignores (they do not change what futcc produces). */
const IGNORED =
  /^-(std=.*|ansi|pedantic(-errors)?|static|nostartfiles|nodefaultlibs|ffreestanding|fno-builtin.*|fno-pic|fno-pie|no-pie|fno-common|fno-strict-aliasing|fno-omit-frame-pointer|fomit-frame-pointer|ffunction-sections|fdata-sections|fno-stack-protector|pipe|mcmodel=medlow|mno-relax|mstrict-align|W(?!all$|error$|l,).*)$/;

/** Parses gcc-style arguments; returns an error message for a bad command line. */
export function parseCcArgs(args: readonly string[]): CcArgs | string {
  const r: CcArgs = {
    mode: 'link',
    output: null,
    inputs: [],
    includeDirs: [],
    defines: [],
    undefines: [],
    libDirs: [],
    libs: [],
    optLevel: 0,
    debug: false,
    wall: false,
    werror: false,
    noWarnings: false,
    noRuntime: false,
    noStdInc: false,
    mapFile: null,
    entry: undefined,
    help: false,
  };
  const modes: CcMode[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    const m = /^-([oIDULl])(.*)$/.exec(a);
    if (m) {
      const v = m[2] !== '' ? (m[2] as string) : args[++i];
      if (v === undefined) return `missing argument to '${a}'`;
      if (m[1] === 'o') r.output = v;
      else if (m[1] === 'I') r.includeDirs.push(v);
      else if (m[1] === 'D') r.defines.push(v);
      else if (m[1] === 'U') r.undefines.push(v);
      else if (m[1] === 'L') r.libDirs.push(v);
      else r.libs.push(v);
      continue;
    }
    const o = /^-O([0-3sgz]?)$/.exec(a);
    if (o) {
      const l = o[1] ?? '';
      r.optLevel = l === '' ? 1 : l === 's' || l === 'z' ? 2 : l === 'g' ? 1 : (Number(l) as OptLevel);
      continue;
    }
    if (a === '-c') modes.push('compile');
    else if (a === '-S') modes.push('assemble-only');
    else if (a === '-E') modes.push('preprocess');
    else if (/^-g(gdb|dwarf(-\d)?|[1-3])?$/.test(a)) r.debug = true;
    else if (a === '-g0') r.debug = false;
    else if (a === '-Wall') r.wall = true;
    else if (a === '-Werror') r.werror = true;
    else if (a === '-w') r.noWarnings = true;
    else if (a === '-nostdlib') r.noRuntime = true;
    else if (a === '-nostdinc') r.noStdInc = true;
    else if (a === '--help' || a === '-h') r.help = true;
    else if (a.startsWith('-Wl,')) {
      const parts = a.slice(4).split(',');
      for (let k = 0; k < parts.length; k++) {
        const p = parts[k] as string;
        const mm = /^--?(Map|entry|e)(=(.*))?$/.exec(p);
        if (!mm) {
          if (/^(--no-relax|--gc-sections|-static|--no-gc-sections)$/.test(p)) continue;
          return `unsupported linker option '${p}' in '${a}'`;
        }
        const v = mm[3] ?? parts[++k];
        if (v === undefined) return `missing argument to '${p}' in '${a}'`;
        if (mm[1] === 'Map') r.mapFile = v;
        else r.entry = v;
      }
    } else if (/^-m(arch|abi)=/.test(a)) {
      if (!/^-m(arch=rv32[a-z0-9_]*|abi=ilp32d?)$/.test(a))
        return `unsupported target option '${a}' (futcc targets rv32gc, ilp32d)`;
    } else if (IGNORED.test(a)) continue;
    else if (a.startsWith('-') && a !== '-') return `unrecognized command-line option '${a}'`;
    else r.inputs.push(a);
  }
  const distinct = [...new Set(modes)];
  // gcc: -E wins over -S wins over -c.
  r.mode = distinct.includes('preprocess')
    ? 'preprocess'
    : distinct.includes('assemble-only')
      ? 'assemble-only'
      : distinct.includes('compile')
        ? 'compile'
        : 'link';
  return r;
}
