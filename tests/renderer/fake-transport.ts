// Test transports: a scripted one (the test plays the session) and one backed by a real Session.
import type { Response, ServerMessage, SessionEvent } from '../../core/protocol/messages';
import type { Session, SessionClient } from '../../core/host/session/session';
import type { OutgoingRequest } from '../../renderer/src/bridge/futura-api';
import type { ConnectionStatus, Transport, TransportSink } from '../../renderer/src/client/transport';

export class ScriptedTransport implements Transport {
  sink: TransportSink | null = null;
  sent: OutgoingRequest[] = [];
  connected: boolean;

  constructor(initial: ConnectionStatus = 'open') {
    this.connected = initial === 'open';
    this.initial = initial;
  }
  private readonly initial: ConnectionStatus;

  start(sink: TransportSink): void {
    this.sink = sink;
    sink.status(this.initial);
  }
  send(req: OutgoingRequest): boolean {
    if (!this.connected) return false;
    this.sent.push(req);
    return true;
  }
  close(): void {
    this.setStatus('closed');
  }
  setStatus(s: ConnectionStatus): void {
    this.connected = s === 'open';
    this.sink?.status(s);
  }
  deliver(msg: ServerMessage): void {
    this.sink?.message(msg);
  }
}

/** Carries requests to an in-process Session as JSON text, like the WebSocket does: one client. */
export class SessionTransport implements Transport {
  private readonly client: SessionClient;
  constructor(session: Session) {
    this.client = session.connect();
  }
  start(sink: TransportSink): void {
    this.client.on((e: SessionEvent) => sink.message(e));
    sink.status('open');
    this.sinkRef = sink;
  }
  private sinkRef: TransportSink | null = null;
  send(req: OutgoingRequest): boolean {
    const sink = this.sinkRef;
    if (!sink) return false;
    void this.client.handle(JSON.stringify(req)).then((res: Response) => sink.message(res));
    return true;
  }
  close(): void {
    void this.client.close();
  }
}
