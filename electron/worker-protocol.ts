// Messages between the main process and the session worker. Requests carry a ticket of the main
// process's own, since several windows' request ids could collide, and the client (the window's
// webContents id) they come from: each window is a session client with its own observation.
import type { Response, SessionEvent } from '../core/protocol/messages';

export interface WorkerSetup {
  dataDir?: string;
  sampleDir?: string;
}

export type WorkerIn =
  | { type: 'request'; ticket: number; client: number; message: unknown }
  /** The window is gone: its observation stops. */
  | { type: 'disconnect'; client: number };

export type WorkerOut =
  | { type: 'response'; ticket: number; response: Response }
  /** An event for one client (every client gets the session's events; observation only its own). */
  | { type: 'event'; client: number; event: SessionEvent };
