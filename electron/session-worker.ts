// The Session, off the main process's thread: requests arrive as messages, replies and session
// events go back the same way. The main process stays free for the window and the menu.
import { parentPort, workerData } from 'node:worker_threads';
import { Session } from '../core/host/session/session';
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

session.on((event) => post({ type: 'event', event }));
port.on('message', (m: WorkerIn) => {
  if (m.type !== 'request') return;
  void session.handle(m.message).then((response) => post({ type: 'response', ticket: m.ticket, response }));
});
