// A synchronous exception in flight. Thrown by memory helpers and the decoder, caught by the run
// loop (which vectors it in bare mode or reports it in hosted mode). Not an Error: no stack capture.
export class Trap {
  constructor(
    readonly cause: number,
    readonly tval: number,
  ) {}
}

export function isTrap(e: unknown): e is Trap {
  return e instanceof Trap;
}
