# crt0: the first code of every Futura program. The kernel leaves argc at sp, then argv[], NULL,
# envp[], NULL (ABI.md). We set gp for GCC's relaxed accesses, then hand argc/argv/envp to
# __libc_start, which runs main and exits with its result.
    .section .text.start
    .globl _start
    .weak __global_pointer$
_start:
    .option push
    .option norelax
    la gp, __global_pointer$
    .option pop
    lw a0, 0(sp)
    addi a1, sp, 4
    slli t0, a0, 2
    add a2, a1, t0
    addi a2, a2, 4
    andi sp, sp, -16
    call __libc_start
1:  j 1b
