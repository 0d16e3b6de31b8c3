// The IDE's toolchain choice: which toolchains this machine offers (futcc is built in; GCC is the
// first RISC-V GCC on PATH, with its version), and the manifest edit that records the choice in
// the workspace's futura.json, touching only the `toolchain` field so the user's layout stays.
import { execFile } from 'node:child_process';
import { basename } from 'node:path';
import type { ToolchainChoice, ToolchainInfo } from '../../protocol/messages';
import { JsonSyntaxError, parseJsonWithPositions, type Pos } from '../../toolchain/build/json';
import { findGcc, GCC_NAMES } from '../build/gcc';

/** GCC versions by executable path (asking costs a process; the answer does not change). */
const versions = new Map<string, Promise<string | null>>();

function gccVersion(path: string): Promise<string | null> {
  let v = versions.get(path);
  if (!v) {
    v = new Promise((resolve) => {
      execFile(path, ['-dumpversion'], { timeout: 10_000 }, (err, stdout) =>
        resolve(err ? null : stdout.trim() || null),
      );
    });
    versions.set(path, v);
  }
  return v;
}

/** futcc, then the PATH's GCC (found or not) as the picker shows them. */
export async function availableToolchains(env: NodeJS.ProcessEnv = process.env): Promise<ToolchainInfo[]> {
  const futcc: ToolchainInfo = { name: 'futcc', available: true, label: 'futcc (built-in)' };
  const path = findGcc(env);
  if (!path) {
    return [
      futcc,
      {
        name: 'gcc',
        available: false,
        label: 'GCC',
        reason: `no ${GCC_NAMES.join(' or ')} on PATH`,
      },
    ];
  }
  const version = await gccVersion(path);
  if (version === null) {
    return [
      futcc,
      { name: 'gcc', available: false, label: basename(path), path, reason: `${path} does not run` },
    ];
  }
  return [futcc, { name: 'gcc', available: true, label: `${basename(path)} ${version}`, path, version }];
}

export class ManifestEditError extends Error {}

/** The toolchain a manifest's text names (futcc when it names none or cannot be read). */
export function manifestToolchain(text: string): ToolchainChoice {
  try {
    const root = JSON.parse(text) as unknown;
    if (typeof root === 'object' && root !== null && (root as { toolchain?: unknown }).toolchain === 'gcc')
      return 'gcc';
  } catch {
    // a broken manifest fails the build with its own diagnostics; the choice shows the default
  }
  return 'futcc';
}

/**
 * The manifest's text with its top-level `toolchain` set to `name`: the old value replaced in
 * place, or the field added before the first one with the same indentation.
 */
export function withToolchain(text: string, name: ToolchainChoice): string {
  let parsed;
  try {
    parsed = parseJsonWithPositions(text);
  } catch (err) {
    if (!(err instanceof JsonSyntaxError)) throw err;
    throw new ManifestEditError(
      `futura.json:${err.pos.line}:${err.pos.col}: ${err.message} (fix the manifest first)`,
    );
  }
  const root = parsed.value;
  if (typeof root !== 'object' || root === null || Array.isArray(root))
    throw new ManifestEditError('futura.json is not a JSON object');
  const value = JSON.stringify(name);
  let out: string | null = null;
  const at = parsed.positions.get('toolchain');
  if (at && typeof root.toolchain === 'string') {
    const start = offsetOf(text, at);
    out = text.slice(0, start) + value + text.slice(stringEnd(text, start));
  } else if (!('toolchain' in root)) {
    const open = offsetOf(text, parsed.positions.get('') ?? { line: 1, col: 1 });
    const first = text.indexOf('"', open + 1);
    out =
      Object.keys(root).length === 0 || first < 0
        ? `${text.slice(0, open + 1)} "toolchain": ${value} ${text.slice(text.indexOf('}', open))}`
        : `${text.slice(0, first)}"toolchain": ${value},${text.slice(open + 1, first)}${text.slice(first)}`;
  }
  // A value that is no string (an error the build reports) or an edit gone wrong: write it anew.
  if (out === null || manifestToolchain(out) !== name || !sameExceptToolchain(out, root)) {
    out = `${JSON.stringify({ ...root, toolchain: name }, null, 2)}\n`;
  }
  return out;
}

function sameExceptToolchain(text: string, before: object): boolean {
  const after = JSON.parse(text) as Record<string, unknown>;
  const { toolchain: _a, ...restAfter } = after;
  const { toolchain: _b, ...restBefore } = before as Record<string, unknown>;
  return JSON.stringify(restAfter) === JSON.stringify(restBefore);
}

/** The character offset of a 1-based line:column. */
function offsetOf(text: string, pos: Pos): number {
  let off = 0;
  for (let line = 1; line < pos.line; line++) off = text.indexOf('\n', off) + 1;
  return off + pos.col - 1;
}

/** Just past the JSON string literal starting at `start` (its opening quote). */
function stringEnd(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
  return i + 1;
}
