// The linker's working model: loaded objects, output sections and the global symbol table.
import type { ObjectModel } from '../obj/types';

/** Maps an input section's original offsets to offsets after R_RISCV_ALIGN byte deletion. */
export type OffsetMap = (off: number) => number;

export interface InObject {
  /** Display name, e.g. `a.o` or `libx.a(b.o)`. */
  name: string;
  obj: ObjectModel;
  /** Per section (0-based like obj.sections): where it went, or null if not placed. */
  place: Array<{ out: OutSection; offset: number } | null>;
  /** Per section: offset map when ALIGN deletions changed it. */
  maps: Array<OffsetMap | null>;
}

export interface OutSection {
  name: string;
  type: number;
  flags: number;
  align: number;
  addr: number;
  size: number;
  fileOffset: number;
  data: Uint8Array;
  parts: Array<{ obj: InObject; sec: number; offset: number; size: number }>;
}

export interface GlobalSym {
  name: string;
  /** Defining object and its symbol index (null: undefined, linker-defined or common). */
  def: { obj: InObject; sym: number } | null;
  weak: boolean;
  common: { size: number; align: number; obj: InObject } | null;
  /** First object referencing the symbol (for "undefined reference" errors). */
  ref: InObject | null;
  /** Every reference so far was weak. */
  weakRef: boolean;
  /** Final address once laid out (linker-defined and common symbols). */
  value: number | null;
}
