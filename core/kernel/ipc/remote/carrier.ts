// A carrier moves datagrams between two nodes. The in-memory link (two nodes in one process, for
// tests and demos) can lose, duplicate, reorder and corrupt datagrams deterministically; UDP lives
// in core/host behind the same interface.

export interface Carrier {
  send(datagram: Uint8Array): void;
  onDatagram(handler: (datagram: Uint8Array) => void): void;
  close(): void;
}

export interface LinkFaults {
  /** Probability that a datagram is lost. */
  loss?: number;
  /** Probability that a datagram is delivered twice. */
  duplicate?: number;
  /** Probability that a datagram is held back and delivered after later ones. */
  reorder?: number;
  /** Probability that one byte of a datagram is flipped. */
  corrupt?: number;
  seed?: number;
}

/** A small deterministic PRNG (mulberry32), so faulty runs replay exactly. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class MemoryEnd implements Carrier {
  handler: ((d: Uint8Array) => void) | null = null;
  peer!: MemoryEnd;
  closed = false;
  constructor(private readonly link: MemoryLink) {}
  send(datagram: Uint8Array): void {
    if (!this.closed) this.link.enqueue(this.peer, datagram.slice());
  }
  onDatagram(handler: (d: Uint8Array) => void): void {
    this.handler = handler;
  }
  close(): void {
    this.closed = true;
  }
}

/** Two connected carriers; datagrams move only when `pump` is called (deterministic). */
export class MemoryLink {
  readonly a: Carrier;
  readonly b: Carrier;
  readonly stats = { sent: 0, lost: 0, duplicated: 0, reordered: 0, corrupted: 0 };
  private queue: Array<{ to: MemoryEnd; data: Uint8Array }> = [];
  private held: Array<{ to: MemoryEnd; data: Uint8Array }> = [];
  private readonly rnd: () => number;

  constructor(private readonly faults: LinkFaults = {}) {
    const a = new MemoryEnd(this);
    const b = new MemoryEnd(this);
    a.peer = b;
    b.peer = a;
    this.a = a;
    this.b = b;
    this.rnd = prng(faults.seed ?? 1);
  }

  enqueue(to: MemoryEnd, data: Uint8Array): void {
    this.stats.sent++;
    const f = this.faults;
    if (f.loss && this.rnd() < f.loss) {
      this.stats.lost++;
      return;
    }
    if (f.corrupt && this.rnd() < f.corrupt && data.length > 0) {
      const i = Math.floor(this.rnd() * data.length);
      data[i] = data[i]! ^ (1 << Math.floor(this.rnd() * 8));
      this.stats.corrupted++;
    }
    const copies = f.duplicate && this.rnd() < f.duplicate ? 2 : 1;
    if (copies === 2) this.stats.duplicated++;
    for (let c = 0; c < copies; c++) {
      if (f.reorder && this.rnd() < f.reorder) {
        this.stats.reordered++;
        this.held.push({ to, data: c === 0 ? data : data.slice() });
      } else {
        this.queue.push({ to, data: c === 0 ? data : data.slice() });
      }
    }
  }

  /** Delivers everything queued (and releases held datagrams after them). Returns how many moved. */
  pump(): number {
    let moved = 0;
    while (this.queue.length > 0 || this.held.length > 0) {
      const batch = this.queue.length > 0 ? this.queue : this.held;
      const items = batch.splice(0, batch.length);
      for (const { to, data } of items) {
        moved++;
        if (!to.closed) to.handler?.(data);
      }
      if (moved > 1_000_000) throw new Error('memory link: runaway traffic');
    }
    return moved;
  }

  get pending(): number {
    return this.queue.length + this.held.length;
  }
}
