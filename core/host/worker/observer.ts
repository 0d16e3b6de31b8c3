// Observation of a running guest at the rate a client chose (≤ 30 Hz): kernel snapshots through
// the diff encoder, framebuffer frames only when the guest drew since the last one, and counter
// samples (totals and per-second rates). Reading never changes guest behaviour.
import { snapshot } from '../../kernel';
import type { CountersEvent, ObserveStream, SessionEvent } from '../../protocol/messages';
import type { Json } from '../../protocol/snapshot-diff';
import { SnapshotEncoder } from '../../protocol/snapshot-stream';
import type { Guest, GuestCounters } from './guest';

export const MAX_HZ = 30;

/** An event plus the buffers to transfer (not copy) across the thread boundary. */
export interface Emission {
  event: SessionEvent;
  transfer?: ArrayBuffer[];
}

export class Observer {
  private streams = new Set<ObserveStream>();
  private hzValue = 0;
  private readonly encoder = new SnapshotEncoder();
  private last: { t: number; c: GuestCounters } | null = null;

  get hz(): number {
    return this.streams.size > 0 ? this.hzValue : 0;
  }

  subscribe(streams: readonly ObserveStream[], hz: number): void {
    this.streams = new Set(streams);
    this.hzValue = Math.min(MAX_HZ, Math.max(0.1, hz));
    this.encoder.reset(); // the (new) client needs a full snapshot first
    this.last = null;
  }

  /** A new guest (boot) or none (reset): start every stream afresh. */
  restart(): void {
    this.encoder.reset();
    this.last = null;
  }

  /** One observation tick: whatever changed, as events. `force` sends a frame even if undamaged. */
  sample(g: Guest, now: number, force = false): Emission[] {
    const out: Emission[] = [];
    if (this.streams.has('counters')) out.push({ event: this.counters(g, now) });
    if (this.streams.has('snapshot')) {
      const ev = this.encoder.encode(snapshot(g.kernel) as unknown as Json);
      if (ev) out.push({ event: ev });
    }
    const fb = g.board.fb;
    if (this.streams.has('framebuffer') && (fb.damaged || force)) {
      fb.damaged = false;
      const bytes = toRgba(fb.pixels, fb.width * fb.height);
      out.push({
        event: { event: 'framebuffer', width: fb.width, height: fb.height, pixels: bytes },
        transfer: [bytes.buffer],
      });
    }
    return out;
  }

  private counters(g: Guest, now: number): CountersEvent {
    const c = g.counters();
    const prev = this.last;
    this.last = { t: now, c };
    const rates: Record<string, number> = {};
    if (prev && now > prev.t) {
      const per = 1000 / (now - prev.t);
      rates.mips = ((c.instructions - prev.c.instructions) * per) / 1e6;
      rates.syscallsPerSec = (c.syscalls - prev.c.syscalls) * per;
      rates.messagesPerSec = (c.messages - prev.c.messages) * per;
      rates.switchesPerSec = (c.switches - prev.c.switches) * per;
    }
    return { event: 'counters', t: now, values: { ...c }, rates };
  }
}

/** The guest's XRGB32 pixels (0x00RRGGBB words) as RGBA bytes, opaque, as a canvas takes them. */
export function toRgba(pixels: Uint32Array, count: number): Uint8Array<ArrayBuffer> {
  const out = new Uint32Array(count);
  const le = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
  for (let i = 0; i < count; i++) {
    const v = pixels[i]!;
    out[i] = le
      ? (0xff000000 | ((v & 0xff) << 16) | (v & 0xff00) | ((v >>> 16) & 0xff)) >>> 0
      : ((v << 8) | 0xff) >>> 0;
  }
  return new Uint8Array(out.buffer);
}
