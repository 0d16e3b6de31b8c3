import { execFileSync } from 'node:child_process';
import { describe, expect } from 'vitest';
import { buildWithGcc } from './gcc';
import { oracleIt, QEMU_USER, RV_GCC } from './oracle';

describe('test runtime (GCC + qemu-riscv32)', () => {
  oracleIt('builds a program whose printf and exit code work under qemu-riscv32', [RV_GCC, QEMU_USER], () => {
    const elf = buildWithGcc([
      {
        name: 'hello.c',
        text: '#include "rt.h"\nint main(int argc, char **argv) { printf("hello %d %s %llx %5d|%-4x|\\n", argc, argv[1], 0x123456789abcdefULL, -42, 255); return 7; }\n',
      },
    ]);
    let out = '';
    let code = 0;
    try {
      out = execFileSync(QEMU_USER, [elf, 'arg'], { encoding: 'utf8' });
    } catch (e) {
      const err = e as { status: number; stdout: string };
      code = err.status;
      out = err.stdout;
    }
    expect(out).toBe('hello 2 arg 123456789abcdef   -42|ff  |\n');
    expect(code).toBe(7);
  });
});
