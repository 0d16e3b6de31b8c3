// futcc as a build-graph Toolchain, through its driver: C through the compiler and assembler,
// `.S` through the preprocessor then the assembler, `.s` straight to the assembler, and
// libfutcc-rt.a as the runtime archive. Pure and synchronous underneath: one unit at a time.
import {
  compileUnit,
  runtimeArchive,
  RUNTIME_ARCHIVE_NAME,
  type OptLevel,
  type SourceProvider,
} from '../driver/index';
import { utf8Decode } from '../../util/utf8';
import { parseFutccFlags } from './flags';
import type { CompileOutcome, CompileRequest, FileSource, Toolchain } from './types';

export interface FutccToolchainOptions {
  /** Version identity for cache keys (the host passes a hash of the compiler's own sources). */
  id?: string;
}

function providerFor(files: FileSource): SourceProvider {
  return {
    read: (p) => {
      const b = files.read(p);
      return b === undefined ? undefined : utf8Decode(b);
    },
  };
}

export function futccToolchain(opts: FutccToolchainOptions = {}): Toolchain {
  let runtime: { name: string; data: Uint8Array } | null = null;
  return {
    id: opts.id ?? 'futcc',
    parallel: 1,
    async compile(req: CompileRequest, files: FileSource): Promise<CompileOutcome> {
      const f = parseFutccFlags(req.cflags);
      const r = compileUnit({
        path: req.path,
        provider: providerFor(files),
        includeDirs: [...f.includeDirs, ...req.includeDirs],
        defines: f.defines,
        undefines: f.undefines,
        optLevel: Math.min(3, f.optLevel) as OptLevel,
        debug: f.debug,
        wall: f.wall,
        werror: f.werror,
      });
      // Link-time style positions (0) are not editor positions: clamp to the first column.
      const diagnostics = r.diagnostics.map((d) => ({
        ...d,
        line: Math.max(1, d.line),
        col: Math.max(1, d.col),
      }));
      return { ok: r.ok, object: r.object, diagnostics, includes: r.includes };
    },
    async runtime() {
      runtime ??= { name: RUNTIME_ARCHIVE_NAME, data: runtimeArchive() };
      return runtime;
    },
  };
}
