// The kernel's running totals for inspect and `futura run --json-stats`: context switches, system
// calls (in all and by number), page faults. Plain increments on the hot paths, nothing more.

const DIRECT = 1024;

export interface CounterSnapshot {
  contextSwitches: number;
  syscalls: number;
  /** Calls by number (decimal keys), only the numbers that were called. A blocked call that runs
   * again when woken counts each time it is dispatched. */
  syscallsByNumber: Record<string, number>;
  pageFaults: number;
  messagesSent: number;
  messagesReceived: number;
}

export class KernelCounters {
  contextSwitches = 0;
  syscalls = 0;
  pageFaults = 0;
  private readonly byNr = new Float64Array(DIRECT);
  private readonly other = new Map<number, number>();

  syscall(nr: number): void {
    this.syscalls++;
    const n = nr >>> 0;
    if (n < DIRECT) this.byNr[n]!++;
    else this.other.set(n, (this.other.get(n) ?? 0) + 1);
  }

  snapshot(messages: { sent: number; received: number }): CounterSnapshot {
    const byNumber: Record<string, number> = {};
    for (let i = 0; i < DIRECT; i++) if (this.byNr[i]! > 0) byNumber[String(i)] = this.byNr[i]!;
    for (const [n, c] of [...this.other].sort((a, b) => a[0] - b[0])) byNumber[String(n)] = c;
    return {
      contextSwitches: this.contextSwitches,
      syscalls: this.syscalls,
      syscallsByNumber: byNumber,
      pageFaults: this.pageFaults,
      messagesSent: messages.sent,
      messagesReceived: messages.received,
    };
  }
}
