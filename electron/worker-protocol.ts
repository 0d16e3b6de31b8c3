// Messages between the main process and the session worker. Requests carry a ticket of the main
// process's own, since several windows' request ids could collide.
import type { Response, SessionEvent } from '../core/protocol/messages';

export interface WorkerSetup {
  dataDir?: string;
  sampleDir?: string;
}

export type WorkerIn = { type: 'request'; ticket: number; message: unknown };

export type WorkerOut =
  { type: 'response'; ticket: number; response: Response } | { type: 'event'; event: SessionEvent };
