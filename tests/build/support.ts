// Test helpers for the build graph: an in-memory workspace (edits without touching disk), a
// counting toolchain wrapper, and the fixture userland's files.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CompileRequest, FileSource, Toolchain } from '../../core/toolchain/build/types';

export const MINI = fileURLToPath(new URL('../fixtures/build/mini', import.meta.url));

const enc = new TextEncoder();

export class MemFiles implements FileSource {
  readonly files = new Map<string, Uint8Array>();
  reads = 0;

  read(path: string): Uint8Array | undefined {
    this.reads++;
    return this.files.get(path);
  }

  list(dir: string): string[] | undefined {
    const prefix = dir === '.' || dir === '' ? '' : `${dir}/`;
    const out = [...this.files.keys()]
      .filter((p) => p.startsWith(prefix) && !p.slice(prefix.length).includes('/'))
      .map((p) => p.slice(prefix.length));
    return out.length > 0 || [...this.files.keys()].some((p) => p.startsWith(prefix))
      ? out.sort()
      : undefined;
  }

  write(path: string, text: string): void {
    this.files.set(path, enc.encode(text));
  }

  text(path: string): string {
    return new TextDecoder().decode(this.files.get(path));
  }

  /** Replaces the first occurrence of `from` in a file (the edit must apply). */
  edit(path: string, from: string, to: string): void {
    const t = this.text(path);
    if (!t.includes(from)) throw new Error(`${path} does not contain ${from}`);
    this.write(path, t.replace(from, to));
  }

  static fromDir(dir: string): MemFiles {
    const m = new MemFiles();
    const walk = (host: string, rel: string): void => {
      for (const name of readdirSync(host)) {
        const h = join(host, name);
        const r = rel ? `${rel}/${name}` : name;
        if (statSync(h).isDirectory()) walk(h, r);
        else m.files.set(r, new Uint8Array(readFileSync(h)));
      }
    };
    walk(dir, '');
    return m;
  }
}

/** Wraps a toolchain and records which paths it actually compiled. */
export function counting(tc: Toolchain): Toolchain & { compiled: string[] } {
  const compiled: string[] = [];
  return {
    id: tc.id,
    parallel: tc.parallel,
    compiled,
    compile: (req: CompileRequest, files: FileSource) => {
      compiled.push(req.path);
      return tc.compile(req, files);
    },
    runtime: () => tc.runtime(),
  };
}
