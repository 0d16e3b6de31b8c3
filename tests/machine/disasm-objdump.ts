// The disassembler's oracle: assemble with Debian's riscv64-unknown-elf-gcc, disassemble with
// riscv64-unknown-elf-objdump, and parse its listing into (address, raw bits, text) lines.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const OBJDUMP = 'riscv64-unknown-elf-objdump';
export const AS_FLAGS = ['-march=rv32imafdc_zicsr_zifencei', '-mabi=ilp32d', '-c'];

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

/** Symbols of the object's .text (no mapping symbols), for a symbolize callback like objdump's. */
export function textSymbols(object: string): Array<{ address: number; name: string }> {
  const table = execFileSync(OBJDUMP, ['-t', object], { encoding: 'utf8' });
  const syms: Array<{ address: number; name: string }> = [];
  for (const line of table.split('\n')) {
    const m = /^([0-9a-f]{8}) (.{7}) \.text\t[0-9a-f]+ (.+)$/.exec(line);
    if (!m || m[3].startsWith('$')) continue;
    syms.push({ address: parseInt(m[1], 16), name: m[3] });
  }
  return syms.sort((a, b) => a.address - b.address);
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
