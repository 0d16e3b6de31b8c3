// Global symbol resolution: strong beats weak beats common beats undefined; duplicates of strong
// definitions are errors; archive members are pulled for undefined symbols until a fixed point.
import { SHN_COMMON, SHN_UNDEF, STB_LOCAL, STB_WEAK, STT_FILE, STT_SECTION } from '../../elf/constants';
import { definedGlobals, type Archive } from '../ar/archive';
import { readObject } from '../obj/reader';
import type { GlobalSym, InObject } from './types';

export class SymbolTable {
  readonly globals = new Map<string, GlobalSym>();
  readonly errors: Array<{ file: string; message: string }> = [];

  private entry(name: string): GlobalSym {
    let g = this.globals.get(name);
    if (!g) {
      g = { name, def: null, weak: false, common: null, ref: null, weakRef: true, value: null };
      this.globals.set(name, g);
    }
    return g;
  }

  /** Adds the non-local symbols of a newly loaded object. */
  add(o: InObject): void {
    o.obj.symbols.forEach((s, i) => {
      if (i === 0 || s.bind === STB_LOCAL || s.type === STT_SECTION || s.type === STT_FILE || s.name === '')
        return;
      const g = this.entry(s.name);
      if (s.shndx === SHN_UNDEF) {
        g.ref ??= o;
        if (s.bind !== STB_WEAK) g.weakRef = false;
        return;
      }
      if (s.shndx === SHN_COMMON) {
        if (g.def) return;
        const align = Math.max(1, s.value);
        g.common = g.common
          ? {
              size: Math.max(g.common.size, s.size),
              align: Math.max(g.common.align, align),
              obj: g.common.obj,
            }
          : { size: s.size, align, obj: o };
        return;
      }
      const weak = s.bind === STB_WEAK;
      if (g.def) {
        if (weak) return;
        if (!g.weak) {
          this.errors.push({
            file: o.name,
            message: `multiple definition of '${s.name}'; first defined in ${g.def.obj.name}`,
          });
          return;
        }
      }
      g.def = { obj: o, sym: i };
      g.weak = weak;
      g.common = null;
    });
  }

  /** Names that are referenced strongly and not defined anywhere yet. */
  undefinedNames(): string[] {
    const out: string[] = [];
    for (const g of this.globals.values()) if (!g.def && !g.common && g.ref && !g.weakRef) out.push(g.name);
    return out;
  }
}

export interface LoadedArchive {
  name: string;
  ar: Archive;
  loaded: Set<number>;
  /** Symbol index built from the members when the archive has none. */
  index: Map<string, number>;
}

export function indexArchive(name: string, ar: Archive): LoadedArchive {
  let index = ar.symbols;
  if (index.size === 0) {
    index = new Map();
    ar.members.forEach((m, i) => {
      for (const s of definedGlobals(m.data)) if (!index.has(s)) index.set(s, i);
    });
  }
  return { name, ar, loaded: new Set(), index };
}

/** Pulls archive members that define undefined symbols, repeating until nothing changes. */
export function pullMembers(
  table: SymbolTable,
  archives: LoadedArchive[],
  load: (o: InObject) => void,
): void {
  let changed = true;
  while (changed) {
    changed = false;
    for (const a of archives) {
      for (const name of table.undefinedNames()) {
        const idx = a.index.get(name);
        if (idx === undefined || a.loaded.has(idx)) continue;
        const m = a.ar.members[idx];
        if (!m) continue;
        a.loaded.add(idx);
        load({ name: `${a.name}(${m.name})`, obj: readObject(m.data), place: [], maps: [] });
        changed = true;
      }
    }
  }
}
