// The inspect stream on the wire: the sender turns successive snapshots into events (a full
// snapshot first, then diffs against the previous one when they are much smaller, and a full one
// again every so often so a client that joined late or missed an event catches up); every client
// rebuilds the same snapshots with a SnapshotReceiver.
import { applyDiff, diffJson, DiffError, type Diff, type Json } from './snapshot-diff';

export type SnapshotEvent =
  | { event: 'snapshot'; seq: number; full: true; data: Json }
  | { event: 'snapshot'; seq: number; full: false; base: number; data: Diff };

export interface SnapshotEncoderOptions {
  /** A full snapshot at least every this many events (default 150: 5 s at 30 Hz). */
  keyframeEvery?: number;
  /** Send a diff only when its JSON is at most this fraction of the full snapshot's (default 0.5). */
  diffRatio?: number;
}

export class SnapshotEncoder {
  private seq = 0;
  private last: Json | null = null;
  private sinceFull = 0;
  /** JSON length of the last full snapshot sent. */
  private fullSize = 0;
  private readonly keyframeEvery: number;
  private readonly diffRatio: number;

  constructor(o: SnapshotEncoderOptions = {}) {
    this.keyframeEvery = o.keyframeEvery ?? 150;
    this.diffRatio = o.diffRatio ?? 0.5;
  }

  /** The next event is a full snapshot (a client subscribed, the machine rebooted). */
  reset(): void {
    this.last = null;
  }

  /** The event for a new snapshot, or null when nothing changed since the last one. */
  encode(snap: Json): SnapshotEvent | null {
    const prev = this.last;
    this.last = snap;
    if (prev !== null && this.sinceFull < this.keyframeEvery) {
      const d = diffJson(prev, snap);
      if (d === null) return null;
      const base = this.seq;
      // Measured against the last full snapshot's size: sizes drift slowly, and this saves
      // serialising every snapshot twice.
      if (JSON.stringify(d).length <= this.fullSize * this.diffRatio) {
        this.sinceFull++;
        return { event: 'snapshot', seq: ++this.seq, full: false, base, data: d };
      }
    }
    this.sinceFull = 0;
    this.fullSize = JSON.stringify(snap).length;
    return { event: 'snapshot', seq: ++this.seq, full: true, data: snap };
  }
}

/** Rebuilds snapshots from the stream; a diff whose base it does not hold is dropped until the next full one. */
export class SnapshotReceiver {
  private seq = -1;
  private current: Json | null = null;

  /** The snapshot after this event, or null when the event cannot be applied. */
  accept(e: SnapshotEvent): Json | null {
    if (e.full) {
      this.seq = e.seq;
      this.current = e.data;
      return this.current;
    }
    if (this.current === null || e.base !== this.seq) return null;
    try {
      this.current = applyDiff(this.current, e.data);
      this.seq = e.seq;
      return this.current;
    } catch (err) {
      if (!(err instanceof DiffError)) throw err;
      this.reset();
      return null;
    }
  }

  reset(): void {
    this.seq = -1;
    this.current = null;
  }
}
