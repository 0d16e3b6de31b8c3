// The target description GDB reads with qXfer:features:read: an RV32 hart with the D extension.
// Register numbers follow GDB's RISC-V numbering: x0–x31 = 0–31, pc = 32, f0–f31 = 33–64, and
// CSRs at 65 + number (fflags 66, frm 67, fcsr 68).

export const XREG_NAMES = [
  'zero', 'ra', 'sp', 'gp', 'tp', 't0', 't1', 't2', 'fp', 's1', 'a0', 'a1', 'a2', 'a3', 'a4', 'a5',
  'a6', 'a7', 's2', 's3', 's4', 's5', 's6', 's7', 's8', 's9', 's10', 's11', 't3', 't4', 't5', 't6',
] as const; // prettier-ignore

export const FREG_NAMES = [
  'ft0', 'ft1', 'ft2', 'ft3', 'ft4', 'ft5', 'ft6', 'ft7', 'fs0', 'fs1', 'fa0', 'fa1', 'fa2', 'fa3',
  'fa4', 'fa5', 'fa6', 'fa7', 'fs2', 'fs3', 'fs4', 'fs5', 'fs6', 'fs7', 'fs8', 'fs9', 'fs10', 'fs11',
  'ft8', 'ft9', 'ft10', 'ft11',
] as const; // prettier-ignore

export const REG_PC = 32;
export const REG_F0 = 33;
export const REG_FFLAGS = 66;
export const REG_FRM = 67;
export const REG_FCSR = 68;

/** Register numbers in `g`-packet order with their width in bytes. */
export const G_LAYOUT: readonly { regnum: number; bytes: number }[] = [
  ...Array.from({ length: 33 }, (_, i) => ({ regnum: i, bytes: 4 })),
  ...Array.from({ length: 32 }, (_, i) => ({ regnum: REG_F0 + i, bytes: 8 })),
  { regnum: REG_FFLAGS, bytes: 4 },
  { regnum: REG_FRM, bytes: 4 },
  { regnum: REG_FCSR, bytes: 4 },
];

function xregType(i: number): string {
  if (i === 2 || i === 8) return 'data_ptr';
  if (i === 1) return 'code_ptr';
  return 'int';
}

export function targetXml(): string {
  const cpu = XREG_NAMES.map(
    (n, i) => `    <reg name="${n}" bitsize="32" type="${xregType(i)}" regnum="${i}"/>`,
  );
  const fpu = FREG_NAMES.map(
    (n, i) => `    <reg name="${n}" bitsize="64" type="riscv_double" regnum="${REG_F0 + i}"/>`,
  );
  return [
    '<?xml version="1.0"?>',
    '<!DOCTYPE target SYSTEM "gdb-target.dtd">',
    '<target version="1.0">',
    '  <architecture>riscv:rv32</architecture>',
    '  <feature name="org.gnu.gdb.riscv.cpu">',
    ...cpu,
    `    <reg name="pc" bitsize="32" type="code_ptr" regnum="${REG_PC}"/>`,
    '  </feature>',
    '  <feature name="org.gnu.gdb.riscv.fpu">',
    '    <union id="riscv_double">',
    '      <field name="float" type="ieee_single"/>',
    '      <field name="double" type="ieee_double"/>',
    '    </union>',
    ...fpu,
    `    <reg name="fflags" bitsize="32" type="int" regnum="${REG_FFLAGS}" group="float"/>`,
    `    <reg name="frm" bitsize="32" type="int" regnum="${REG_FRM}" group="float"/>`,
    `    <reg name="fcsr" bitsize="32" type="int" regnum="${REG_FCSR}" group="float"/>`,
    '  </feature>',
    '</target>',
    '',
  ].join('\n');
}
