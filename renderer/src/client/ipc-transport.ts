// Electron: the session behind the preload's window.futura bridge. IPC does not drop, so the
// connection is open from the start.
import type { FuturaBridge, OutgoingRequest } from '../bridge/futura-api';
import type { Transport, TransportSink } from './transport';

export class BridgeTransport implements Transport {
  private sink: TransportSink | null = null;
  private off: (() => void) | null = null;

  constructor(private readonly bridge: FuturaBridge) {}

  start(sink: TransportSink): void {
    this.sink = sink;
    this.off = this.bridge.onEvent((e) => sink.message(e));
    sink.status('open');
  }

  send(req: OutgoingRequest): boolean {
    const sink = this.sink;
    if (!sink) return false;
    this.bridge.request(req).then(
      (res) => sink.message(res),
      (err: unknown) =>
        sink.message({
          id: req.id,
          ok: false,
          error: { code: 'failed', message: err instanceof Error ? err.message : String(err) },
        }),
    );
    return true;
  }

  close(): void {
    this.off?.();
    this.sink?.status('closed');
    this.sink = null;
  }
}
