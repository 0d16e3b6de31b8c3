// A Futura node other processes can join over UDP on 127.0.0.1 (`futura fipc serve`): a kernel
// (by default running the pong service) with a bridge, and a UDP hub that gives every peer an
// encrypted link (X25519 + ChaCha20-Poly1305, identities of this installation). The kernel runs in
// slices between I/O events; bindings tick on the monotonic clock, registry timestamps use the
// wall clock.
import { Board } from '../../machine/board';
import { Kernel } from '../../kernel/boot/kernel';
import { isLoadFailure } from '../../kernel/loader';
import { RemoteBridge } from '../../kernel/ipc/remote/bridge';
import { REGISTRY_BINDING, RemoteNode } from '../../kernel/ipc/remote/node';
import { SecureCarrier } from '../../kernel/ipc/remote/secure';
import { buildDemoGuest } from './guests';
import type { InstallationKeys } from './installation-keys';
import { identityFromPem, nodeCrypto } from './node-crypto';
import { UdpHub } from './udp-hub';

export interface ServeOptions {
  /** UDP port on 127.0.0.1 (0 = any free port). */
  port: number;
  keys: InstallationKeys;
  /** Start the pong service (default true). */
  pong?: boolean;
  log: (line: string) => void;
  /** Guest instructions per slice. */
  sliceInstructions?: number;
}

export interface ServedNode {
  port: number;
  kernel: Kernel;
  bridge: RemoteBridge;
  hub: UdpHub;
  close(): void;
}

/** Link timing for peers on UDP: 100 ms RTO, 30 tries, probe after 2 s of silence. */
export const UDP_LINK = { rtoMs: 100, maxRetries: 30, keepaliveMs: 2_000 } as const;

export async function serveNode(opts: ServeOptions): Promise<ServedNode> {
  const { keys, log } = opts;
  const identity = identityFromPem(keys.identityPrivatePem, keys.identityPublicPem);
  const remote = new RemoteNode(nodeCrypto, keys.registryKey, () => Date.now());
  const bridge = new RemoteBridge(remote, {
    name: 'node',
    onEvent: log,
    keepaliveMs: UDP_LINK.keepaliveMs,
    admin: { adminToken: keys.adminToken, adminKey: keys.adminKey, crypto: nodeCrypto },
  });
  const dec = new TextDecoder();
  let pending = '';
  const kernel = new Kernel(new Board({ ramSize: 16 << 20 }), {
    onSyscall: bridge.onSyscall,
    onOutput: (b) => {
      pending += dec.decode(b, { stream: true });
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const l of lines) log(`console: ${l}`);
    },
    onLog: (l) => log(`kernel: ${l}`),
  });
  bridge.attach(kernel);
  const secures = new Map<string, SecureCarrier>();
  const hub = await UdpHub.open({
    port: opts.port,
    onPeer: (carrier, addr) => {
      const name = `udp:${addr.port}`;
      const secure = new SecureCarrier(carrier, {
        crypto: nodeCrypto,
        identity,
        trusted: [identity.publicKey],
        role: 'responder',
      });
      secures.set(name, secure);
      const ep = remote.addPeer(name, secure, keys.registryKey, UDP_LINK);
      bridge.watchPeer(name);
      ep.onFin = () => {
        hub.drop(addr);
        forget(name, 'said goodbye');
      };
      log(`peer ${name} joined`);
    },
    onEvict: (addr) => forget(`udp:${addr.port}`, 'too many peers'),
  });
  const forget = (name: string, why: string): void => {
    if (!secures.delete(name)) return;
    bridge.forgetPeer(name);
    log(`peer ${name} left (${why})`);
  };

  if (opts.pong ?? true) {
    kernel.vfs.writeFile('/bin/pong', buildDemoGuest('pong'), 0o755);
    const t = kernel.spawn('/bin/pong', ['/bin/pong']);
    if (isLoadFailure(t)) throw new Error(`pong: ${t.message}`);
    log(`pong service started (pid ${t.pid})`);
  }

  let closed = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const step = (): void => {
    if (closed) return;
    const now = performance.now();
    for (const s of secures.values()) s.tick(now);
    const outcome = kernel.run(opts.sliceInstructions ?? 20_000);
    bridge.tick(now);
    for (const name of remote.peerNames) {
      const reg = remote.peer(name)?.allBindings;
      const failed =
        reg && [...reg.values()].some((b) => b.error !== null && b.channelId === REGISTRY_BINDING);
      if (failed) {
        const port = Number(name.slice(4));
        hub.drop({ host: hub.local.host, port });
        forget(name, 'silent');
      }
    }
    timer = setTimeout(step, outcome === 'budget' ? 0 : 2);
  };
  step();
  return {
    port: hub.local.port,
    kernel,
    bridge,
    hub,
    close(): void {
      closed = true;
      if (timer) clearTimeout(timer);
      hub.close();
    },
  };
}
