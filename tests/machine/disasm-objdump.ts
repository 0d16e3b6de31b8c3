// The disassembler's oracle: assemble with Debian's riscv64-unknown-elf-gcc, disassemble with
// riscv64-unknown-elf-objdump, and parse its listing into (address, raw bits, text) lines.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
  /** The same with the comment kept. */
  full: string;
}

/** Collapses tabs/spaces and optionally drops the `# addr <sym>` comment objdump adds after lui/auipc pairs. */
export function normalize(text: string, keepComment = false): string {
  const t = keepComment ? text : text.replace(/\s+#.*$/, '');
  return t.replace(/\s+/g, ' ').trim();
}

/** Compiles or assembles `source` (a path) into an object in `dir`; returns its path. */
export function compile(source: string, dir: string, flags: string[] = []): string {
  const out = join(dir, 'out.o');
  execFileSync('riscv64-unknown-elf-gcc', [...AS_FLAGS, ...flags, '-o', out, source], { stdio: 'pipe' });
  return out;
}

/** Runs `objdump -d -z` (with `-M no-aliases` and/or `-M priv-spec=…`) and parses instruction lines. */
export function objdump(object: string, aliases: boolean, privSpec?: '1.11' | '1.12'): ObjdumpLine[] {
  const args = ['-d', '-z', '-w', object];
  const m = [...(aliases ? [] : ['no-aliases']), ...(privSpec ? [`priv-spec=${privSpec}`] : [])];
  if (m.length > 0) args.unshift('-M', m.join(','));
  const listing = execFileSync(OBJDUMP, args, { encoding: 'utf8', maxBuffer: 1 << 30 });
  const lines: ObjdumpLine[] = [];
  for (const line of listing.split('\n')) {
    const m = /^\s*([0-9a-f]+):\t([0-9a-f]+)\s*\t(.*)$/.exec(line);
    if (!m) continue;
    const size = m[2].length === 4 ? 2 : m[2].length === 8 ? 4 : 0;
    if (size === 0) continue;
    const [address, raw] = [parseInt(m[1], 16), parseInt(m[2], 16)];
    lines.push({ address, raw, size, text: normalize(m[3]), full: normalize(m[3], true) });
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
export function compareWithObjdump(object: string, aliases: boolean, privSpec?: '1.11' | '1.12'): Comparison {
  const lines = objdump(object, aliases, privSpec);
  const names = new Map<number, string>();
  for (const l of lines) {
    const m = /([0-9a-f]+) <([^>]+)>$/.exec(l.text);
    if (m) names.set(parseInt(m[1], 16), m[2]);
  }
  const mismatches: string[] = [];
  let mismatchCount = 0;
  for (const l of lines) {
    const ours = disassemble(l.raw, l.address, { aliases, privSpec, symbolize: (a) => names.get(a) });
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

/** Every `addr <name>` objdump printed (targets and comments), as a symbolize callback. */
export function namesFrom(lines: readonly ObjdumpLine[]): (addr: number) => string | undefined {
  const names = new Map<number, string>();
  for (const l of lines)
    for (const m of l.full.matchAll(/([0-9a-f]+) <([^>]+)>/g)) names.set(parseInt(m[1], 16), m[2]);
  return (addr) => names.get(addr);
}

/** The bytes and start address of an object's or executable's .text section. */
export function textSection(file: string): { bytes: Uint8Array; address: number } {
  const dir = mkdtempSync(join(tmpdir(), 'futura-disasm-'));
  try {
    const bin = join(dir, 'text.bin');
    execFileSync('riscv64-unknown-elf-objcopy', ['-O', 'binary', '--only-section=.text', file, bin]);
    const headers = execFileSync(OBJDUMP, ['-h', '-w', file], { encoding: 'utf8' });
    const m = /^\s*\d+\s+\.text\s+[0-9a-f]+\s+([0-9a-f]+)/m.exec(headers);
    if (!m) throw new Error(`no .text in ${file}`);
    return { bytes: new Uint8Array(readFileSync(bin)), address: parseInt(m[1], 16) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The value of a symbol (e.g. __global_pointer$), from the symbol table. */
export function symbolValue(file: string, name: string): number | undefined {
  const table = execFileSync(OBJDUMP, ['-t', file], { encoding: 'utf8' });
  const line = table.split('\n').find((l) => l.endsWith(` ${name}`));
  return line ? parseInt(line.slice(0, 8), 16) : undefined;
}
