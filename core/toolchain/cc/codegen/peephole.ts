// -O1+ peephole pass over one function's assembly lines: removes value-stack round trips,
// redundant moves (to itself, or back where the value came from), reloads of just-stored slots and jumps to the next line.

const INVERT: Record<string, string> = {
  beqz: 'bnez',
  bnez: 'beqz',
  beq: 'bne',
  bne: 'beq',
  blt: 'bge',
  bge: 'blt',
  bltu: 'bgeu',
  bgeu: 'bltu',
};

const PUSH = /^ {2}addi sp, sp, -8$/;

export function peephole(lines: string[]): string[] {
  let out = lines;
  for (let pass = 0; pass < 3; pass++) {
    const next: string[] = [];
    for (let i = 0; i < out.length; i++) {
      const l = out[i] as string;
      const a = out[i + 1] ?? '';
      const b = out[i + 2] ?? '';
      const c = out[i + 3] ?? '';
      // push a0 ; pop r  →  mv r, a0
      if (
        PUSH.test(l) &&
        a === '  sw a0, 0(sp)' &&
        /^ {2}lw \w+, 0\(sp\)$/.test(b) &&
        c === '  addi sp, sp, 8'
      ) {
        const r = (/lw (\w+),/.exec(b) as RegExpExecArray)[1] as string;
        if (r !== 'a0') next.push(`  mv ${r}, a0`);
        i += 3;
        continue;
      }
      const mv = /^ {2}(f?mv(?:\.[sd])?) (\w+), (\w+)$/.exec(l);
      if (mv && mv[2] === mv[3]) continue;
      // mv A, B ; mv B, A  →  mv A, B (B already holds the value)
      if (mv && a === `  ${mv[1]} ${mv[3]}, ${mv[2]}`) {
        next.push(l);
        i += 1;
        continue;
      }
      // b<cc> x, L1 ; j L2 ; L1:  →  b<!cc> x, L2 ; L1:
      const br = /^ {2}(beqz|bnez|beq|bne|blt|bge|bltu|bgeu) (.*), (\S+)$/.exec(l);
      const jmp = /^ {2}j (\S+)$/.exec(a);
      if (br && jmp && b === `${br[3]}:`) {
        next.push(`  ${INVERT[br[1] as string]} ${br[2]}, ${jmp[1]}`);
        i += 1;
        continue;
      }
      // j L ; L:  →  L:
      const j = /^ {2}j (\S+)$/.exec(l);
      if (j && a === `${j[1]}:`) continue;
      // sw r, X ; lw r, X  →  sw r, X
      const sw = /^ {2}(sw|fsd|fsw) (\w+), (.+)$/.exec(l);
      if (sw) {
        const ld = { sw: 'lw', fsd: 'fld', fsw: 'flw' }[sw[1] as 'sw'];
        if (a === `  ${ld} ${sw[2]}, ${sw[3]}`) {
          next.push(l);
          i += 1;
          continue;
        }
      }
      next.push(l);
    }
    out = removeDeadAfterJump(next);
  }
  return out;
}

/** Drops instructions after an unconditional jump up to the next label or directive. */
function removeDeadAfterJump(lines: string[]): string[] {
  const out: string[] = [];
  let dead = false;
  for (const l of lines) {
    if (!l.startsWith('  ') || l.startsWith('  .') || /^\s*[\w.$]+:/.test(l)) dead = false;
    if (dead) continue;
    out.push(l);
    if (/^ {2}(j|jr|ret|tail) /.test(l) || l === '  ret') dead = true;
  }
  return out;
}
