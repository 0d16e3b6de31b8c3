// A/B of the kernel section's workloads between this tree and another checkout of the repository
// (e.g. `git archive COMMIT core package.json tsconfig.json tsconfig.base.json | tar -x -C DIR`), for judging kernel changes on a shared, noisy
// machine: both kernels run in this one process, in alternating rounds, so load swings hit them
// alike, and each run is also timed on this thread's CPU time.
//
//   npx tsx bench/kernel-ab.ts OTHER_ROOT [KEY=COUNT ...] [--rounds N]
//
// KEY is a figure of the kernel section (syscalls_per_s, fipc_roundtrips_per_s,
// fork_exit_wait_per_s); with no KEY every workload runs at a tenth of its full count. Prints the
// median rates of both trees and new/old ratios. Not part of `futura bench`.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildGuest, WORKLOADS } from './kernel';
import { findTool, RV_GCC } from './tools';

/** CPU time of this thread in seconds (1/100 s ticks); time spent descheduled does not count. */
function threadSeconds(): number {
  const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** The parts of a tree's kernel the runs need (loaded from that tree's sources). */
interface Tree {
  name: string;
  Board: new (o: { ramSize: number }) => { hart: { instret: number } };
  Kernel: new (
    board: unknown,
    o: { onOutput: (b: Uint8Array) => void },
  ) => {
    vfs: { writeFile(path: string, data: Uint8Array, mode: number): void };
    spawn(path: string, argv: string[]): { pid: number } | { message: string };
    run(n: number): string;
    exits: Map<number, number>;
  };
}

async function loadTree(name: string, root: string): Promise<Tree> {
  const url = (p: string): string => pathToFileURL(join(root, p)).href;
  const board = (await import(url('core/machine/board.ts'))) as { Board: Tree['Board'] };
  const kernel = (await import(url('core/kernel/boot/kernel.ts'))) as { Kernel: Tree['Kernel'] };
  return { name, Board: board.Board, Kernel: kernel.Kernel };
}

/** One run of `elf` as init to the last exit; returns [wall seconds, thread CPU seconds]. */
function runOnce(tree: Tree, elf: Uint8Array, count: number): [number, number] {
  const board = new tree.Board({ ramSize: 32 << 20 });
  let out = '';
  const decoder = new TextDecoder();
  const k = new tree.Kernel(board, { onOutput: (b) => (out += decoder.decode(b, { stream: true })) });
  k.vfs.writeFile('/bin/guest', elf, 0o755);
  const cpu0 = threadSeconds();
  const t0 = performance.now();
  const init = k.spawn('/bin/guest', ['/bin/guest', String(count)]);
  if (!('pid' in init)) throw new Error(`${tree.name}: ${init.message}`);
  for (;;) {
    const outcome = k.run(20_000_000);
    if (outcome === 'exited') break;
    if (outcome !== 'budget') throw new Error(`${tree.name}: ${outcome} (output: ${out})`);
  }
  const wall = (performance.now() - t0) / 1000;
  const cpu = threadSeconds() - cpu0;
  if (!out.includes(`count ${count}\n`) || k.exits.get(init.pid) !== 0)
    throw new Error(`${tree.name}: wrong result (output: ${out})`);
  return [wall, cpu];
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const args = process.argv.slice(2);
const other = args.shift();
if (other === undefined) throw new Error('usage: kernel-ab.ts OTHER_ROOT [KEY=COUNT ...] [--rounds N]');
let rounds = 5;
const asked = new Map<string, number>();
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--rounds') rounds = Number(args[++i]);
  else {
    const [key, count] = args[i]!.split('=');
    asked.set(key!, Number(count));
  }
}
// Without the package.json ("type": "module") and tsconfig beside core/, tsx compiles the other
// tree differently and it ran about half as fast as the same sources here: a false ratio of ~2.
for (const f of ['package.json', 'tsconfig.json'])
  if (!existsSync(join(other, f)))
    throw new Error(`${other} has no ${f}: copy it with core/ (git archive COMMIT core ${f} ...)`);
const gcc = findTool(RV_GCC);
if (gcc === null) throw new Error(`${RV_GCC} is not installed`);
const trees = [
  await loadTree('this', resolve(import.meta.dirname, '..')),
  await loadTree('other', resolve(other)),
];
for (const w of WORKLOADS.filter((x) => asked.size === 0 || asked.has(x.key))) {
  const count = asked.get(w.key) ?? Math.round(w.full / 10);
  const elf = buildGuest(gcc, w.source);
  const wall = trees.map(() => [] as number[]);
  const cpu = trees.map(() => [] as number[]);
  for (let r = 0; r < rounds; r++) {
    // Alternate which tree goes first, so neither always runs right after the other's garbage.
    const order = r % 2 === 0 ? [0, 1] : [1, 0];
    for (const t of order) {
      const [ws, cs] = runOnce(trees[t]!, elf, count);
      wall[t]!.push(count / ws);
      cpu[t]!.push(count / cs);
    }
  }
  const [wa, wb] = wall.map(median) as [number, number];
  const [ca, cb] = cpu.map(median) as [number, number];
  console.log(
    `${w.key} x ${count}: this ${Math.round(wa)}/s wall, ${Math.round(ca)}/s CPU; ` +
      `other ${Math.round(wb)}/s wall, ${Math.round(cb)}/s CPU; ` +
      `ratio ${(wa / wb).toFixed(2)} wall, ${(ca / cb).toFixed(2)} CPU (medians of ${rounds})`,
  );
}
