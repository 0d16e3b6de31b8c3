// Runs kernel-section workloads alone, several times, for profiling and before/after checks on a
// shared machine (medians, not one sample):
//
//   npx tsx bench/kernel-one.ts [KEY=COUNT ...] [--repeat N]
//   node --cpu-prof --import tsx bench/kernel-one.ts fipc_roundtrips_per_s=100000
//
// KEY is a figure of the kernel section (syscalls_per_s, fipc_roundtrips_per_s,
// fork_exit_wait_per_s); with no KEY every workload runs at a tenth of its full count.
// Not part of `futura bench`.
import { readFileSync } from 'node:fs';
import { buildGuest, runGuest, WORKLOADS } from './kernel';
import { findTool, RV_GCC } from './tools';

/** CPU time of this thread in seconds (1/100 s ticks); time spent descheduled does not count. */
function threadSeconds(): number {
  const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

const gcc = findTool(RV_GCC);
if (gcc === null) throw new Error(`${RV_GCC} is not installed`);
const args = process.argv.slice(2);
let repeat = 3;
const asked = new Map<string, number>();
for (let i = 0; i < args.length; i++) {
  const a = args[i]!;
  if (a === '--repeat') repeat = Number(args[++i]);
  else {
    const [key, count] = a.split('=');
    asked.set(key!, Number(count));
  }
}
const ctx = { options: { quick: false, timeBudgetSeconds: 600 }, progress: () => {} };
const chosen = WORKLOADS.filter((w) => asked.size === 0 || asked.has(w.key));
const elfs = new Map(chosen.map((w) => [w.key, buildGuest(gcc, w.source)]));
const rates = new Map<string, number[]>(chosen.map((w) => [w.key, []]));
const cpuRates = new Map<string, number[]>(chosen.map((w) => [w.key, []]));
// Interleaved rounds, so a load swing on the machine hits every workload alike.
for (let r = 0; r < repeat; r++) {
  for (const w of chosen) {
    const count = asked.get(w.key) ?? Math.round(w.full / 10);
    const cpu0 = threadSeconds();
    const run = runGuest(ctx, w.source.replace(/\.c$/, ''), elfs.get(w.key)!, count);
    rates.get(w.key)!.push(count / run.seconds);
    cpuRates.get(w.key)!.push(count / (threadSeconds() - cpu0));
  }
}
function summary(samples: number[]): string {
  const xs = [...samples].sort((a, b) => a - b);
  const median = xs[Math.floor(xs.length / 2)]!;
  return `median ${Math.round(median)} (${xs.map((x) => Math.round(x)).join(' ')})`;
}
for (const w of chosen) {
  console.log(`${w.key}: wall ${summary(rates.get(w.key)!)}; thread CPU ${summary(cpuRates.get(w.key)!)}`);
}
