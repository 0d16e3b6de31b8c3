// The GDB stub section: guest speed under GDB's `continue`, with a software breakpoint set (on code
// the guest never reaches) and without, from interleaved runs of one spinning guest on the stub's
// kernel target. Breakpoints are ebreak patches, so the ratio should stay near 1 (the stub used to
// single-step whenever a breakpoint was set: about 2 MIPS).
import { Board } from '../core/machine/board';
import { Kernel, isLoadFailure } from '../core/kernel';
import { loopDriver } from '../core/host/gdb/drive';
import { KernelDebugTarget } from '../core/host/gdb/kernel-target';
import type { ResumeControl } from '../core/host/gdb/stub';
import { assembleToElf } from '../core/toolchain/asm/assembler';
import { link } from '../core/toolchain/link/linker';
import type { BenchContext, BenchSection, SectionResult } from './section';

/** A counting loop with a store; `never` (0x400018 without compressed encodings) is not called. */
const SPIN = `
  .option norvc
  .text
  .globl _start
_start:
  la s1, cell
  li s0, 0
1:
  addi s0, s0, 1
  sw s0, 0(s1)
  j 1b
never:
  ret
  .bss
cell: .space 4
`;
const NEVER = 0x400018;

function spinElf(): Uint8Array {
  const obj = assembleToElf(SPIN, { file: 'spin.s' });
  const elf = obj.elf && link([{ name: 'spin.o', data: obj.elf }], { entry: '_start' }).elf;
  if (!elf) throw new Error('gdb bench: cannot assemble the spinning guest');
  return elf;
}

/** Guest MIPS over `ms` of GDB's continue, stopped by an interrupt as ^C would. */
async function continueMips(elf: Uint8Array, breakpoint: boolean, ms: number): Promise<number> {
  const board = new Board({ ramSize: 16 << 20 });
  const k = new Kernel(board);
  k.vfs.writeFile('/sbin/init', elf, 0o755);
  const init = k.spawn('/sbin/init', ['/sbin/init']);
  if (isLoadFailure(init)) throw new Error(init.message);
  const target = new KernelDebugTarget(k, { mainPid: init.pid, driver: loopDriver() });
  if (breakpoint && !target.insertPoint(0, NEVER, 4)) throw new Error('gdb bench: breakpoint refused');
  // Warm the translator up before the clock starts.
  k.run(2_000_000);
  let stop = false;
  const ctl: ResumeControl = { breakpoints: new Set(), interrupted: () => stop };
  const timer = setTimeout(() => (stop = true), ms);
  const i0 = board.hart.instret;
  const t0 = performance.now();
  const r = await target.resume('continue', ctl);
  const dt = performance.now() - t0;
  clearTimeout(timer);
  if (r.kind !== 'interrupt') throw new Error(`gdb bench: the guest stopped (${r.kind})`);
  return (board.hart.instret - i0) / dt / 1000;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export const gdbSection: BenchSection = {
  name: 'gdb stub',
  async run(ctx: BenchContext): Promise<SectionResult> {
    const elf = spinElf();
    const rounds = ctx.options.quick ? 1 : 5;
    const ms = ctx.options.quick ? 200 : 1000;
    const plain: number[] = [];
    const withBp: number[] = [];
    for (let i = 0; i < rounds; i++) {
      plain.push(await continueMips(elf, false, ms));
      withBp.push(await continueMips(elf, true, ms));
    }
    const a = median(plain);
    const b = median(withBp);
    ctx.progress(`gdb stub: continue ${a.toFixed(1)} MIPS, with a breakpoint ${b.toFixed(1)} MIPS`);
    return {
      figures: {
        gdb_continue_mips: Number(a.toFixed(2)),
        gdb_continue_breakpoint_mips: Number(b.toFixed(2)),
        gdb_breakpoint_speed_ratio: Number((b / a).toFixed(3)),
      },
      rows: [
        ['continue (MIPS)', a.toFixed(1)],
        ['continue with a breakpoint set (MIPS)', b.toFixed(1)],
        ['ratio', (b / a).toFixed(3)],
      ],
    };
  },
};
