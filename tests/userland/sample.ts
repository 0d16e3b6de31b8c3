// The bundled sample userland, built once per test file with GCC (objects cached on disk), and a
// shell session driver on top of bootUserland.
import { fileURLToPath } from 'node:url';
import { bootUserland, type BootOptions, type BootResult } from './boot';
import { buildUserlandWithGcc, type UserlandImage } from './gcc-build';

export const SAMPLE_DIR = fileURLToPath(new URL('../../sample-userland', import.meta.url));

let image: UserlandImage | null = null;

export function sampleImage(): UserlandImage {
  image ??= buildUserlandWithGcc(SAMPLE_DIR);
  return image;
}

/** Boots the sample to the shell, types `lines`, then closes the console (the shell exits). */
export function shellSession(lines: string[], opts: BootOptions = {}): BootResult {
  return bootUserland(sampleImage(), { ...opts, input: lines });
}

/** The text the shell printed for one command line: from its prompt to the next prompt. */
export function commandOutput(out: string, line: string): string {
  const marker = `$ ${line}\n`;
  const at = out.indexOf(marker);
  if (at < 0) throw new Error(`command '${line}' not found in the transcript:\n${out}`);
  const rest = out.slice(at + marker.length);
  const next = rest.search(/fsh:[^\n$]*\$ /);
  return next < 0 ? rest : rest.slice(0, next);
}
