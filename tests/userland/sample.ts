// The bundled sample userland built by the real build graph (core/toolchain/build through the
// host's WorkspaceBuild) with GCC or futcc — once per test file and toolchain, with an on-disk
// cache in the temp folder — and a shell-session driver on top of bootUserland.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WorkspaceBuild } from '../../core/host/build/workspace-build';
import type { ToolchainName } from '../../core/toolchain/build/manifest';
import type { Image } from '../../core/toolchain/build/types';
import { bootUserland, type BootOptions, type BootResult } from './boot';

export const SAMPLE_DIR = fileURLToPath(new URL('../../sample-userland', import.meta.url));

const builds = new Map<ToolchainName, Promise<Image>>();

async function build(toolchain: ToolchainName): Promise<Image> {
  const wb = new WorkspaceBuild(SAMPLE_DIR, { cacheDir: join(tmpdir(), 'futura-test-userland-build') });
  const r = await wb.build({ toolchain });
  if (!r.ok || !r.image) {
    const errors = r.diagnostics.filter((d) => d.severity === 'error');
    throw new Error(`sample userland (${toolchain}) does not build:\n${JSON.stringify(errors, null, 1)}`);
  }
  return r.image;
}

export function sampleImage(toolchain: ToolchainName = 'gcc'): Promise<Image> {
  let p = builds.get(toolchain);
  if (!p) {
    p = build(toolchain);
    builds.set(toolchain, p);
  }
  return p;
}

/** Boots the sample to the shell, types `lines`, then closes the console (the shell exits). */
export async function shellSession(
  lines: BootOptions['input'],
  opts: BootOptions & { toolchain?: ToolchainName } = {},
): Promise<BootResult> {
  return bootUserland(await sampleImage(opts.toolchain), { ...opts, input: lines });
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
