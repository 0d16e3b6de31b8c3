// Errors the session's handlers throw for the client to see with a protocol error code.
import type { ErrorCodeValue } from '../../protocol/messages';

export class SessionError extends Error {
  constructor(
    readonly code: ErrorCodeValue,
    message: string,
  ) {
    super(message);
  }
}
