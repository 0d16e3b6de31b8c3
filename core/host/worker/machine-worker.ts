// Entry of the machine worker thread: commands in, replies and events out, the guest running in
// between. Only the session's own MachineRunner talks to it.
import { parentPort } from 'node:worker_threads';
import { MachineCore } from './machine-core';
import type { ToWorker } from './protocol';

const port = parentPort;
if (!port) throw new Error('machine-worker must run in a worker thread');
const core = new MachineCore((m, transfer) => port.postMessage(m, transfer ?? []));
port.on('message', (m: ToWorker) => core.handle(m));
