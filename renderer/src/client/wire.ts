// Decoding of server messages from the WebSocket: JSON with typed arrays as { $bytes: base64 }.
import type { ServerMessage } from '../../../core/protocol/messages';

function base64ToBytes(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function revive(_key: string, value: unknown): unknown {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const rec = value as Record<string, unknown>;
    const keys = Object.keys(rec);
    if (keys.length === 1 && keys[0] === '$bytes' && typeof rec.$bytes === 'string') {
      return base64ToBytes(rec.$bytes);
    }
  }
  return value;
}

/** Parses one text frame; returns null for anything that is not a response or an event. */
export function decodeServerMessage(text: string): ServerMessage | null {
  let msg: unknown;
  try {
    msg = JSON.parse(text, revive);
  } catch {
    return null;
  }
  if (typeof msg !== 'object' || msg === null) return null;
  const rec = msg as Record<string, unknown>;
  if (typeof rec.event === 'string') return msg as ServerMessage;
  if ('ok' in rec && (typeof rec.id === 'number' || rec.id === null)) return msg as ServerMessage;
  return null;
}

/** Milliseconds to wait before reconnect attempt `attempt` (0-based): doubling, capped at 5 s. */
export function nextBackoff(attempt: number): number {
  return Math.min(5000, 250 * 2 ** Math.min(attempt, 5));
}
