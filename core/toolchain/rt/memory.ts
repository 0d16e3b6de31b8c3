// libfutcc-rt, the block operations compilers emit calls to (struct copies, clears, compares):
// memcpy, memmove, memset, memcmp. Word loops when everything is 4-aligned, bytes otherwise.
import { fn } from './asm-util';

const memcpy = fn(
  'memcpy',
  `  mv t6, a0
  or t0, a0, a1
  or t0, t0, a2
  andi t0, t0, 3
  bnez t0, 2f
  add t1, a1, a2
1:
  beq a1, t1, 3f
  lw t2, 0(a1)
  sw t2, 0(t6)
  addi a1, a1, 4
  addi t6, t6, 4
  j 1b
2:
  add t1, a1, a2
4:
  beq a1, t1, 3f
  lbu t2, 0(a1)
  sb t2, 0(t6)
  addi a1, a1, 1
  addi t6, t6, 1
  j 4b
3:
  ret
`,
);

// Copies forwards when the destination is below the source, else backwards from the end.
const memmove = fn(
  'memmove',
  `  beq a0, a1, 3f
  bltu a1, a0, 2f
  mv t6, a0
  add t1, a1, a2
1:
  beq a1, t1, 3f
  lbu t2, 0(a1)
  sb t2, 0(t6)
  addi a1, a1, 1
  addi t6, t6, 1
  j 1b
2:
  add t6, a0, a2
  add t1, a1, a2
4:
  beq t1, a1, 3f
  addi t1, t1, -1
  addi t6, t6, -1
  lbu t2, 0(t1)
  sb t2, 0(t6)
  j 4b
3:
  ret
`,
);

const memset = fn(
  'memset',
  `  mv t6, a0
  add t1, a0, a2
  andi a1, a1, 0xff
  or t0, a0, a2
  andi t0, t0, 3
  bnez t0, 2f
  slli t2, a1, 8
  or a1, a1, t2
  slli t2, a1, 16
  or a1, a1, t2
1:
  beq t6, t1, 3f
  sw a1, 0(t6)
  addi t6, t6, 4
  j 1b
2:
  beq t6, t1, 3f
  sb a1, 0(t6)
  addi t6, t6, 1
  j 2b
3:
  ret
`,
);

const memcmp = fn(
  'memcmp',
  `  add t1, a0, a2
1:
  beq a0, t1, 2f
  lbu t2, 0(a0)
  lbu t3, 0(a1)
  addi a0, a0, 1
  addi a1, a1, 1
  beq t2, t3, 1b
  sub a0, t2, t3
  ret
2:
  li a0, 0
  ret
`,
);

export const MEMORY_SOURCES: Record<string, string> = { memcpy, memmove, memset, memcmp };
