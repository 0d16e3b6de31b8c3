// Attribute values of .debug_info by form (DWARF 2–5). References come back as section offsets
// (unit-relative ones made absolute), strings resolved, blocks and expressions as bytes.

import { Cursor, DwarfError, stringAt } from './cursor';

export interface UnitHeader {
  version: number;
  offset64: boolean;
  addrSize: number;
  /** Offset of the unit header in .debug_info (unit-relative references add it). */
  unitStart: number;
}

export type FormValue = number | string | Uint8Array | boolean;

export interface FormSections {
  str?: Uint8Array;
  lineStr?: Uint8Array;
}

export function readForm(c: Cursor, form: number, h: UnitHeader, s: FormSections): FormValue {
  const off = (): number => (h.offset64 ? c.u64() : c.u32());
  switch (form) {
    case 0x01: // addr
      return h.addrSize === 8 ? c.u64() : c.u32();
    case 0x0b: // data1
      return c.u8();
    case 0x05: // data2
      return c.u16();
    case 0x06: // data4
      return c.u32();
    case 0x07: // data8
      return c.u64();
    case 0x1e: // data16
      return c.bytes(16);
    case 0x0d: // sdata
      return c.sleb();
    case 0x0f: // udata
      return c.uleb();
    case 0x08: // string
      return c.cstr();
    case 0x0e: // strp
      return stringAt(s.str, off());
    case 0x1f: // line_strp
      return stringAt(s.lineStr, off());
    case 0x11: // ref1
      return h.unitStart + c.u8();
    case 0x12: // ref2
      return h.unitStart + c.u16();
    case 0x13: // ref4
      return h.unitStart + c.u32();
    case 0x14: // ref8
      return h.unitStart + c.u64();
    case 0x15: // ref_udata
      return h.unitStart + c.uleb();
    case 0x10: // ref_addr
      return h.version <= 2 ? c.u32() : off();
    case 0x17: // sec_offset
      return off();
    case 0x0c: // flag
      return c.u8() !== 0;
    case 0x19: // flag_present
      return true;
    case 0x18: // exprloc
    case 0x09: // block
      return c.bytes(c.uleb());
    case 0x0a: // block1
      return c.bytes(c.u8());
    case 0x03: // block2
      return c.bytes(c.u16());
    case 0x04: // block4
      return c.bytes(c.u32());
    case 0x25: // strx1
    case 0x29: // addrx1
      c.u8();
      return 0; // indexed strings/addresses need .debug_str_offsets/.debug_addr: not for RV32 -g here
    case 0x26:
    case 0x2a:
      c.u16();
      return 0;
    case 0x27:
    case 0x2b:
      c.skip(3);
      return 0;
    case 0x28:
    case 0x2c:
      c.u32();
      return 0;
    case 0x1a: // strx
    case 0x1b: // addrx
    case 0x22: // loclistx
    case 0x23: // rnglistx
      return c.uleb();
    case 0x20: // ref_sig8
      return c.u64();
    default:
      throw new DwarfError(`unsupported DWARF form 0x${form.toString(16)}`);
  }
}
