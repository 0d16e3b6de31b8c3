// Parsing of numeric command-line arguments: decimal, 0x-hex, or scientific (1e9), integers only.

/** A positive integer count, or null when the text is not one. */
export function parseCount(text: string): number | null {
  const t = text.trim().replace(/_/g, '');
  const n = /^0x[0-9a-f]+$/i.test(t) ? parseInt(t, 16) : /^\d+(\.\d+)?(e\d+)?$/i.test(t) ? Number(t) : NaN;
  return Number.isSafeInteger(n) && n > 0 ? n : null;
}

/** An optional `--max-instructions` value: undefined when absent, the count, or an error message. */
export function parseMaxInstructions(text: string | undefined): number | undefined | { error: string } {
  if (text === undefined) return undefined;
  const n = parseCount(text);
  return n === null ? { error: `--max-instructions must be a positive integer, got '${text}'` } : n;
}
