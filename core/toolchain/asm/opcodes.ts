// The RV32GC base instruction table (I, M, A, F, D, Zicsr, Zifencei, privileged). Each entry lists
// its operand syntax in one letter per operand; the encoder places each letter's field:
//   d s t  integer rd/rs1/rs2      D S T R  float rd/rs1/rs2/rs3
//   i      I-immediate (%lo, %pcrel_lo allowed)   u  U-immediate (%hi, %pcrel_hi allowed)
//   o      load address imm(rs1)  O  store address imm(rs1)   A  atomic address (rs1)
//   b      branch target          J  jal target                >  shift amount 0..31
//   m      optional rounding mode c  CSR (name or number)     Z  5-bit CSR immediate
//   P Q    fence predecessor / successor sets

export interface OpDef {
  name: string;
  ops: string;
  match: number;
  /** Rounding mode used when an optional `m` operand is omitted (default dyn = 7). */
  rmDefault?: number;
}

export const OPS: OpDef[] = [];
const def = (name: string, ops: string, match: number, rmDefault?: number): void => {
  const d: OpDef = { name, ops, match: match >>> 0 };
  if (rmDefault !== undefined) d.rmDefault = rmDefault;
  OPS.push(d);
};
const r = (op: number, f3: number, f7: number): number => op | (f3 << 12) | (f7 << 25);

// RV32I
def('lui', 'd,u', 0x37);
def('auipc', 'd,u', 0x17);
def('jal', 'd,J', 0x6f);
def('jalr', 'd,s,i', 0x67);
def('jalr', 'd,o', 0x67);
for (const [n, f3] of [
  ['beq', 0],
  ['bne', 1],
  ['blt', 4],
  ['bge', 5],
  ['bltu', 6],
  ['bgeu', 7],
] as const)
  def(n, 's,t,b', r(0x63, f3, 0));
for (const [n, f3] of [
  ['lb', 0],
  ['lh', 1],
  ['lw', 2],
  ['lbu', 4],
  ['lhu', 5],
] as const)
  def(n, 'd,o', r(0x03, f3, 0));
for (const [n, f3] of [
  ['sb', 0],
  ['sh', 1],
  ['sw', 2],
] as const)
  def(n, 't,O', r(0x23, f3, 0));
for (const [n, f3] of [
  ['addi', 0],
  ['slti', 2],
  ['sltiu', 3],
  ['xori', 4],
  ['ori', 6],
  ['andi', 7],
] as const)
  def(n, 'd,s,i', r(0x13, f3, 0));
def('slli', 'd,s,>', r(0x13, 1, 0));
def('srli', 'd,s,>', r(0x13, 5, 0));
def('srai', 'd,s,>', r(0x13, 5, 0x20));
const ALU: Array<[string, number, number]> = [
  ['add', 0, 0],
  ['sub', 0, 0x20],
  ['sll', 1, 0],
  ['slt', 2, 0],
  ['sltu', 3, 0],
  ['xor', 4, 0],
  ['srl', 5, 0],
  ['sra', 5, 0x20],
  ['or', 6, 0],
  ['and', 7, 0],
  ['mul', 0, 1],
  ['mulh', 1, 1],
  ['mulhsu', 2, 1],
  ['mulhu', 3, 1],
  ['div', 4, 1],
  ['divu', 5, 1],
  ['rem', 6, 1],
  ['remu', 7, 1],
];
for (const [n, f3, f7] of ALU) def(n, 'd,s,t', r(0x33, f3, f7));
// Register-immediate spellings GNU as accepts for the three-register mnemonics.
for (const [n, imm] of [
  ['add', 'addi'],
  ['and', 'andi'],
  ['or', 'ori'],
  ['xor', 'xori'],
  ['slt', 'slti'],
  ['sltu', 'sltiu'],
]) {
  const base = OPS.find((o) => o.name === imm);
  if (base) def(n as string, 'd,s,i', base.match);
}
def('sll', 'd,s,>', r(0x13, 1, 0));
def('srl', 'd,s,>', r(0x13, 5, 0));
def('sra', 'd,s,>', r(0x13, 5, 0x20));
def('fence', 'P,Q', 0x0f);
def('fence.i', '', 0x100f);
def('fence.tso', '', 0x8330000f);
def('pause', '', 0x0100000f);
def('ecall', '', 0x73);
def('scall', '', 0x73);
def('ebreak', '', 0x00100073);
def('sbreak', '', 0x00100073);
def('uret', '', 0x00200073);
def('sret', '', 0x10200073);
def('mret', '', 0x30200073);
def('dret', '', 0x7b200073);
def('wfi', '', 0x10500073);
def('sfence.vma', 's,t', 0x12000073);
def('sfence.vma', 's', 0x12000073);
def('sfence.vma', '', 0x12000073);
// Zicsr
for (const [n, f3] of [
  ['csrrw', 1],
  ['csrrs', 2],
  ['csrrc', 3],
] as const)
  def(n, 'd,c,s', r(0x73, f3, 0));
for (const [n, f3] of [
  ['csrrwi', 5],
  ['csrrsi', 6],
  ['csrrci', 7],
] as const)
  def(n, 'd,c,Z', r(0x73, f3, 0));
// A
const AMO: Array<[string, number]> = [
  ['amoadd.w', 0x00],
  ['amoswap.w', 0x01],
  ['amoxor.w', 0x04],
  ['amoor.w', 0x08],
  ['amoand.w', 0x0c],
  ['amomin.w', 0x10],
  ['amomax.w', 0x14],
  ['amominu.w', 0x18],
  ['amomaxu.w', 0x1c],
];
for (const [sfx, bits] of [
  ['', 0],
  ['.aq', 2],
  ['.rl', 1],
  ['.aqrl', 3],
] as const) {
  def(`lr.w${sfx}`, 'd,A', r(0x2f, 2, (0x02 << 2) | bits));
  def(`sc.w${sfx}`, 'd,t,A', r(0x2f, 2, (0x03 << 2) | bits));
  for (const [n, f5] of AMO) def(`${n}${sfx}`, 'd,t,A', r(0x2f, 2, (f5 << 2) | bits));
}
// F and D (fmt 0 = single, 1 = double)
for (const [s, fmt, w] of [
  ['s', 0, 2],
  ['d', 1, 3],
] as const) {
  def(s === 's' ? 'flw' : 'fld', 'D,o', r(0x07, w, 0));
  def(s === 's' ? 'fsw' : 'fsd', 'T,O', r(0x27, w, 0));
  for (const [n, op] of [
    ['fmadd', 0x43],
    ['fmsub', 0x47],
    ['fnmsub', 0x4b],
    ['fnmadd', 0x4f],
  ] as const)
    def(`${n}.${s}`, 'D,S,T,R,m', op | (fmt << 25));
  for (const [n, f5] of [
    ['fadd', 0x00],
    ['fsub', 0x01],
    ['fmul', 0x02],
    ['fdiv', 0x03],
  ] as const)
    def(`${n}.${s}`, 'D,S,T,m', r(0x53, 0, (f5 << 2) | fmt));
  def(`fsqrt.${s}`, 'D,S,m', r(0x53, 0, (0x0b << 2) | fmt));
  for (const [n, f3] of [
    ['fsgnj', 0],
    ['fsgnjn', 1],
    ['fsgnjx', 2],
  ] as const)
    def(`${n}.${s}`, 'D,S,T', r(0x53, f3, (0x04 << 2) | fmt));
  def(`fmin.${s}`, 'D,S,T', r(0x53, 0, (0x05 << 2) | fmt));
  def(`fmax.${s}`, 'D,S,T', r(0x53, 1, (0x05 << 2) | fmt));
  def(`fcvt.w.${s}`, 'd,S,m', r(0x53, 0, (0x18 << 2) | fmt));
  def(`fcvt.wu.${s}`, 'd,S,m', r(0x53, 0, (0x18 << 2) | fmt) | (1 << 20));
  for (const [n, f3] of [
    ['feq', 2],
    ['flt', 1],
    ['fle', 0],
  ] as const)
    def(`${n}.${s}`, 'd,S,T', r(0x53, f3, (0x14 << 2) | fmt));
  def(`fclass.${s}`, 'd,S', r(0x53, 1, (0x1c << 2) | fmt));
  // int -> double is exact, so GNU as encodes rne when the rounding mode is omitted.
  def(`fcvt.${s}.w`, 'D,s,m', r(0x53, 0, (0x1a << 2) | fmt), fmt === 1 ? 0 : undefined);
  def(`fcvt.${s}.wu`, 'D,s,m', r(0x53, 0, (0x1a << 2) | fmt) | (1 << 20), fmt === 1 ? 0 : undefined);
}
def('fmv.x.w', 'd,S', r(0x53, 0, 0x70));
def('fmv.x.s', 'd,S', r(0x53, 0, 0x70));
def('fmv.w.x', 'D,s', r(0x53, 0, 0x78));
def('fmv.s.x', 'D,s', r(0x53, 0, 0x78));
def('fcvt.s.d', 'D,S,m', r(0x53, 0, 0x20) | (1 << 20));
def('fcvt.d.s', 'D,S,m', r(0x53, 0, 0x21), 0);

const byName = new Map<string, OpDef[]>();
for (const o of OPS) {
  const list = byName.get(o.name) ?? [];
  list.push(o);
  byName.set(o.name, list);
}
export const opVariants = (name: string): OpDef[] | undefined => byName.get(name);
