// The wait statuses of ended tasks, for the host (tests, the CLI, the debugger), bounded so a guest
// that forks and exits forever does not grow the host's memory without limit: the oldest records
// go first. Guest-visible reaping does not use this; it goes through the task table's zombies.

/** How many ended tasks are remembered by default. */
export const EXIT_LOG_CAPACITY = 4096;

export class ExitLog implements Iterable<[number, number]> {
  private readonly byPid = new Map<number, number>();
  private recorded = 0;

  constructor(readonly capacity = EXIT_LOG_CAPACITY) {
    if (!(capacity >= 1)) throw new RangeError(`exit log capacity must be at least 1, not ${capacity}`);
  }

  /** Records that `pid` ended with `status`; forgets the oldest record beyond the capacity. */
  set(pid: number, status: number): void {
    // Re-inserting moves a reused pid to the newest end, so eviction stays oldest-first.
    this.byPid.delete(pid);
    this.byPid.set(pid, status);
    this.recorded++;
    if (this.byPid.size > this.capacity) {
      const oldest = this.byPid.keys().next();
      if (!oldest.done) this.byPid.delete(oldest.value);
    }
  }

  get(pid: number): number | undefined {
    return this.byPid.get(pid);
  }

  has(pid: number): boolean {
    return this.byPid.has(pid);
  }

  /** Records held now (at most the capacity). */
  get size(): number {
    return this.byPid.size;
  }

  /** Records ever made: a mark for `since`. */
  get total(): number {
    return this.recorded;
  }

  /** The records made after `mark` (an earlier `total`), oldest first; those already forgotten are not returned. */
  since(mark: number): [number, number][] {
    const fresh = Math.min(this.recorded - mark, this.byPid.size);
    if (fresh <= 0) return [];
    return [...this.byPid].slice(this.byPid.size - fresh);
  }

  /** The statuses held, oldest first. */
  values(): IterableIterator<number> {
    return this.byPid.values();
  }

  [Symbol.iterator](): Iterator<[number, number]> {
    return this.byPid.entries();
  }
}
