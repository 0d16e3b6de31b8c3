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

/** A line with the `.loc` directives that precede it: -g must not change the code, so the rules see
 * through line markers, and a marker of a removed line is kept for the next surviving one. */
interface Item {
  locs: string[];
  line: string;
}

/** Line markers and -g's scope labels: never jump targets, so the rules look through them. */
const isMarker = (l: string): boolean => l.startsWith('  .loc ') || l.startsWith('.Lfutcc.dbg.');

function group(lines: string[]): Item[] {
  const items: Item[] = [];
  let locs: string[] = [];
  for (const line of lines) {
    if (isMarker(line)) locs.push(line);
    else {
      items.push({ locs, line });
      locs = [];
    }
  }
  // Trailing markers ride on an empty line that flatten() leaves out.
  if (locs.length > 0) items.push({ locs, line: '' });
  return items;
}

function flatten(items: Item[]): string[] {
  const out: string[] = [];
  for (const it of items) {
    out.push(...it.locs);
    if (it.line !== '') out.push(it.line);
  }
  return out;
}

export function peephole(lines: string[]): string[] {
  let items = group(lines);
  for (let pass = 0; pass < 3; pass++) {
    const next: Item[] = [];
    // Markers of lines dropped or merged away wait for the next line that is kept.
    let carried: string[] = [];
    const keep = (locs: string[], line: string): void => {
      next.push({ locs: [...carried, ...locs], line });
      carried = [];
    };
    const drop = (...gone: (Item | undefined)[]): void => {
      for (const g of gone) if (g) carried.push(...g.locs);
    };
    for (let i = 0; i < items.length; i++) {
      const it = items[i] as Item;
      const l = it.line;
      const a = items[i + 1]?.line ?? '';
      const b = items[i + 2]?.line ?? '';
      const c = items[i + 3]?.line ?? '';
      // push a0 ; pop r  →  mv r, a0
      if (
        PUSH.test(l) &&
        a === '  sw a0, 0(sp)' &&
        /^ {2}lw \w+, 0\(sp\)$/.test(b) &&
        c === '  addi sp, sp, 8'
      ) {
        const r = (/lw (\w+),/.exec(b) as RegExpExecArray)[1] as string;
        if (r !== 'a0') keep(it.locs, `  mv ${r}, a0`);
        else drop(it);
        drop(items[i + 1], items[i + 2], items[i + 3]);
        i += 3;
        continue;
      }
      const mv = /^ {2}(f?mv(?:\.[sd])?) (\w+), (\w+)$/.exec(l);
      if (mv && mv[2] === mv[3]) {
        drop(it);
        continue;
      }
      // mv A, B ; mv B, A  →  mv A, B (B already holds the value)
      if (mv && a === `  ${mv[1]} ${mv[3]}, ${mv[2]}`) {
        keep(it.locs, l);
        drop(items[i + 1]);
        i += 1;
        continue;
      }
      // b<cc> x, L1 ; j L2 ; L1:  →  b<!cc> x, L2 ; L1:
      const br = /^ {2}(beqz|bnez|beq|bne|blt|bge|bltu|bgeu) (.*), (\S+)$/.exec(l);
      const jmp = /^ {2}j (\S+)$/.exec(a);
      if (br && jmp && b === `${br[3]}:`) {
        keep(it.locs, `  ${INVERT[br[1] as string]} ${br[2]}, ${jmp[1]}`);
        drop(items[i + 1]);
        i += 1;
        continue;
      }
      // j L ; L:  →  L:
      const j = /^ {2}j (\S+)$/.exec(l);
      if (j && a === `${j[1]}:`) {
        drop(it);
        continue;
      }
      // sw r, X ; lw r, X  →  sw r, X
      const sw = /^ {2}(sw|fsd|fsw) (\w+), (.+)$/.exec(l);
      if (sw) {
        const ld = { sw: 'lw', fsd: 'fld', fsw: 'flw' }[sw[1] as 'sw'];
        if (a === `  ${ld} ${sw[2]}, ${sw[3]}`) {
          keep(it.locs, l);
          drop(items[i + 1]);
          i += 1;
          continue;
        }
      }
      keep(it.locs, l);
    }
    if (carried.length > 0) next.push({ locs: carried, line: '' });
    items = removeDeadAfterJump(next);
  }
  return flatten(items);
}

/** Drops instructions after an unconditional jump up to the next label or directive, with their line
 * markers; scope labels among them move on to the next line kept (debug info refers to them). */
function removeDeadAfterJump(items: Item[]): Item[] {
  const out: Item[] = [];
  let dead = false;
  let labels: string[] = [];
  for (const it of items) {
    const l = it.line;
    if (l === '' || !l.startsWith('  ') || l.startsWith('  .') || /^\s*[\w.$]+:/.test(l)) dead = false;
    if (dead) {
      labels.push(...it.locs.filter((m) => !m.startsWith('  .loc ')));
      continue;
    }
    out.push(labels.length > 0 ? { locs: [...labels, ...it.locs], line: l } : it);
    labels = [];
    if (/^ {2}(j|jr|ret|tail) /.test(l) || l === '  ret') dead = true;
  }
  if (labels.length > 0) out.push({ locs: labels, line: '' });
  return out;
}
