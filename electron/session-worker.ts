// The Session, off the main process's thread: requests arrive as messages, replies and session
// events go back the same way. The main process stays free for the window and the menu. Each
// window is a session client of its own, connected at its first request.
import { parentPort, workerData } from 'node:worker_threads';
import { Session, type SessionClient } from '../core/host/session/session';
import { WorkspaceBuilder } from '../core/host/session/workspace-builder';
import type { WorkerIn, WorkerOut, WorkerSetup } from './worker-protocol';

const port = parentPort;
if (!port) throw new Error('session-worker must run in a worker thread');
const setup = workerData as WorkerSetup;
const session = new Session({
  dataDir: setup.dataDir,
  sampleDir: setup.sampleDir,
  builder: new WorkspaceBuilder(),
});
const post = (m: WorkerOut): void => port.postMessage(m);
const clients = new Map<number, SessionClient>();

function clientFor(id: number): SessionClient {
  let c = clients.get(id);
  if (!c) {
    c = session.connect();
    c.on((event) => post({ type: 'event', client: id, event }));
    clients.set(id, c);
  }
  return c;
}

port.on('message', (m: WorkerIn) => {
  if (m.type === 'disconnect') {
    const c = clients.get(m.client);
    clients.delete(m.client);
    void c?.close();
    return;
  }
  if (m.type !== 'request') return;
  void clientFor(m.client)
    .handle(m.message)
    .then((response) => post({ type: 'response', ticket: m.ticket, response }));
});
