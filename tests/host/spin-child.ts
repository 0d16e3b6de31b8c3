// A guest for the kill tests (session and renderer): a runaway child and a parent that reaps it.

/**
 * Forks a child that spins without a system call, prints "forked", waits for it, prints "reaped SS"
 * (the wait status's signal, two digits), then echoes each console line as "got: LINE" (the shell).
 */
export const SPIN_CHILD_ASM = `
  .text
  .globl _start
_start:
  li a0, 17
  li a1, 0
  li a2, 0
  li a3, 0
  li a4, 0
  li a7, 220
  ecall
  beqz a0, child
  mv s0, a0
  li a0, 1
  la a1, forked
  li a2, 7
  li a7, 64
  ecall
  mv a0, s0
  la a1, status
  li a2, 0
  li a3, 0
  li a7, 260
  ecall
  la t0, status
  lw t1, 0(t0)
  andi t1, t1, 0x7f
  li t2, 10
  la t0, reaped
  div t3, t1, t2
  addi t3, t3, 48
  sb t3, 7(t0)
  rem t3, t1, t2
  addi t3, t3, 48
  sb t3, 8(t0)
  li a0, 1
  la a1, reaped
  li a2, 10
  li a7, 64
  ecall
loop:
  li a0, 0
  la a1, buf
  li a2, 200
  li a7, 63
  ecall
  mv s1, a0
  blez s1, done
  li a0, 1
  la a1, got
  li a2, 5
  li a7, 64
  ecall
  li a0, 1
  la a1, buf
  mv a2, s1
  li a7, 64
  ecall
  j loop
done:
  li a0, 0
  li a7, 93
  ecall
child:
  addi s0, s0, 1
  j child
  .data
forked: .ascii "forked\\n"
reaped: .ascii "reaped ??\\n"
got: .ascii "got: "
  .bss
status: .space 4
buf: .space 256
`;
