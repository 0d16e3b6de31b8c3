// RV32GC disassembler for the debugger and the live views. Output matches GNU objdump
// (binutils 2.40) `-d` text, or `-d -M no-aliases` with `aliases: false`; encodings objdump
// does not decode come out as `.4byte 0x…` / `.2byte 0x…`, never as an exception.
import { AddressTracker } from './disasm-addr';
import { decode16 } from './disasm-rvc';
import { decode32 } from './disasm-rv32';
import { CSR_NAMES, CSR_NAMES_1_11 } from './disasm-tables';
import type { DecodeContext, Decoded } from './disasm-tables';

export interface Disassembled {
  length: 2 | 4;
  mnemonic: string;
  operands: string;
  text: string;
  /** absolute branch/jump target when the instruction has one (for the debugger's links) */
  target?: number;
}

export interface DisassembleOptions {
  /** objdump's aliases and expanded compressed mnemonics (default true); false = `-M no-aliases`. */
  aliases?: boolean;
  /** Names an address; a branch target prints as `addr <name>` when it returns one. */
  symbolize?: (addr: number) => string | undefined;
  /** Privileged spec for CSR names, like objdump's `-M priv-spec=`: 1.12 (objdump's default) knows
   *  menvcfg, mstatush, …; 1.11 still knows ustatus, uie, utvec, … and sedeleg/sideleg. */
  privSpec?: '1.11' | '1.12';
}

export interface RangeOptions extends DisassembleOptions {
  /** Append objdump's `# address` comments for lui/auipc addressing pairs (default true). */
  addressComments?: boolean;
  /** The global pointer's value (`__global_pointer$`), for comments on gp-relative accesses. */
  gp?: number;
}

export interface DisassembledAt extends Disassembled {
  address: number;
  /** The instruction's bits (16 or 32 of them). */
  raw: number;
  /** The address objdump's `# …` comment names (already appended to `text`), if any. */
  reference?: number;
}

function contextFor(options: DisassembleOptions | undefined): DecodeContext {
  const symbolize = options?.symbolize;
  return {
    aliases: options?.aliases ?? true,
    csrs: options?.privSpec === '1.11' ? CSR_NAMES_1_11 : CSR_NAMES,
    // Like objdump: `400010 <name>` when the address has a symbol, `0x400010` when not.
    target: (addr: number): string => {
      const name = symbolize?.(addr);
      return name === undefined ? `0x${addr.toString(16)}` : `${addr.toString(16)} <${name}>`;
    },
  };
}

function finish(length: 2 | 4, d: Decoded): Disassembled {
  const out: Disassembled = {
    length,
    mnemonic: d.mnemonic,
    operands: d.operands,
    text: d.operands ? `${d.mnemonic} ${d.operands}` : d.mnemonic,
  };
  if (d.target !== undefined) out.target = d.target;
  return out;
}

function unknown(length: 2 | 4, bitsValue: number): Disassembled {
  const mnemonic = length === 2 ? '.2byte' : '.4byte';
  const operands = `0x${bitsValue.toString(16)}`;
  return { length, mnemonic, operands, text: `${mnemonic} ${operands}` };
}

function decodeWith(word: number, pc: number, ctx: DecodeContext): Disassembled {
  const w = word >>> 0;
  if ((w & 3) !== 3) {
    const h = w & 0xffff;
    const d = decode16(h, pc >>> 0, ctx);
    return d ? finish(2, d) : unknown(2, h);
  }
  // Encodings longer than 32 bits (bits [4:2] all ones) are outside RV32GC.
  const d = (w & 0x1c) === 0x1c ? null : decode32(w | 0, pc >>> 0, ctx);
  return d ? finish(4, d) : unknown(4, w);
}

/** Disassembles the instruction at `pc` whose first 16/32 bits are `word` (little-endian; pass the
 *  32-bit value read at pc — if its low two bits are not 0b11 it is a 16-bit compressed instruction). */
export function disassemble(word: number, pc: number, options?: DisassembleOptions): Disassembled {
  return decodeWith(word, pc, contextFor(options));
}

/** Disassembles a block of bytes starting at address `pc`, like `objdump -d` on them: including
 *  its `# address` comments unless `addressComments` is false. A trailing half-instruction is
 *  shown as `.2byte`/`.byte` data rather than read past the end. */
export function disassembleRange(bytes: Uint8Array, pc: number, options?: RangeOptions): DisassembledAt[] {
  const ctx = contextFor(options);
  const out = decodeRange(bytes, pc, ctx);
  if (options?.addressComments === false) return out;
  const tracker = new AddressTracker(ctx.aliases, options?.gp);
  for (const d of out) {
    if (d.mnemonic.startsWith('.')) continue; // data, not an instruction
    const reference = tracker.step(d.raw, d.length, d.address);
    if (reference === undefined) continue;
    d.reference = reference;
    d.text = `${d.text} # ${ctx.target(reference)}`;
  }
  return out;
}

/** Adds the location to a freshly decoded result (no copy: ranges can be large). */
function at(d: Disassembled, address: number, raw: number): DisassembledAt {
  const located = d as DisassembledAt;
  located.address = address;
  located.raw = raw;
  return located;
}

function decodeRange(bytes: Uint8Array, pc: number, ctx: DecodeContext): DisassembledAt[] {
  const out: DisassembledAt[] = [];
  let i = 0;
  while (i < bytes.length) {
    const address = (pc + i) >>> 0;
    if (i + 1 >= bytes.length) {
      const raw = bytes[i];
      out.push({
        length: 2,
        mnemonic: '.byte',
        operands: `0x${raw.toString(16)}`,
        text: `.byte 0x${raw.toString(16)}`,
        address,
        raw,
      });
      break;
    }
    const half = bytes[i] | (bytes[i + 1] << 8);
    if ((half & 3) !== 3) {
      out.push(at(decodeWith(half, address, ctx), address, half));
      i += 2;
      continue;
    }
    if (i + 3 >= bytes.length) {
      out.push(at(unknown(2, half), address, half));
      i += 2;
      continue;
    }
    const word = (half | (bytes[i + 2] << 16) | (bytes[i + 3] << 24)) >>> 0;
    out.push(at(decodeWith(word, address, ctx), address, word));
    i += 4;
  }
  return out;
}
