// `futura demo remote`: two Futura nodes in this process, ping on one and pong on the other, over
// an in-memory link whose loss, duplication, reordering and corruption rates are options; prints a
// transcript with frame, retransmission and CRC-error counts. Exit status 0 when every round trip
// completed, 1 otherwise.
import type { Command } from 'commander';
import type { CliContext } from '../context';
import { runRemoteDemo } from '../../host/fipc/demo';
import { parseCount } from '../numbers';

interface DemoFlags {
  count: string;
  loss: string;
  corrupt: string;
  duplicate: string;
  reorder: string;
  seed: string;
  verbose?: boolean;
  encrypted?: boolean;
  json?: boolean;
}

function rate(name: string, text: string): number | string {
  const n = Number(text);
  return Number.isFinite(n) && n >= 0 && n < 1
    ? n
    : `--${name} must be a probability in [0, 1), got '${text}'`;
}

export function registerDemo(program: Command, ctx: CliContext): void {
  const demo = program.command('demo').description('self-contained demonstrations');
  demo
    .command('remote')
    .description('two nodes in one process: ping-pong between a task on each over a (faulty) in-memory link')
    .option('--count <n>', 'round trips', '10')
    .option('--loss <p>', 'probability that a datagram is lost', '0')
    .option('--corrupt <p>', 'probability that a bit of a datagram is flipped', '0')
    .option('--duplicate <p>', 'probability that a datagram is delivered twice', '0')
    .option('--reorder <p>', 'probability that a datagram is held back', '0')
    .option('--seed <n>', 'seed of the link’s fault generator', '1')
    .option('--encrypted', 'seal every frame (X25519 + ChaCha20-Poly1305) instead of a plaintext link')
    .option('--verbose', 'print every message')
    .option('--json', 'print the counts as one JSON object after the transcript')
    .action((flags: DemoFlags) => {
      const fail = (m: string): void => {
        process.stderr.write(`futura demo remote: ${m}\n`);
        ctx.exitCode = 2;
      };
      const count = parseCount(flags.count);
      if (count === null) return fail(`--count must be a positive integer, got '${flags.count}'`);
      const seed = parseCount(flags.seed);
      if (seed === null) return fail(`--seed must be a positive integer, got '${flags.seed}'`);
      const rates = {
        loss: rate('loss', flags.loss),
        corrupt: rate('corrupt', flags.corrupt),
        duplicate: rate('duplicate', flags.duplicate),
        reorder: rate('reorder', flags.reorder),
      };
      for (const v of Object.values(rates)) if (typeof v === 'string') return fail(v);
      const out = (line: string): void => void process.stdout.write(`${line}\n`);
      try {
        const r = runRemoteDemo({
          count,
          faults: { ...(rates as Record<keyof typeof rates, number>), seed },
          verbose: flags.verbose === true,
          encrypted: flags.encrypted === true,
          out,
        });
        if (flags.json) {
          const { peers: _peers, ...counts } = r;
          out(JSON.stringify(counts));
        }
        ctx.exitCode = r.ok ? 0 : 1;
      } catch (e) {
        fail(e instanceof Error ? e.message : String(e));
      }
    });
}
