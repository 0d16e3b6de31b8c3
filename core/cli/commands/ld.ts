// `futura ld -o prog [-Map file] [-e sym] [-Ttext-segment=addr] [-L dir] [-lname] a.o b.o lib.a`:
// futcc's static linker. Arguments are parsed by hand because GNU ld spells options like -Map
// with a single dash, which commander does not support.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import type { CliContext } from '../context';
import { formatDiagnostic } from '../../toolchain/asm/diag';
import { link, type LinkInput } from '../../toolchain/link/linker';

interface LdArgs {
  output: string;
  map: string | null;
  entry: string | undefined;
  base: number | undefined;
  inputs: string[];
}

export function parseLdArgs(args: string[]): LdArgs | string {
  const r: LdArgs = { output: 'a.out', map: null, entry: undefined, base: undefined, inputs: [] };
  const dirs: string[] = [];
  const libs: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    const val = (): string | null => args[++i] ?? null;
    const m = /^(-o|-Map|--Map|-e|--entry|-L|-Ttext-segment|-Ttext)(=(.*))?$/.exec(a);
    if (m) {
      const v = m[3] ?? val();
      if (v === null) return `option ${a} needs a value`;
      if (m[1] === '-o') r.output = v;
      else if (m[1] === '-Map' || m[1] === '--Map') r.map = v;
      else if (m[1] === '-e' || m[1] === '--entry') r.entry = v;
      else if (m[1] === '-L') dirs.push(v);
      else {
        const n = Number(v);
        if (!Number.isInteger(n) || n < 0 || n % 0x1000 !== 0) return `bad address for ${m[1]}: ${v}`;
        r.base = n;
      }
    } else if (a.startsWith('-L') && a.length > 2) dirs.push(a.slice(2));
    else if (a.startsWith('-l') && a.length > 2) libs.push(a.slice(2));
    else if (a === '--no-relax' || a === '-static' || a === '--gc-sections' || a === '-nostdlib') continue;
    else if (a.startsWith('-')) return `unknown option ${a}`;
    else r.inputs.push(a);
  }
  for (const l of libs) {
    const hit = dirs.map((d) => join(d, `lib${l}.a`)).find((p) => existsSync(p));
    if (!hit) return `cannot find -l${l}`;
    r.inputs.push(hit);
  }
  return r;
}

export function registerLd(program: Command, ctx: CliContext): void {
  program
    .command('ld')
    .description('link ELF32 RISC-V objects and ar archives into a static executable')
    .argument('[args...]', '-o out, -Map file, -e entry, -Ttext-segment=addr, -L dir, -lname, inputs')
    .helpOption(false)
    .allowUnknownOption(true)
    .action((args: string[]) => {
      const parsed = parseLdArgs(args);
      if (typeof parsed === 'string') {
        process.stderr.write(`futura ld: ${parsed}\n`);
        ctx.exitCode = 2;
        return;
      }
      if (parsed.inputs.length === 0) {
        process.stderr.write('futura ld: no input files\n');
        ctx.exitCode = 2;
        return;
      }
      const inputs: LinkInput[] = [];
      for (const f of parsed.inputs) {
        try {
          inputs.push({ name: f, data: new Uint8Array(readFileSync(f)) });
        } catch (e) {
          process.stderr.write(
            `futura ld: cannot read ${f}: ${e instanceof Error ? e.message : String(e)}\n`,
          );
          ctx.exitCode = 2;
          return;
        }
      }
      const r = link(inputs, { entry: parsed.entry, base: parsed.base, map: parsed.map !== null });
      for (const d of r.diagnostics) process.stderr.write(formatDiagnostic(d) + '\n');
      if (!r.elf) {
        ctx.exitCode = 1;
        return;
      }
      writeFileSync(parsed.output, r.elf, { mode: 0o755 });
      if (parsed.map !== null && r.map !== null) writeFileSync(parsed.map, r.map);
      ctx.exitCode = 0;
    });
}
