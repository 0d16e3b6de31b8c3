// The one error type of the ELF reader: every malformed input ends here, with a message that
// names the field and the offending value, so a CLI can print it verbatim.

export class ElfError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ElfError';
  }
}

/** Formats a number as 0x-prefixed hex for messages. */
export function hex(n: number): string {
  return `0x${(n >>> 0).toString(16)}`;
}
