// Compressed instructions: every RV32 C instruction expands to exactly the 32-bit instruction GNU as
// emits for the same source line, reserved encodings are illegal, and compressed code runs.
import { describe, expect, it } from 'vitest';
import { expandCompressed } from '../../core/machine/rvc';
import { oracleIt } from '../support/oracle';
import { assemble, RV_AS, RV_OBJCOPY, splitInstructions } from './asm-tool';
import { A, ENGINES, li, loadHalves, loadWords, makeBoard, R, RAM_BASE } from './helpers';

// One compressible instruction per line, covering every RV32 C instruction and immediate extremes.
const LINES = [
  'addi s0, sp, 4',
  'addi a5, sp, 1020',
  'addi s1, sp, 512', // c.addi4spn
  'fld fs0, 0(a0)',
  'fld fa5, 248(s1)', // c.fld
  'lw a0, 0(a1)',
  'lw s1, 124(a5)',
  'lw a2, 64(s0)', // c.lw
  'flw fa0, 4(a1)',
  'flw fs1, 124(a5)', // c.flw
  'fsd fs0, 8(a0)',
  'fsd fa5, 248(s1)', // c.fsd
  'sw a0, 0(a1)',
  'sw s1, 124(a5)', // c.sw
  'fsw fa0, 4(a1)',
  'fsw fs1, 124(a5)', // c.fsw
  'addi a0, a0, 1',
  'addi t6, t6, -32',
  'addi sp, sp, 31',
  'nop', // c.addi / c.nop
  'li a0, 0',
  'li t0, -32',
  'li s11, 31', // c.li
  'addi sp, sp, -512',
  'addi sp, sp, 496',
  'addi sp, sp, 16', // c.addi16sp
  'lui a0, 1',
  'lui t0, 0xfffe0',
  'lui s11, 31', // c.lui
  'srli a0, a0, 1',
  'srli s1, s1, 31',
  'srai a5, a5, 7',
  'srai s0, s0, 31', // c.srli / c.srai
  'andi a0, a0, -32',
  'andi s1, s1, 31', // c.andi
  'sub a0, a0, a1',
  'xor s0, s0, a5',
  'or a4, a4, s1',
  'and a3, a3, a2', // c.sub/xor/or/and
  'slli a0, a0, 1',
  'slli t6, t6, 31', // c.slli
  'fld fa0, 0(sp)',
  'fld ft11, 504(sp)', // c.fldsp
  'lw ra, 0(sp)',
  'lw t6, 252(sp)', // c.lwsp
  'flw fa0, 4(sp)',
  'flw ft11, 252(sp)', // c.flwsp
  'jr ra',
  'jr t6',
  'add a0, zero, a1',
  'add t6, zero, s0', // c.jr / c.mv
  'ebreak',
  'jalr a0',
  'jalr t6',
  'add a0, a0, a1',
  'add t6, t6, s0', // c.ebreak/jalr/add
  'fsd fa0, 0(sp)',
  'fsd ft11, 504(sp)', // c.fsdsp
  'sw ra, 0(sp)',
  'sw t6, 252(sp)', // c.swsp
  'fsw fa0, 4(sp)',
  'fsw ft11, 252(sp)', // c.fswsp
];
// Branches and jumps need labels; both layouts use the same label distances in instructions, so we
// check these through execution and through hand-computed offsets below.

describe('compressed decoding against GNU as', () => {
  oracleIt('each C instruction expands to the 32-bit encoding of the same line', [RV_AS, RV_OBJCOPY], () => {
    const src = LINES.join('\n') + '\n';
    const c = splitInstructions(assemble(src));
    const w = splitInstructions(assemble('.option norvc\n' + src));
    expect(c.length).toBe(LINES.length);
    expect(w.length).toBe(LINES.length);
    c.forEach((parcel, i) => {
      expect(parcel & 3, `${LINES[i]} should compress`).not.toBe(3);
      expect(expandCompressed(parcel) >>> 0, LINES[i]).toBe(w[i]);
    });
  });

  oracleIt('c.j, c.jal, c.beqz and c.bnez offsets match at both extremes', [RV_AS, RV_OBJCOPY], () => {
    // Targets placed so the offsets reach the ends of each immediate range.
    const cases: Array<[string, number]> = [
      ['c.j', 2046],
      ['c.j', -2048],
      ['c.jal', 2046],
      ['c.jal', -2048],
      ['c.beqz a0,', 254],
      ['c.bnez s1,', -256],
      ['c.beqz a5,', 2],
    ];
    for (const [mn, off] of cases) {
      const src = `.option rvc\n${mn} .+${off}\n`.replace('.+-', '.-');
      const [parcel] = splitInstructions(assemble(src));
      const e = expandCompressed(parcel!);
      const op = e & 0x7f;
      // Decode the expanded immediate back and compare with the requested offset.
      const imm =
        op === 0x6f
          ? ((e >> 11) & 0xfff0_0000) | (e & 0xff000) | ((e >>> 9) & 0x800) | ((e >>> 20) & 0x7fe)
          : ((e >> 19) & 0xffff_f000) | ((e << 4) & 0x800) | ((e >>> 20) & 0x7e0) | ((e >>> 7) & 0x1e);
      expect(imm, `${mn} ${off}`).toBe(off);
      if (mn === 'c.jal') expect((e >>> 7) & 31).toBe(1);
      if (mn === 'c.j') expect((e >>> 7) & 31).toBe(0);
    }
  });
});

describe('reserved and RV64-only compressed encodings are illegal', () => {
  const reserved: Array<[string, number]> = [
    ['all zeros', 0x0000],
    ['c.addi4spn with imm 0', 0x0004],
    ['quadrant 0 funct3 4', 0x8000],
    ['c.addi16sp with imm 0', 0x6101],
    ['c.lui with imm 0', 0x6501],
    ['c.srli shamt[5]=1', 0x9005],
    ['c.srai shamt[5]=1', 0x9405],
    ['c.subw (RV64)', 0x9c01],
    ['c.addw (RV64)', 0x9c21],
    ['c.slli shamt[5]=1', 0x1006],
    ['c.lwsp rd=0', 0x4002],
    ['c.jr rs1=0', 0x8002],
  ];
  for (const [name, parcel] of reserved) {
    it(name, () => expect(expandCompressed(parcel)).toBe(0));
  }
  it('an illegal parcel traps with the 16-bit bits as tval', () => {
    const b = makeBoard('interp');
    loadHalves(b, RAM_BASE, [0x9c01, 0]);
    b.hart.pc = RAM_BASE;
    b.hart.hosted = true;
    expect(b.hart.run(10)).toBe(5);
    expect(b.hart.exitTval).toBe(0x9c01);
    expect(b.hart.pc).toBe(RAM_BASE);
  });
});

describe.each(ENGINES)('compressed code runs (%s)', (engine) => {
  it('mixes 16- and 32-bit instructions, including a 32-bit one straddling a page boundary', () => {
    const b = makeBoard(engine);
    // 0x80000ffa: c.li a0, 5 ; c.addi a0, 3 ; 32-bit addi a1, a0, 100 at 0x80000ffe (crosses)
    const start = RAM_BASE + 0xffa;
    loadWords(b, RAM_BASE, [...li(R.t0, start), A.jalr(0, R.t0, 0)]);
    loadHalves(b, start, [0x4515, 0x050d]);
    const addi = A.addi(R.a1, R.a0, 100);
    loadHalves(b, RAM_BASE + 0xffe, [addi & 0xffff, addi >>> 16]);
    // then c.mv a2, a1 ; c.ebreak
    loadHalves(b, RAM_BASE + 0x1002, [0x862e, 0x9002]);
    b.hart.pc = RAM_BASE;
    b.hart.hosted = true;
    expect(b.hart.run(100)).toBe(2); // Ebreak
    expect(b.hart.x[R.a0]).toBe(8);
    expect(b.hart.x[R.a1]).toBe(108);
    expect(b.hart.x[R.a2]).toBe(108);
    expect(b.hart.pc).toBe(RAM_BASE + 0x1004);
    expect(b.hart.instret).toBe(2 + 1 + 3 + 1);
  });

  it('c.jal links pc + 2 and c.jr returns', () => {
    const b = makeBoard(engine);
    // 0: c.jal +6 ; 2: c.li a0, 1 ; 4: c.ebreak ; 6: c.li a1, 2 ; 8: c.jr ra
    loadHalves(b, RAM_BASE, [0x2019, 0x4505, 0x9002, 0x4589, 0x8082]);
    b.hart.pc = RAM_BASE;
    b.hart.hosted = true;
    expect(b.hart.run(100)).toBe(2);
    expect(b.hart.x[R.ra]! >>> 0).toBe(RAM_BASE + 2);
    expect(b.hart.x[R.a0]).toBe(1);
    expect(b.hart.x[R.a1]).toBe(2);
  });
});
