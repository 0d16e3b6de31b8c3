# The one system-call entry: long __syscall6(a0, a1, a2, a3, a4, a5, nr). Arguments are already
# in a0-a5 by the C calling convention; the number arrives in a6 and moves to a7 for ecall.
    .text
    .globl __syscall6
__syscall6:
    mv a7, a6
    ecall
    ret
