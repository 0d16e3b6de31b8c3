// Per-second rates for the charts and the status bar, from the session's `counters` events.
// Counter values are cumulative totals since boot (instructions, syscalls, messages); a rate is
// the difference between two samples over their time difference.

/** The Charts panel's series. */
export const CHART_SERIES = [
  { key: 'instructions', label: 'MIPS', scale: 1e-6 },
  { key: 'syscalls', label: 'syscalls/s', scale: 1 },
  { key: 'messages', label: 'messages/s', scale: 1 },
] as const;
export type SeriesKey = (typeof CHART_SERIES)[number]['key'];

/** Every rate kept: the charts' series and the context switches the Scheduler view plots. */
export const RATE_SERIES = [...CHART_SERIES, { key: 'switches', label: 'switches/s', scale: 1 }] as const;
export type RateKey = (typeof RATE_SERIES)[number]['key'];

export interface RateHistory {
  /** Seconds (host time) of each point. */
  t: number[];
  values: Record<RateKey, number[]>;
  last: { t: number; values: Record<string, number> } | null;
}

export const MAX_POINTS = 300;

export function emptyHistory(): RateHistory {
  return { t: [], values: { instructions: [], syscalls: [], messages: [], switches: [] }, last: null };
}

/** Adds one counters sample (t in milliseconds); returns a new history (the old one is not changed). */
export function addSample(h: RateHistory, t: number, values: Record<string, number>): RateHistory {
  const prev = h.last;
  const next: RateHistory = { t: h.t, values: h.values, last: { t, values } };
  if (!prev || t <= prev.t) return next;
  // A counter that went down means the machine was reset: start the chart afresh.
  if (RATE_SERIES.some((s) => (values[s.key] ?? 0) < (prev.values[s.key] ?? 0))) {
    return { ...emptyHistory(), last: { t, values } };
  }
  const dt = (t - prev.t) / 1000;
  const trim = <T>(a: T[], v: T): T[] => {
    const out = a.length >= MAX_POINTS ? a.slice(a.length - MAX_POINTS + 1) : a.slice();
    out.push(v);
    return out;
  };
  next.t = trim(h.t, t / 1000);
  next.values = { ...h.values };
  for (const s of RATE_SERIES) {
    const d = (values[s.key] ?? 0) - (prev.values[s.key] ?? 0);
    next.values[s.key] = trim(h.values[s.key], (d / dt) * s.scale);
  }
  return next;
}

/** The latest value of a series, or null before two samples. */
export function latestRate(h: RateHistory, key: RateKey): number | null {
  const v = h.values[key];
  return v.length > 0 ? (v[v.length - 1] ?? null) : null;
}

/** The latest guest MIPS, or null before two samples. */
export function latestMips(h: RateHistory): number | null {
  return latestRate(h, 'instructions');
}
