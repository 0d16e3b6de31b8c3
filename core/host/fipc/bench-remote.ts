// Remote FIPC round trips per second: a message and its reply between two nodes, over the
// in-memory link (the transport's own cost) and over UDP on 127.0.0.1 (plus the kernel's sockets).
import { isLoadFailure } from '../../kernel/loader';
import { MemoryLink } from '../../kernel/ipc/remote/carrier';
import { RemoteCluster } from '../../kernel/ipc/remote/cluster';
import { RemoteEndpoint } from '../../kernel/ipc/remote/endpoint';
import type { FipcMessage } from '../../kernel/ipc/remote/frame';
import { buildDemoGuest } from './guests';
import { nodeCrypto } from './node-crypto';
import { UdpCarrier } from './udp-carrier';

const PING: FipcMessage = {
  type: 0x1000,
  timestamp: 0,
  srcPid: 1,
  dstPid: 2,
  capability: 0,
  data: new Uint8Array(64),
};

/** Round trips per second over the in-memory link, for `count` round trips. */
export function remoteRoundTripsMemory(count: number): number {
  const link = new MemoryLink();
  const a = new RemoteEndpoint(link.a);
  const b = new RemoteEndpoint(link.b);
  let replies = 0;
  const ba = b.bind(3n, () => ba.send(PING));
  const ab = a.bind(3n, () => replies++);
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    ab.send(PING);
    link.pump();
  }
  const secs = (performance.now() - start) / 1000;
  if (replies !== count) throw new Error(`memory link bench: ${replies} replies for ${count} pings`);
  return count / secs;
}

/** Round trips per second over UDP loopback (one outstanding ping at a time). */
export async function remoteRoundTripsUdp(count: number): Promise<number> {
  const ca = await UdpCarrier.open();
  const cb = await UdpCarrier.open({ peer: ca.local });
  ca.peer = cb.local;
  const a = new RemoteEndpoint(ca, { rtoMs: 200 });
  const b = new RemoteEndpoint(cb, { rtoMs: 200 });
  const ba = b.bind(3n, () => ba.send(PING));
  let done = 0;
  let resolveAll: () => void = () => {};
  const finished = new Promise<void>((r) => (resolveAll = r));
  const ab = a.bind(3n, () => {
    done++;
    if (done === count) resolveAll();
    else ab.send(PING);
  });
  const clock = setInterval(() => {
    const now = performance.now();
    a.tick(now);
    b.tick(now);
  }, 20);
  const start = performance.now();
  ab.send(PING);
  await finished;
  const secs = (performance.now() - start) / 1000;
  clearInterval(clock);
  ca.close();
  cb.close();
  return count / secs;
}

/**
 * Round trips per second between guest tasks on two kernels in this process (the demo's ping and
 * pong, through both bridges and the in-memory link): the whole remote channel path.
 */
export function remoteKernelRoundTrips(count: number): number {
  const cluster = new RemoteCluster({ crypto: nodeCrypto });
  const a = cluster.addNode('a');
  const b = cluster.addNode('b');
  cluster.connect('a', 'b');
  a.kernel.vfs.writeFile('/bin/ping', buildDemoGuest('ping'), 0o755);
  b.kernel.vfs.writeFile('/bin/pong', buildDemoGuest('pong'), 0o755);
  const pong = b.kernel.spawn('/bin/pong', ['/bin/pong']);
  const start = performance.now();
  const ping = a.kernel.spawn('/bin/ping', ['/bin/ping', String(count)]);
  if (isLoadFailure(pong) || isLoadFailure(ping))
    throw new Error('remote kernel bench: cannot start the guests');
  const r = cluster.run(() => a.kernel.exits.has(ping.pid), count * 20 + 1000);
  const secs = (performance.now() - start) / 1000;
  if (!r.done || a.kernel.exits.get(ping.pid) !== 0)
    throw new Error(`remote kernel bench: ping did not finish (${a.kernel.log.join('; ')})`);
  return count / secs;
}
