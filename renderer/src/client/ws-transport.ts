// Browser mode: the session over a WebSocket to /ws on the page's own origin (the access token
// travels in the HttpOnly cookie the server set with the page). Reconnects with backoff.
import type { OutgoingRequest } from '../bridge/futura-api';
import type { Transport, TransportSink } from './transport';
import { decodeServerMessage, nextBackoff } from './wire';

export class WebSocketTransport implements Transport {
  private ws: WebSocket | null = null;
  private sink: TransportSink | null = null;
  private attempt = 0;
  private closed = false;
  private retry: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly url: string) {}

  start(sink: TransportSink): void {
    this.sink = sink;
    this.connect();
  }

  send(req: OutgoingRequest): boolean {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN) return false;
    this.ws.send(JSON.stringify(req));
    return true;
  }

  close(): void {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    this.ws?.close();
  }

  private connect(): void {
    if (this.closed || !this.sink) return;
    const sink = this.sink;
    sink.status('connecting');
    const ws = new WebSocket(this.url);
    this.ws = ws;
    ws.onopen = () => {
      this.attempt = 0;
      sink.status('open');
    };
    ws.onmessage = (ev: MessageEvent) => {
      if (typeof ev.data !== 'string') return;
      const msg = decodeServerMessage(ev.data);
      if (msg) sink.message(msg);
    };
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.ws = null;
      sink.status('closed');
      if (!this.closed) this.retry = setTimeout(() => this.connect(), nextBackoff(this.attempt++));
    };
  }
}

/** The WebSocket URL of the page's own server. */
export function sessionSocketUrl(loc: Location): string {
  const scheme = loc.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${loc.host}/ws`;
}
