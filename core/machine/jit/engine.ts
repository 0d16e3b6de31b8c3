// Placeholder until the translator lands: no engine, the hart interprets.
import type { CodeEngine, Hart } from '../hart';

export function createJit(_hart: Hart): CodeEngine | null {
  return null;
}
