// The disassembler's oracle: assemble with Debian's riscv64-unknown-elf-gcc, disassemble with
// riscv64-unknown-elf-objdump, and parse its listing into (address, raw bits, text) lines.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { disassemble } from '../../core/machine/disasm';

export const OBJDUMP = 'riscv64-unknown-elf-objdump';
// Zicsr/Zifencei are separate extensions to GCC 12+; priv spec 1.12 is objdump's default CSR table.
export const AS_FLAGS = ['-march=rv32imafdc_zicsr_zifencei', '-mabi=ilp32d', '-Wa,-mpriv-spec=1.12', '-c'];

export interface ObjdumpLine {
  address: number;
  raw: number;
  size: 2 | 4;
  /** objdump's text with whitespace normalized and its ` # …` address comment removed. */
  text: string;
}

/** Collapses tabs/spaces and drops the `# addr <sym>` comment objdump adds after auipc pairs. */
export function normalize(text: string): string {
  return text
    .replace(/\s+#.*$/, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Compiles or assembles `source` (a path) into an object in `dir`; returns its path. */
export function compile(source: string, dir: string, flags: string[] = []): string {
  const out = join(dir, 'out.o');
  execFileSync('riscv64-unknown-elf-gcc', [...AS_FLAGS, ...flags, '-o', out, source], { stdio: 'pipe' });
  return out;
}

/** Runs `objdump -d -z` (optionally `-M no-aliases`) and parses instruction lines. */
export function objdump(object: string, aliases: boolean): ObjdumpLine[] {
  const args = ['-d', '-z', '-w', object];
  if (!aliases) args.unshift('-M', 'no-aliases');
  const listing = execFileSync(OBJDUMP, args, { encoding: 'utf8', maxBuffer: 1 << 30 });
  const lines: ObjdumpLine[] = [];
  for (const line of listing.split('\n')) {
    const m = /^\s*([0-9a-f]+):\t([0-9a-f]+)\s*\t(.*)$/.exec(line);
    if (!m) continue;
    const size = m[2].length === 4 ? 2 : m[2].length === 8 ? 4 : 0;
    if (size === 0) continue;
    lines.push({ address: parseInt(m[1], 16), raw: parseInt(m[2], 16), size, text: normalize(m[3]) });
  }
  return lines;
}

export interface Comparison {
  compared: number;
  /** The first few differences, as `address raw: objdump | ours` lines. */
  mismatches: string[];
  mismatchCount: number;
  /** objdump's lines, for further checks by the caller. */
  lines: ObjdumpLine[];
}

/**
 * Disassembles every instruction of objdump's listing with ours and compares the text.
 * Branch targets: objdump names them `addr <sym+off>`; the symbolize callback answers with the
 * name objdump printed for that address, so the address we compute must agree for the lookup to hit.
 */
export function compareWithObjdump(object: string, aliases: boolean): Comparison {
  const lines = objdump(object, aliases);
  const names = new Map<number, string>();
  for (const l of lines) {
    const m = /([0-9a-f]+) <([^>]+)>$/.exec(l.text);
    if (m) names.set(parseInt(m[1], 16), m[2]);
  }
  const mismatches: string[] = [];
  let mismatchCount = 0;
  for (const l of lines) {
    const ours = disassemble(l.raw, l.address, { aliases, symbolize: (a) => names.get(a) });
    if (ours.text === l.text && ours.length === l.size) continue;
    mismatchCount++;
    if (mismatches.length < 20) {
      const raw = l.raw.toString(16).padStart(l.size * 2, '0');
      mismatches.push(`${l.address.toString(16)} ${raw}: ${l.text} | ${ours.text}`);
    }
  }
  return { compared: lines.length, mismatches, mismatchCount, lines };
}

/** Assembles `.insn` lines for the given encodings into an object; runs `fn` with its path. */
export function withInsnObject<T>(
  items: ReadonlyArray<{ size: 2 | 4; value: number }>,
  fn: (object: string) => T,
): T {
  const dir = mkdtempSync(join(tmpdir(), 'futura-disasm-'));
  try {
    const src = join(dir, 'words.S');
    const hexOf = (v: number, digits: number): string => (v >>> 0).toString(16).padStart(digits, '0');
    const text = items.map((i) => ` .insn ${i.size}, 0x${hexOf(i.value, i.size * 2)}\n`).join('');
    writeFileSync(src, text);
    return fn(compile(src, dir));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
