// Assembler diagnostics (file:line:col) and robustness: random and mutated sources give
// diagnostics, never an exception.
import { describe, expect, it } from 'vitest';
import { assemble, assembleToElf } from '../../core/toolchain/asm/assembler';
import { formatDiagnostic } from '../../core/toolchain/asm/diag';
import { readObject } from '../../core/toolchain/obj/reader';
import { rng } from './asm-gen';
import { randomProgram } from './asm-gen';

const errs = (src: string): string[] => assemble(src, { file: 'x.S' }).diagnostics.map(formatDiagnostic);

describe('assembler diagnostics', () => {
  it('reports an unknown instruction at its line and column', () => {
    expect(errs('  nop\n   frobnicate a0, a1\n')).toEqual([
      "x.S:2:4: error: unknown instruction 'frobnicate'",
    ]);
  });
  it('reports a bad operand at the operand', () => {
    const e = errs('add a0, a1, fa0\n');
    expect(e).toHaveLength(1);
    expect(e[0]).toMatch(/^x\.S:1:13: error: expected an integer register/);
  });
  it('reports an out-of-range immediate', () => {
    expect(errs('\naddi a0, a0, 4096')[0]).toMatch(/^x\.S:2:14: error: immediate out of range: 4096/);
    expect(errs('slli a0, a0, 32')[0]).toMatch(/^x\.S:1:14: error: shift amount out of range/);
    expect(errs('lui a0, 0x100000')[0]).toMatch(/^x\.S:1:9: error: immediate out of range/);
  });
  it('reports an immediate that only becomes known after layout', () => {
    expect(errs('a: nop\nb: nop\naddi a0, a0, b-a+5000')[0]).toMatch(
      /^x\.S:3:14: error: immediate out of range: 5002/,
    );
  });
  it('reports undefined numeric labels, duplicate labels and unknown directives, all at once', () => {
    const e = errs('x: nop\nx: nop\n.frob 1\nj 1f\n');
    expect(e).toContain("x.S:2:1: error: symbol 'x' is already defined");
    expect(e).toContain("x.S:3:1: error: unknown directive '.frob'");
    expect(e.some((m) => m.startsWith('x.S:4:') && m.includes("undefined local label '1'"))).toBe(true);
  });
  it('reports a branch out of range', () => {
    expect(errs('c.j far\n.zero 4096\nfar: nop')[0]).toMatch(/^x\.S:1:1: error: branch target out of range/);
  });
  it('accepts // and /* */ comments and ; separators', () => {
    const r = assembleToElf('nop // c\n/* multi\nline */ nop ; nop # end\n', { rvc: false });
    expect(r.diagnostics).toEqual([]);
    const text = readObject(r.elf as Uint8Array).sections.find((s) => s.name === '.text');
    expect(text?.data.length).toBe(12);
  });
});

function mutate(src: string, r: () => number): string {
  const chars = [...src];
  const n = 1 + Math.floor(r() * 6);
  const junk = [
    '(',
    ')',
    ',',
    '%hi(',
    '1f',
    '.',
    '"',
    "'",
    '\\',
    '-',
    'x99',
    '#',
    ':',
    '0x',
    ';',
    '\n',
    '.word',
    '%lo',
    '+',
    '/*',
  ];
  for (let i = 0; i < n; i++) {
    const at = Math.floor(r() * chars.length);
    const op = r();
    if (op < 0.4) chars.splice(at, 1);
    else if (op < 0.8) chars.splice(at, 0, junk[Math.floor(r() * junk.length)] ?? '');
    else chars[at] = String.fromCharCode(32 + Math.floor(r() * 95));
  }
  return chars.join('');
}

describe('assembler fuzz', () => {
  const count = process.env.FUTURA_FULL === '1' ? 4000 : 400;
  it(`${count} mutated sources give an object or diagnostics, never an exception`, () => {
    const r = rng(12345);
    const base = randomProgram(3, 1).split('\n');
    let withErrors = 0;
    for (let i = 0; i < count; i++) {
      const start = Math.floor(r() * (base.length - 8));
      const src = mutate(
        base.slice(start, start + 8).join('\n') + '\n.data\nv: .word v, 1f\n1: .string "a"\n',
        r,
      );
      const res = assembleToElf(src, { file: 'fuzz.S' });
      if (res.elf) readObject(res.elf);
      else {
        withErrors++;
        for (const d of res.diagnostics) {
          expect(d.line).toBeGreaterThan(0);
          expect(d.message.length).toBeGreaterThan(0);
        }
      }
    }
    expect(withErrors).toBeGreaterThan(0);
  });
});
