// A transport carries requests to the session and server messages back. Two exist: the Electron
// preload bridge and the browser mode's WebSocket; the SessionClient works the same over either.
import type { ServerMessage } from '../../../core/protocol/messages';
import type { OutgoingRequest } from '../bridge/futura-api';

export type ConnectionStatus = 'connecting' | 'open' | 'closed';

export interface TransportSink {
  message(msg: ServerMessage): void;
  status(status: ConnectionStatus): void;
}

export interface Transport {
  start(sink: TransportSink): void;
  /** Returns false when the request could not be handed over (not connected). */
  send(req: OutgoingRequest): boolean;
  close(): void;
}
