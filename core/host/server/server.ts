// Browser mode: an HTTP + WebSocket server on 127.0.0.1 that serves the renderer and drives a
// Session. Every request must carry the random token (in the URL the server prints, then in an
// HttpOnly SameSite=Strict cookie), so no other local user or web page can drive the session.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ServerMessage } from '../../protocol/messages';
import type { Session } from '../session/session';
import { rendererCsp } from '../csp';
import { readStatic } from './static-files';
import { cookieValue, newToken, tokenMatches } from './token';

export interface ServeOptions {
  session: Session;
  /** Folder with the built renderer (index.html and its assets). */
  staticDir: string;
  port?: number;
  token?: string;
}

export interface RunningServer {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const COOKIE = 'futura_token';

/** Encodes a server message for the WebSocket (typed arrays as base64 inside JSON). */
export function encodeServerMessage(msg: ServerMessage): string {
  return JSON.stringify(msg, (_key, value: unknown) =>
    value instanceof Uint8Array ? { $bytes: Buffer.from(value).toString('base64') } : value,
  );
}

export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const token = options.token ?? newToken();
  let port = 0;

  const authorized = (req: IncomingMessage, url: URL): 'ok' | 401 | 403 => {
    const given = url.searchParams.get('token') ?? cookieValue(req.headers.cookie, COOKIE);
    if (given === null) return 401;
    return tokenMatches(token, given) ? 'ok' : 403;
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const auth = authorized(req, url);
    if (auth !== 'ok') {
      res.writeHead(auth, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(
        auth === 401 ? 'Futura Studio: this URL needs its access token.\n' : 'Futura Studio: wrong token.\n',
      );
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' });
      res.end();
      return;
    }
    const file = readStatic(options.staticDir, url.pathname);
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('not found\n');
      return;
    }
    const headers: Record<string, string> = {
      'content-type': file.type,
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
    };
    if (file.type.startsWith('text/html')) {
      headers['content-security-policy'] = rendererCsp([`ws://127.0.0.1:${port}`]);
      headers['set-cookie'] = `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`;
    }
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : file.body);
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 * 1024 });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const origin = req.headers.origin;
    const sameOrigin =
      origin === undefined || origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`;
    if (url.pathname !== '/ws' || authorized(req, url) !== 'ok' || !sameOrigin) {
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => attach(ws, options.session));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of wss.clients) c.terminate();
        wss.close();
        server.close(() => resolve());
      }),
  };
}

/** Each WebSocket is a client of its own: its observation stops when it closes. */
function attach(ws: WebSocket, session: Session): void {
  const client = session.connect();
  client.on((event) => {
    if (ws.readyState === ws.OPEN) ws.send(encodeServerMessage(event));
  });
  ws.on('message', (data, isBinary) => {
    const text = isBinary ? '' : data.toString();
    void client.handle(isBinary ? null : text).then((reply) => {
      if (ws.readyState === ws.OPEN) ws.send(encodeServerMessage(reply));
    });
  });
  let closed = false;
  const close = (): void => {
    if (closed) return;
    closed = true;
    void client.close();
  };
  ws.on('close', close);
  ws.on('error', close);
}
