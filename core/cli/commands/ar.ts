// `futura ar rcs lib.a a.o b.o` (create/replace, with symbol index), `ar t lib.a` (list) and
// `ar x lib.a [members]` (extract into the current directory).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Command } from 'commander';
import type { CliContext } from '../context';
import { readArchive, writeArchive, type ArMember } from '../../toolchain/ar/archive';

export function runAr(op: string, archive: string, files: string[], out: (s: string) => void): number {
  const key = op.replace(/^-/, '');
  const mode = key.replace(/[csuvD]/g, '');
  try {
    if (mode === 'r' || mode === 'q') {
      const members: ArMember[] = existsSync(archive)
        ? readArchive(new Uint8Array(readFileSync(archive))).members
        : [];
      for (const f of files) {
        const m = { name: basename(f), data: new Uint8Array(readFileSync(f)) };
        const at = mode === 'r' ? members.findIndex((x) => x.name === m.name) : -1;
        if (at >= 0) members[at] = m;
        else members.push(m);
      }
      writeFileSync(archive, writeArchive(members, true));
      return 0;
    }
    const ar = readArchive(new Uint8Array(readFileSync(archive)));
    if (mode === 't') {
      for (const m of ar.members) if (files.length === 0 || files.includes(m.name)) out(`${m.name}\n`);
      return 0;
    }
    if (mode === 'x') {
      for (const m of ar.members) {
        if (files.length > 0 && !files.includes(m.name)) continue;
        writeFileSync(basename(m.name), m.data);
      }
      return 0;
    }
    process.stderr.write(`futura ar: unsupported operation '${op}' (use r, q, t or x)\n`);
    return 2;
  } catch (e) {
    process.stderr.write(`futura ar: ${archive}: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}

export function registerAr(program: Command, ctx: CliContext): void {
  program
    .command('ar')
    .description('create, list and extract ar archives (rcs, t, x)')
    .argument('<operation>', 'r[c][s] (replace/add), q (append), t (list), x (extract)')
    .argument('<archive>', 'archive file')
    .argument('[files...]', 'member files')
    .action((op: string, archive: string, files: string[]) => {
      ctx.exitCode = runAr(op, archive, files, (s) => process.stdout.write(s));
    });
}
