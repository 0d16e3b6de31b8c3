// Observation of a running guest, per client: each client (a WebSocket tab, the Electron window,
// a direct caller) has its own streams and rate (≤ 30 Hz). The machine samples at the fastest rate
// any client asked for and only when some client is due; each client then gets kernel snapshots
// through its own diff encoder (a diff is always against what that client last received),
// framebuffer frames when the guest drew since that client's last frame, and counter samples with
// rates over that client's own interval. With no client subscribed nothing is sampled. Reading
// never changes guest behaviour.
import { snapshot } from '../../kernel';
import type { CountersEvent, ObserveStream, SessionEvent } from '../../protocol/messages';
import type { Json } from '../../protocol/snapshot-diff';
import { SnapshotEncoder } from '../../protocol/snapshot-stream';
import type { Guest, GuestCounters } from './guest';

export const MAX_HZ = 30;
/** How early a periodic tick may come and still serve a client whose time is due (timer jitter). */
const DUE_SLACK_MS = 4;

/** An event for one client, plus the buffers to transfer (not copy) across the thread boundary. */
export interface Emission {
  event: SessionEvent;
  /** The client it is for. */
  to: number;
  transfer?: ArrayBuffer[];
}

interface ClientObservation {
  streams: Set<ObserveStream>;
  hz: number;
  encoder: SnapshotEncoder;
  /** The counters this client last received, for its rates. */
  lastCounters: { t: number; c: GuestCounters } | null;
  /** The framebuffer generation this client last received (-1: none yet). */
  frameSeen: number;
  /** When its next periodic sample is due (performance.now() ms). */
  nextDue: number;
  /** Served at the next sample whatever its schedule (it just subscribed, the machine stopped…). */
  urgent: boolean;
  /** Its next sample carries a frame even if the guest drew nothing new. */
  forceFrame: boolean;
}

export class Observer {
  private readonly clients = new Map<number, ClientObservation>();
  /** Bumped at each sample that found the framebuffer damaged. */
  private frameGen = 0;

  /** The sampling rate: the fastest any client asked for, 0 when none is subscribed. */
  get hz(): number {
    let hz = 0;
    for (const c of this.clients.values()) hz = Math.max(hz, c.hz);
    return hz;
  }

  /** Sets one client's streams and rate; no streams ends its observation. */
  subscribe(client: number, streams: readonly ObserveStream[], hz: number): void {
    if (streams.length === 0) {
      this.clients.delete(client);
      return;
    }
    // A (re)subscribing client starts afresh: a full snapshot, a frame, counters from now.
    this.clients.set(client, {
      streams: new Set(streams),
      hz: Math.min(MAX_HZ, Math.max(0.1, hz)),
      encoder: new SnapshotEncoder(),
      lastCounters: null,
      frameSeen: -1,
      nextDue: -Infinity,
      urgent: true,
      forceFrame: true,
    });
  }

  /** A new guest (boot) or none (reset): start every client's streams afresh. */
  restart(): void {
    for (const c of this.clients.values()) {
      c.encoder.reset();
      c.lastCounters = null;
      c.frameSeen = -1;
    }
  }

  /**
   * Something every client should see at once (a boot, a step, a debugger stop): the next sample
   * serves them all, not only those whose time is due. `force` also sends a frame to each.
   */
  prompt(force: boolean, client?: number): void {
    for (const [id, c] of this.clients) {
      if (client !== undefined && id !== client) continue;
      c.urgent = true;
      c.forceFrame ||= force;
    }
  }

  /** Whether a sample now would serve anyone. */
  anyDue(now: number): boolean {
    for (const c of this.clients.values()) if (this.due(c, now)) return true;
    return false;
  }

  /** One observation tick: for each client that is due, whatever changed since its last sample. */
  sample(g: Guest, now: number): Emission[] {
    const due = [...this.clients].filter(([, c]) => this.due(c, now));
    if (due.length === 0) return [];
    const wants = (s: ObserveStream): boolean => due.some(([, c]) => c.streams.has(s));
    // Read the guest once for every client served.
    const counters = wants('counters') ? g.counters() : null;
    const snap = wants('snapshot') ? (snapshot(g.kernel) as unknown as Json) : null;
    const fb = g.board.fb;
    if (wants('framebuffer') && fb.damaged) {
      fb.damaged = false;
      this.frameGen++;
    }
    let rgba: Uint8Array<ArrayBuffer> | null = null;
    const out: Emission[] = [];
    for (const [to, c] of due) {
      if (counters && c.streams.has('counters')) out.push({ event: this.counters(c, counters, now), to });
      if (snap !== null && c.streams.has('snapshot')) {
        const ev = c.encoder.encode(snap);
        if (ev) out.push({ event: ev, to });
      }
      if (c.streams.has('framebuffer') && (c.forceFrame || c.frameSeen !== this.frameGen)) {
        // Each emission's buffer is transferred, so every client after the first gets a copy.
        const bytes = rgba ? rgba.slice() : (rgba = toRgba(fb.pixels, fb.width * fb.height));
        out.push({
          event: { event: 'framebuffer', width: fb.width, height: fb.height, pixels: bytes },
          to,
          transfer: [bytes.buffer],
        });
        c.frameSeen = this.frameGen;
      }
      c.urgent = false;
      c.forceFrame = false;
      // Keep the client's own cadence; after a stall, do not burst to catch up.
      const period = 1000 / c.hz;
      c.nextDue = Math.max(c.nextDue + period, now + period / 2);
    }
    return out;
  }

  private due(c: ClientObservation, now: number): boolean {
    return c.urgent || now >= c.nextDue - DUE_SLACK_MS;
  }

  private counters(client: ClientObservation, c: GuestCounters, now: number): CountersEvent {
    const prev = client.lastCounters;
    client.lastCounters = { t: now, c };
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
