// Unit tests of the disassembler that need no host tools: hand-encoded instructions (encodings
// from the RISC-V spec), targets, symbolization, disassembleRange, and robustness on any input.
import { describe, expect, it } from 'vitest';
import { disassemble, disassembleRange } from '../../core/machine/disasm';

const FULL = process.env.FUTURA_FULL === '1';

/** xorshift32: deterministic, so a failure is reproducible. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
}

/** R/I/S/B/U/J encoders, so expectations are built from fields rather than magic numbers. */
const enc = {
  r: (f7: number, rs2: number, rs1: number, f3: number, rd: number, opc: number): number =>
    ((f7 << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | opc) >>> 0,
  i: (imm: number, rs1: number, f3: number, rd: number, opc: number): number =>
    (((imm & 0xfff) << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | opc) >>> 0,
  b: (off: number, rs2: number, rs1: number, f3: number): number =>
    ((((off >> 12) & 1) << 31) |
      (((off >> 5) & 0x3f) << 25) |
      (rs2 << 20) |
      (rs1 << 15) |
      (f3 << 12) |
      (((off >> 1) & 0xf) << 8) |
      (((off >> 11) & 1) << 7) |
      0x63) >>>
    0,
  j: (off: number, rd: number): number =>
    ((((off >> 20) & 1) << 31) |
      (((off >> 1) & 0x3ff) << 21) |
      (((off >> 11) & 1) << 20) |
      (((off >> 12) & 0xff) << 12) |
      (rd << 7) |
      0x6f) >>>
    0,
};

describe('disassemble: base instructions', () => {
  it('prints objdump aliases by default and the plain forms with aliases: false', () => {
    const cases: Array<[number, string, string]> = [
      [enc.i(0, 0, 0, 0, 0x13), 'nop', 'addi zero,zero,0'],
      [enc.i(-5, 0, 0, 10, 0x13), 'li a0,-5', 'addi a0,zero,-5'],
      [enc.i(0, 11, 0, 10, 0x13), 'mv a0,a1', 'addi a0,a1,0'],
      [enc.i(-16, 2, 0, 2, 0x13), 'add sp,sp,-16', 'addi sp,sp,-16'],
      [enc.i(-1, 11, 4, 10, 0x13), 'not a0,a1', 'xori a0,a1,-1'],
      [enc.i(1, 11, 3, 10, 0x13), 'seqz a0,a1', 'sltiu a0,a1,1'],
      [enc.i(255, 11, 7, 10, 0x13), 'zext.b a0,a1', 'andi a0,a1,255'],
      [enc.i(3, 11, 1, 10, 0x13), 'sll a0,a1,0x3', 'slli a0,a1,0x3'],
      [enc.i(0x400 | 7, 11, 5, 10, 0x13), 'sra a0,a1,0x7', 'srai a0,a1,0x7'],
      [enc.r(0x20, 11, 0, 0, 10, 0x33), 'neg a0,a1', 'sub a0,zero,a1'],
      [enc.r(0, 11, 0, 3, 10, 0x33), 'snez a0,a1', 'sltu a0,zero,a1'],
      [enc.r(1, 12, 11, 4, 10, 0x33), 'div a0,a1,a2', 'div a0,a1,a2'],
      [enc.i(0, 1, 0, 0, 0x67), 'ret', 'jalr zero,0(ra)'],
      [enc.i(0, 10, 0, 0, 0x67), 'jr a0', 'jalr zero,0(a0)'],
      [enc.i(4, 10, 0, 1, 0x67), 'jalr 4(a0)', 'jalr ra,4(a0)'],
      [enc.i(-4, 2, 2, 10, 0x03), 'lw a0,-4(sp)', 'lw a0,-4(sp)'],
      [0x12345537, 'lui a0,0x12345', 'lui a0,0x12345'],
      [0x00000073, 'ecall', 'ecall'],
      [0x30200073, 'mret', 'mret'],
      [0x10500073, 'wfi', 'wfi'],
      [0x12000073, 'sfence.vma', 'sfence.vma zero,zero'],
      [0x0ff0000f, 'fence', 'fence iorw,iorw'],
      [0x8330000f, 'fence.tso', 'fence.tso'],
      [0x0000100f, 'fence.i', 'fence.i'],
      [0xc0001073, 'unimp', 'unimp'],
    ];
    for (const [word, withAliases, plain] of cases) {
      expect(disassemble(word, 0).text, word.toString(16)).toBe(withAliases);
      expect(disassemble(word, 0, { aliases: false }).text, word.toString(16)).toBe(plain);
      expect(disassemble(word, 0).length).toBe(4);
    }
  });

  it('names CSRs and uses the csr/counter/fp-csr aliases', () => {
    const csr = (c: number, rs1: number, f3: number, rd: number): number => enc.i(c, rs1, f3, rd, 0x73);
    expect(disassemble(csr(0x300, 0, 2, 10), 0).text).toBe('csrr a0,mstatus');
    expect(disassemble(csr(0x300, 0, 2, 10), 0, { aliases: false }).text).toBe('csrrs a0,mstatus,zero');
    expect(disassemble(csr(0x305, 11, 1, 0), 0).text).toBe('csrw mtvec,a1');
    expect(disassemble(csr(0x180, 11, 1, 10), 0).text).toBe('csrrw a0,satp,a1');
    expect(disassemble(csr(0x144, 5, 7, 0), 0).text).toBe('csrc sip,5');
    expect(disassemble(csr(0xc00, 0, 2, 10), 0).text).toBe('rdcycle a0');
    expect(disassemble(csr(0xc81, 0, 2, 10), 0).text).toBe('rdtimeh a0');
    expect(disassemble(csr(0x001, 0, 2, 10), 0).text).toBe('frflags a0');
    expect(disassemble(csr(0x002, 11, 1, 0), 0).text).toBe('fsrm a1');
    expect(disassemble(csr(0xf14, 0, 2, 10), 0).text).toBe('csrr a0,mhartid');
    expect(disassemble(csr(0x3a0, 0, 2, 10), 0).text).toBe('csrr a0,pmpcfg0');
    expect(disassemble(csr(0x3bf, 0, 2, 10), 0).text).toBe('csrr a0,pmpaddr15');
    expect(disassemble(csr(0x7c0, 0, 2, 10), 0).text).toBe('csrr a0,0x7c0');
  });

  it('prints atomics with ordering suffixes and floating point with rounding modes', () => {
    const amo = (f5: number, aqrl: number, rs2: number): number =>
      enc.r((f5 << 2) | aqrl, rs2, 11, 2, 10, 0x2f);
    expect(disassemble(amo(0x02, 2, 0), 0).text).toBe('lr.w.aq a0,(a1)');
    expect(disassemble(amo(0x03, 3, 12), 0).text).toBe('sc.w.aqrl a0,a2,(a1)');
    expect(disassemble(amo(0x01, 1, 12), 0).text).toBe('amoswap.w.rl a0,a2,(a1)');
    expect(disassemble(amo(0x1c, 0, 12), 0).text).toBe('amomaxu.w a0,a2,(a1)');
    // fadd.d fa0,fa1,fa2 with rm = dyn (not shown), rtz, and the reserved 5 ("unknown").
    expect(disassemble(enc.r(0x01, 12, 11, 7, 10, 0x53), 0).text).toBe('fadd.d fa0,fa1,fa2');
    expect(disassemble(enc.r(0x01, 12, 11, 1, 10, 0x53), 0).text).toBe('fadd.d fa0,fa1,fa2,rtz');
    expect(disassemble(enc.r(0x01, 12, 11, 5, 10, 0x53), 0).text).toBe('fadd.d fa0,fa1,fa2,unknown');
    expect(disassemble(enc.r(0x11, 11, 11, 2, 10, 0x53), 0).text).toBe('fabs.d fa0,fa1');
    expect(disassemble(enc.r(0x10, 11, 11, 0, 10, 0x53), 0).text).toBe('fmv.s fa0,fa1');
    expect(disassemble(enc.r(0x10, 11, 11, 0, 10, 0x53), 0, { aliases: false }).text).toBe(
      'fsgnj.s fa0,fa1,fa1',
    );
    expect(disassemble(enc.r(0x69, 0, 10, 0, 10, 0x53), 0).text).toBe('fcvt.d.w fa0,a0');
    expect(disassemble(enc.r(0x60, 0, 10, 1, 10, 0x53), 0).text).toBe('fcvt.w.s a0,fa0,rtz');
    expect(disassemble(enc.i(8, 10, 3, 10, 0x07), 0).text).toBe('fld fa0,8(a0)');
  });
});

describe('disassemble: targets and symbols', () => {
  it('gives absolute targets for jumps and branches, wrapping at 32 bits', () => {
    const j = disassemble(enc.j(0x10, 0), 0x400000);
    expect(j).toMatchObject({ mnemonic: 'j', operands: '0x400010', target: 0x400010, length: 4 });
    const back = disassemble(enc.b(-8, 0, 10, 1), 0x1000);
    expect(back).toMatchObject({ text: 'bnez a0,0xff8', target: 0xff8 });
    const wrap = disassemble(enc.j(-0x20, 1), 0x10);
    expect(wrap).toMatchObject({ text: 'jal 0xfffffff0', target: 0xfffffff0 });
    const high = disassemble(enc.b(0x800, 12, 11, 6), 0xfffff900);
    expect(high.target).toBe(0x100);
    expect(disassemble(enc.i(0, 0, 0, 0, 0x13), 0).target).toBeUndefined();
  });

  it('appends the symbol name like objdump when symbolize knows the address', () => {
    const symbolize = (a: number): string | undefined => (a === 0x400010 ? 'main' : undefined);
    expect(disassemble(enc.j(0x10, 1), 0x400000, { symbolize }).text).toBe('jal 400010 <main>');
    expect(disassemble(enc.j(0x14, 1), 0x400000, { symbolize }).text).toBe('jal 0x400014');
    expect(disassemble(enc.j(0x10, 5), 0x400000, { aliases: false, symbolize }).text).toBe(
      'jal t0,400010 <main>',
    );
  });
});

describe('disassemble: compressed', () => {
  it('expands compressed instructions with aliases and shows c.* without', () => {
    const cases: Array<[number, string, string]> = [
      [0x0001, 'nop', 'c.addi zero,0'],
      [0x8082, 'ret', 'c.jr ra'],
      [0x9002, 'ebreak', 'c.ebreak'],
      [0x4501, 'li a0,0', 'c.li a0,0'],
      [0x1020, 'add s0,sp,40', 'c.addi4spn s0,sp,40'],
      [0x717d, 'add sp,sp,-16', 'c.addi16sp sp,-16'],
      [0x852e, 'mv a0,a1', 'c.mv a0,a1'],
      [0xc606, 'sw ra,12(sp)', 'c.swsp ra,12(sp)'],
      [0x40b2, 'lw ra,12(sp)', 'c.lwsp ra,12(sp)'],
      [0x0000, 'unimp', 'c.unimp'],
      [0x0002, 'c.slli64 zero', 'c.slli64 zero'],
    ];
    for (const [half, withAliases, plain] of cases) {
      // The upper half of the word must not matter for a 16-bit instruction.
      const word = (half | 0xdead0000) >>> 0;
      expect(disassemble(word, 0).text, half.toString(16)).toBe(withAliases);
      expect(disassemble(word, 0, { aliases: false }).text, half.toString(16)).toBe(plain);
      expect(disassemble(word, 0).length).toBe(2);
    }
  });

  it('computes c.j / c.jal / c.beqz targets', () => {
    // c.j -2 (to itself): imm bits all ones except the encoding of offset -2.
    const cj = disassemble(0xbffd, 0x2000);
    expect(cj).toMatchObject({ mnemonic: 'j', target: 0x1ffe });
    expect(disassemble(0x2011, 0x100, { aliases: false })).toMatchObject({
      mnemonic: 'c.jal',
      target: 0x104,
    });
    expect(disassemble(0xc111, 0x100)).toMatchObject({ text: 'beqz a0,0x104', target: 0x104 });
  });
});

describe('disassemble: robustness', () => {
  it('never throws, and unknown encodings come out as .4byte / .2byte data', () => {
    expect(disassemble(0, 0).text).toBe('unimp');
    expect(disassemble(0xffffffff, 0)).toMatchObject({ length: 4, text: '.4byte 0xffffffff' });
    expect(disassemble(0xfff0000f, 0)).toMatchObject({ length: 4, text: '.4byte 0xfff0000f' });
    // Low bits 11 with bits [4:2] = 111 announce a >32-bit instruction: outside RV32GC.
    expect(disassemble(0x0000ffff, 0)).toMatchObject({ length: 4, text: '.4byte 0xffff' });
    expect(disassemble(0xffff, 0, { aliases: false }).mnemonic).toBe('.4byte');
    const next = rng(0xd15a_55e3);
    let unknown = 0;
    const bad: string[] = [];
    for (let i = 0; i < 100_000; i++) {
      const w = next();
      const d = disassemble(w, next(), { aliases: (i & 1) === 0 });
      const ok = d.length === ((w & 3) === 3 ? 4 : 2) && d.text.startsWith(d.mnemonic) && d.mnemonic !== '';
      if (!ok && bad.length < 10) bad.push(`${w.toString(16)}: ${JSON.stringify(d)}`);
      if (d.mnemonic.startsWith('.')) unknown++;
    }
    expect(bad).toEqual([]);
    // Random words are a mix: neither all decode nor none do.
    expect(unknown).toBeGreaterThan(1000);
    expect(unknown).toBeLessThan(99_000);
  });

  it('accepts the word as a signed or unsigned 32-bit value (e.g. from an Int32Array)', () => {
    for (const w of [0xffffffff, 0x80000073, 0xfe010113, 0xc0001073]) {
      expect(disassemble(w | 0, 0x1000)).toEqual(disassemble(w, 0x1000));
    }
    expect(disassemble(enc.j(-4, 0), -4 >>> 0).target).toBe(0xfffffff8);
  });

  it('handles every 16-bit word in both modes', () => {
    const bad: number[] = [];
    for (let h = 0; h < 0x10000; h++) {
      if ((h & 3) === 3) continue;
      for (const aliases of [true, false]) {
        const d = disassemble(h, 0x8000_0000, { aliases });
        if (d.length !== 2 || d.text.length === 0) bad.push(h);
      }
    }
    expect(bad).toEqual([]);
  });

  it('is deterministic: the same word and pc always give the same result', () => {
    const next = rng(FULL ? 7 : 8);
    let differing = 0;
    for (let i = 0; i < 20_000; i++) {
      const w = next();
      if (JSON.stringify(disassemble(w, 0x1000)) !== JSON.stringify(disassemble(w, 0x1000))) differing++;
    }
    expect(differing).toBe(0);
  });
});

describe('disassembleRange', () => {
  it('walks mixed 16/32-bit code with addresses and raw bits', () => {
    // addi sp,sp,-16 (c.addi16sp) ; lui a0,0x12345 ; ret (c.jr ra) ; one odd trailing byte
    const bytes = new Uint8Array([0x7d, 0x71, 0x37, 0x55, 0x34, 0x12, 0x82, 0x80, 0x13]);
    const out = disassembleRange(bytes, 0x400000);
    expect(out.map((d) => [d.address, d.raw, d.text])).toEqual([
      [0x400000, 0x717d, 'add sp,sp,-16'],
      [0x400002, 0x12345537, 'lui a0,0x12345'],
      [0x400006, 0x8082, 'ret'],
      [0x400008, 0x13, '.byte 0x13'],
    ]);
  });

  it('does not read past the end when a 32-bit instruction is cut off', () => {
    const out = disassembleRange(new Uint8Array([0x13, 0x05, 0x00]), 0x10, { aliases: false });
    expect(out.map((d) => d.text)).toEqual(['.2byte 0x513', '.byte 0x0']);
    expect(out[1].address).toBe(0x12);
  });

  it('comments the address a lui/auipc pair forms, once, like objdump', () => {
    const words = [
      0x00001517, // auipc a0,0x1
      enc.i(16, 10, 0, 10, 0x13), // addi a0,a0,16 -> consumes the pair
      enc.i(4, 10, 2, 11, 0x03), // lw a1,4(a0): already consumed, no comment
      0x80000737, // lui a4,0x80000
      enc.i(-4, 14, 2, 15, 0x03), // lw a5,-4(a4)
      enc.i(8, 4, 2, 10, 0x03), // lw a0,8(tp): tp-relative prints the offset
      enc.i(-8, 3, 2, 10, 0x03), // lw a0,-8(gp): gp-relative with a known gp
      0x00000097, // auipc ra,0x0
      enc.i(0, 1, 0, 0, 0x67), // ret: no operands, no comment
    ];
    const bytes = new Uint8Array(new Uint32Array(words).buffer);
    const out = disassembleRange(bytes, 0x1000, { gp: 0x5800 });
    expect(out.map((d) => d.text)).toEqual([
      'auipc a0,0x1',
      'add a0,a0,16 # 0x2010',
      'lw a1,4(a0)',
      'lui a4,0x80000',
      'lw a5,-4(a4) # 0x7ffffffc',
      'lw a0,8(tp) # 0x8',
      'lw a0,-8(gp) # 0x57f8',
      'auipc ra,0x0',
      'ret',
    ]);
    expect(out[1].reference).toBe(0x2010);
    expect(out[1].target).toBeUndefined();
    const plain = disassembleRange(bytes, 0x1000, { addressComments: false, aliases: false });
    expect(plain[1].text).toBe('addi a0,a0,16');
    expect(plain.every((d) => d.reference === undefined)).toBe(true);
    // Without aliases `ret` is `jalr zero,0(ra)`, whose operands do consume the pair.
    expect(disassembleRange(bytes, 0x1000, { aliases: false })[8].text).toBe('jalr zero,0(ra) # 0x101c');
  });

  it('agrees with disassemble on random byte streams', () => {
    const next = rng(42);
    const bytes = new Uint8Array(FULL ? 40_000 : 4_000).map(() => next() & 0xff);
    const view = new DataView(bytes.buffer);
    let at = 0;
    for (const d of disassembleRange(bytes, 0x8000_0000, { addressComments: false })) {
      expect(d.address).toBe((0x8000_0000 + at) >>> 0);
      if (at + 4 <= bytes.length) {
        expect(d).toEqual({
          ...disassemble(view.getUint32(at, true), d.address),
          address: d.address,
          raw: d.raw,
        });
      }
      at += d.length;
    }
    expect(at).toBeGreaterThanOrEqual(bytes.length);
  });
});
