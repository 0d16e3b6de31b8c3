// The demo's guest programs, ping and pong, in RV32 assembly, built at run time with Futura's own
// assembler and linker (no external toolchain needed). They follow tests/remote/guests/*.c:
// pong registers "pong" and answers each PING (0x1000) with a PONG (0x1001) carrying the same data
// on the channel of "ping", reconnecting once when that channel fails (a request that finds no
// "ping" is dropped), and exits on STOP (0x10ff);
// ping registers "ping", connects to "pong" and makes argv[1] round trips of 16 bytes, checking
// each reply. Exit status: 0 done, 2 setup failed, 3 the channel reported an error, 4 bad reply.
import { assembleToElf } from '../../toolchain/asm/assembler';
import { link } from '../../toolchain/link/linker';

const COMMON = `
  .equ SYS_EXIT, 93
  .equ SYS_NANOSLEEP, 101
  .equ FIPC_CREATE, 600
  .equ FIPC_SEND, 601
  .equ FIPC_RECV, 602
  .equ FIPC_CLOSE, 603
  .equ FIPC_POLL, 604
  .equ FIPC_CONNECT, 605
  .equ FIPC_REGISTER, 606
  .equ BUF, 1056
  .text
# a0 = name: fipc_connect retried (1 ms naps) up to 200000 times; a0 = channel or -errno.
connect_retry:
  mv t5, ra
  mv t6, a0
  li t4, 200000
1:
  mv a0, t6
  li a7, FIPC_CONNECT
  ecall
  bgez a0, 2f
  addi t4, t4, -1
  beqz t4, 2f
  la a0, ts
  li a1, 0
  li a7, SYS_NANOSLEEP
  ecall
  j 1b
2:
  mv ra, t5
  ret
nap:
  la a0, ts
  li a1, 0
  li a7, SYS_NANOSLEEP
  ecall
  ret
exit:
  li a7, SYS_EXIT
  ecall
fail2:
  li a0, 2
  j exit
fail3:
  li a0, 3
  j exit
fail4:
  li a0, 4
  j exit
  .data
  .align 2
ts: .word 0, 1000000
name_ping: .asciz "ping"
name_pong: .asciz "pong"
  .align 2
buf: .space BUF
out: .space 16
`;

const PING = `
  .text
  .globl _start
_start:
  lw t0, 0(sp)
  li s1, 10
  li t1, 2
  blt t0, t1, 3f
  lw a0, 8(sp)
  li s1, 0
1:
  lbu t1, 0(a0)
  addi t1, t1, -48
  li t2, 10
  bgeu t1, t2, 3f
  slli t2, s1, 3
  slli t3, s1, 1
  add s1, t2, t3
  add s1, s1, t1
  addi a0, a0, 1
  j 1b
3:
  li a0, 2
  li a1, 0
  li a7, FIPC_CREATE
  ecall
  bltz a0, fail2
  mv s0, a0
  la a0, name_ping
  mv a1, s0
  li a7, FIPC_REGISTER
  ecall
  bnez a0, fail2
  la a0, name_pong
  call connect_retry
  bltz a0, fail2
  mv s2, a0
  li s4, 0
loop:
  bge s4, s1, done
  la t0, out
  sw s4, 0(t0)
  slli t1, s4, 1
  add t1, t1, s4
  addi t2, t1, 1
  sw t2, 4(t0)
  addi t2, t1, 2
  sw t2, 8(t0)
  addi t2, t1, 3
  sw t2, 12(t0)
  mv a0, s2
  li a1, 0x1000
  la a2, out
  li a3, 16
  li a7, FIPC_SEND
  ecall
  bnez a0, fail3
wait:
  mv a0, s0
  la a1, buf
  li a2, BUF
  li a7, FIPC_RECV
  ecall
  li t0, -11
  bne a0, t0, got
  mv a0, s2
  li a1, 6
  li a7, FIPC_POLL
  ecall
  bnez a0, fail3
  call nap
  j wait
got:
  li t0, 48
  bne a0, t0, fail4
  la t0, buf
  lw t1, 0(t0)
  li t2, 0x1001
  bne t1, t2, fail4
  la t3, out
  li t4, 0
4:
  add t5, t0, t4
  lw t1, 32(t5)
  add t5, t3, t4
  lw t2, 0(t5)
  bne t1, t2, fail4
  addi t4, t4, 4
  li t5, 16
  blt t4, t5, 4b
  addi s4, s4, 1
  j loop
done:
  mv a0, s2
  li a1, 0x10ff
  la a2, out
  li a3, 0
  li a7, FIPC_SEND
  ecall
  li a0, 0
  j exit
`;

const PONG = `
  .text
  .globl _start
_start:
  li a0, 1
  li a1, 0
  li a7, FIPC_CREATE
  ecall
  bltz a0, fail2
  mv s0, a0
  la a0, name_pong
  mv a1, s0
  li a7, FIPC_REGISTER
  ecall
  bnez a0, fail2
  li s2, -1
loop:
  mv a0, s0
  la a1, buf
  li a2, BUF
  li a7, FIPC_RECV
  ecall
  li t0, 32
  blt a0, t0, fail3
  mv s3, a0
  la t0, buf
  lw t1, 0(t0)
  li t2, 0x10ff
  beq t1, t2, stop
  li t2, 0x1000
  bne t1, t2, loop
  li s6, 2
retry:
  bgez s2, send
  la a0, name_ping
  call connect_retry
  bltz a0, loop
  mv s2, a0
send:
  mv a0, s2
  li a1, 0x1001
  la a2, buf
  addi a2, a2, 32
  addi a3, s3, -32
  li a7, FIPC_SEND
  ecall
  beqz a0, loop
  mv a0, s2
  li a7, FIPC_CLOSE
  ecall
  li s2, -1
  addi s6, s6, -1
  bnez s6, retry
  j fail3
stop:
  li a0, 0
  j exit
`;

/** Assembles and links one of the demo guests; throws with the diagnostics when that fails. */
export function buildDemoGuest(name: 'ping' | 'pong'): Uint8Array {
  const src = (name === 'ping' ? PING : PONG) + COMMON;
  const obj = assembleToElf(src, { file: `${name}.S` });
  const fmt = (ds: Array<{ line: number; message: string }>): string =>
    ds.map((d) => `${name}.S:${d.line}: ${d.message}`).join('\n');
  if (!obj.elf) throw new Error(`demo guest ${name}: ${fmt(obj.diagnostics)}`);
  const exe = link([{ name: `${name}.o`, data: obj.elf }], { entry: '_start' });
  if (!exe.elf) throw new Error(`demo guest ${name}: ${fmt(exe.diagnostics)}`);
  return exe.elf;
}
