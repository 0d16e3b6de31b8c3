// futcc -g: call frame information (.debug_frame) so debuggers such as GDB unwind futcc frames
// exactly — the CFA, where ra, s0 and the callee-saved registers (s1-s11, fs0-fs11) are saved —
// instead of guessing from the prologue. The prologue and epilogues are recognised in the final
// assembly lines of a function (after every optimisation pass), labels are put after each
// instruction that changes a rule, and the rules are written between those labels. Whatever is
// not recognised is simply not described: the FDE then covers less, never something false.

import { dwarfReg } from './debuginfo';
import { uleb } from './dwarf-emit';

const PREFIX = '.Lfutcc.cfi';

const DW_CFA_advance_loc4 = 0x04;
const DW_CFA_offset = 0x80;
const DW_CFA_restore = 0xc0;
const DW_CFA_remember_state = 0x0a;
const DW_CFA_restore_state = 0x0b;
const DW_CFA_def_cfa = 0x0c;
const DW_CFA_def_cfa_offset = 0x0e;

const SP = 2;
const S0 = 8;

/** Rules that take effect at a label (placed after the instruction at `after`). */
interface Step {
  after: number;
  ops: number[];
}

/** A function's frame description, ready to be written as an FDE. */
export interface FrameDescription {
  name: string;
  end: string;
  /** Label → the CFA instructions applying from there on, in address order. */
  steps: Array<{ label: string; ops: number[] }>;
}

const savedReg = (r: string): number | null => {
  if (!/^(s([1-9]|1[01])|fs([0-9]|1[01]))$/.test(r)) return null;
  return dwarfReg(r);
};

/** `DW_CFA_offset reg, off` for a save at `off` bytes from the CFA (null if not expressible). */
function offsetOp(reg: number, off: number): number[] | null {
  if (off >= 0 || off % 4 !== 0 || reg >= 64) return null;
  return [DW_CFA_offset | reg, ...uleb(-off / 4)];
}

function prologue(lines: string[], start: number): Step[] {
  const steps: Step[] = [];
  let cfaReg = SP;
  let cfaOff = 0;
  let i = start;
  const next = (): string => lines[i] ?? '';
  for (; i < lines.length; i++) {
    const l = next();
    if (l.startsWith('  .')) continue; // .loc and other directives
    let m = /^ {2}addi sp, sp, -(\d+)$/.exec(l);
    if (m) {
      if (cfaReg === SP) {
        cfaOff += Number(m[1]);
        steps.push({ after: i, ops: [DW_CFA_def_cfa_offset, ...uleb(cfaOff)] });
      }
      continue;
    }
    m = /^ {2}(sw|fsd) (\w+), (-?\d+)\((sp|s0)\)$/.exec(l);
    if (m) {
      const r = m[2] as string;
      const viaSp = m[4] === 'sp';
      if (/^a[0-7]$/.test(r) && !viaSp) continue; // a variadic save area or the sret pointer
      const reg = r === 'ra' ? 1 : r === 's0' ? S0 : savedReg(r);
      if (reg === null || (viaSp ? cfaReg !== SP : cfaReg !== S0)) break;
      const op = offsetOp(reg, Number(m[3]) - (viaSp ? cfaOff : 0));
      if (op) steps.push({ after: i, ops: op });
      continue;
    }
    m = /^ {2}addi s0, sp, (\d+)$/.exec(l);
    if (m && cfaReg === SP && Number(m[1]) === cfaOff) {
      cfaReg = S0;
      steps.push({ after: i, ops: [DW_CFA_def_cfa, S0, 0] });
      continue;
    }
    // Large offsets go through t6: `li t6, K` then `add sp, sp, t6` or `add t6, t6, s0; s? r, 0(t6)`.
    m = /^ {2}li t6, (-?\d+)$/.exec(l);
    if (m) {
      const k = Number(m[1]);
      const a = lines[i + 1] ?? '';
      const b = lines[i + 2] ?? '';
      if (a === '  add sp, sp, t6' && k < 0) {
        if (cfaReg === SP) {
          cfaOff -= k;
          steps.push({ after: i + 1, ops: [DW_CFA_def_cfa_offset, ...uleb(cfaOff)] });
        }
        i += 1;
        continue;
      }
      const st = /^ {2}(sw|fsd) (\w+), 0\(t6\)$/.exec(b);
      if (a === '  add t6, t6, s0' && st && cfaReg === S0) {
        const reg = savedReg(st[2] as string);
        if (reg === null) break;
        const op = offsetOp(reg, k);
        if (op) steps.push({ after: i + 2, ops: op });
        i += 2;
        continue;
      }
    }
    break;
  }
  return cfaReg === S0 ? steps : []; // a prologue we do not fully follow is not described
}

/** `addi sp, s0, -N; lw ra; lw s0; addi sp, sp, N; ret`: the frame goes back to the caller's. */
function epilogues(lines: string[], from: number): Step[] {
  const steps: Step[] = [];
  for (let i = from; i < lines.length; i++) {
    const m = /^ {2}addi sp, s0, -(\d+)$/.exec(lines[i] ?? '');
    if (!m) continue;
    const n = Number(m[1]);
    const ra = /^ {2}lw ra, (\d+)\(sp\)$/.exec(lines[i + 1] ?? '');
    const s0 = /^ {2}lw s0, (\d+)\(sp\)$/.exec(lines[i + 2] ?? '');
    if (!ra || !s0 || lines[i + 3] !== `  addi sp, sp, ${n}` || lines[i + 4] !== '  ret') continue;
    steps.push(
      { after: i, ops: [DW_CFA_remember_state, DW_CFA_def_cfa, SP, ...uleb(n)] },
      { after: i + 1, ops: [DW_CFA_restore | 1] },
      { after: i + 2, ops: [DW_CFA_restore | S0] },
      { after: i + 3, ops: [DW_CFA_def_cfa_offset, 0] },
    );
    // Code after this `ret` (another path) is in the body's frame again.
    if (lines.slice(i + 5).some((l) => /^ {2}[a-z]/.test(l)))
      steps.push({ after: i + 4, ops: [DW_CFA_restore_state] });
    i += 4;
  }
  return steps;
}

/**
 * Puts CFI labels into a function's final lines (the function's label is `name:`); returns the
 * new lines and the description, or null when the prologue is not one futcc writes.
 */
export function describeFrame(
  lines: string[],
  name: string,
  end: string,
  fnId: number,
): { lines: string[]; frame: FrameDescription | null } {
  const at = lines.indexOf(`${name}:`);
  if (at < 0) return { lines, frame: null };
  const pro = prologue(lines, at + 1);
  if (pro.length === 0) return { lines, frame: null };
  const last = pro[pro.length - 1]!.after;
  const all = [...pro, ...epilogues(lines, last + 1)];
  const byLine = new Map<number, number[]>();
  for (const s of all) byLine.set(s.after, [...(byLine.get(s.after) ?? []), ...s.ops]);
  const out: string[] = [];
  const steps: FrameDescription['steps'] = [];
  lines.forEach((l, i) => {
    out.push(l);
    const ops = byLine.get(i);
    if (!ops) return;
    const label = `${PREFIX}.${fnId}.${steps.length}`;
    out.push(`${label}:`);
    steps.push({ label, ops });
  });
  return { lines: out, frame: { name, end, steps } };
}

/** The `.debug_frame` section: one CIE (CFA = sp, ra in x1) and an FDE per described function. */
export function emitDebugFrame(frames: FrameDescription[]): string[] {
  if (frames.length === 0) return [];
  const out = [
    '  .section .debug_frame,"",@progbits',
    `${PREFIX}.cie:`,
    `  .word ${PREFIX}.cie.end - ${PREFIX}.cie.start`,
    `${PREFIX}.cie.start:`,
    '  .word 0xffffffff', // CIE id
    '  .byte 3', // version
    '  .byte 0', // no augmentation
    '  .uleb128 1', // code alignment factor
    '  .sleb128 -4', // data alignment factor
    '  .uleb128 1', // return address: ra
    `  .byte ${DW_CFA_def_cfa}, ${SP}, 0`,
    '  .p2align 2',
    `${PREFIX}.cie.end:`,
  ];
  frames.forEach((f, n) => {
    const s = `${PREFIX}.fde${n}`;
    out.push(`  .word ${s}.end - ${s}.start`, `${s}.start:`, `  .word ${PREFIX}.cie`);
    out.push(`  .word ${f.name}`, `  .word ${f.end} - ${f.name}`);
    let prev = f.name;
    for (const st of f.steps) {
      out.push(
        `  .byte ${DW_CFA_advance_loc4}`,
        `  .word ${st.label} - ${prev}`,
        `  .byte ${st.ops.join(', ')}`,
      );
      prev = st.label;
    }
    out.push('  .p2align 2', `${s}.end:`);
  });
  return out;
}
