// Boots a userland image on the Futura kernel (deterministic virtual clock) and drives the
// console like a user: each input line is typed only once every task is blocked (the shell is
// waiting at its prompt), so the transcript reads as it would on a terminal.
import { Board } from '../../core/machine/board';
import { Kernel } from '../../core/kernel/boot/kernel';
import { isLoadFailure } from '../../core/kernel/loader';
import type { Image } from '../../core/toolchain/build/types';

export interface BootOptions {
  /**
   * Console input. A string is a line (a '\n' is added), typed once every task is blocked (the
   * shell waits at its prompt); { text } types raw bytes (no '\n' added) the same way; { afterMs, text }
   * types them once the virtual clock is afterMs past the previous input, idle or not (for ^C into
   * a program that never idles).
   */
  input?: (string | { afterMs?: number; text: string })[];
  /** argv of the first task (default: /sbin/init). */
  argv?: string[];
  /** Extra or replacement files. */
  files?: Record<string, Uint8Array | string>;
  /** Guest instruction budget (default 400 million). */
  budget?: number;
  /** Close the console input after the last line (default true). */
  endInput?: boolean;
}

export interface BootResult {
  out: string;
  outcome: 'exited' | 'idle' | 'budget';
  status: number | undefined;
  kernel: Kernel;
  board: Board;
}

const CHUNK = 2_000_000;
const TIMED_CHUNK = 100_000;

export function bootUserland(img: Image, opts: BootOptions = {}): BootResult {
  const board = new Board({ ramSize: 64 << 20 });
  const dec = new TextDecoder();
  let out = '';
  const k = new Kernel(board, { onOutput: (b) => (out += dec.decode(b)) });
  for (const d of img.dirs) k.vfs.mkdir(d, 0o755);
  for (const f of img.files) k.vfs.writeFile(f.path, f.data, f.mode);
  const enc = new TextEncoder();
  for (const [p, data] of Object.entries(opts.files ?? {}))
    k.vfs.writeFile(p, typeof data === 'string' ? enc.encode(data) : data, 0o755);
  const argv = opts.argv ?? ['/sbin/init'];
  const init = k.spawn(argv[0]!, argv);
  if (isLoadFailure(init)) throw new Error(init.message);
  const lines = [...(opts.input ?? [])];
  const budget = opts.budget ?? 400_000_000;
  let used = 0;
  let ended = false;
  let lastInputMs = 0;
  let outcome: BootResult['outcome'] = 'budget';
  while (used < budget) {
    const next = lines[0];
    const timed = typeof next === 'object' && next.afterMs !== undefined ? next : null;
    const chunk = Math.min(timed ? TIMED_CHUNK : CHUNK, budget - used);
    const r = k.run(chunk);
    used += chunk;
    if (r === 'exited') {
      outcome = 'exited';
      break;
    }
    if (timed && (k.clock.nowMs >= lastInputMs + (timed.afterMs ?? 0) || r === 'idle')) {
      lines.shift();
      k.console.feed(enc.encode(timed.text));
      lastInputMs = k.clock.nowMs;
      continue;
    }
    if (r !== 'idle' || timed) continue;
    if (next !== undefined) {
      lines.shift();
      k.console.feed(enc.encode(typeof next === 'string' ? next + '\n' : next.text));
      lastInputMs = k.clock.nowMs;
    } else if (!ended && opts.endInput !== false) {
      k.console.endOfInput();
      ended = true;
    } else {
      outcome = 'idle';
      break;
    }
  }
  return { out, outcome, status: k.exits.get(init.pid), kernel: k, board };
}
