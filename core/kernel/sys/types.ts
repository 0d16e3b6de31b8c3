// What a syscall handler returns to the trap loop:
//  - a number: the result for a0 (negative errno on failure), then pc moves past the ecall;
//  - { blocked }: sleep on that queue and re-run the ecall when woken (nothing has happened yet);
//  - { sleepUntil }: the call succeeded (a0 = 0) and the thread sleeps until that virtual time;
//  - 'yield': a0 = 0 and the thread goes to the back of its run-queue level;
//  - 'noreturn': the handler replaced or ended the thread's context (exit, execve, fatal signal).

import type { Kernel } from '../boot/kernel';
import type { Blocked } from '../sched/waitq';
import type { Thread } from '../task';

export type SysResult = number | Blocked | { sleepUntil: number } | 'yield' | 'noreturn';

/** a = a0..a5 as raw signed 32-bit register values. */
export type Handler = (k: Kernel, th: Thread, a: readonly number[]) => SysResult;

export const u32 = (x: number): number => x >>> 0;
