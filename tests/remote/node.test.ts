import { describe, expect, it } from 'vitest';
import { nodeCrypto } from '../../core/host/fipc/node-crypto';
import { MemoryLink } from '../../core/kernel/ipc/remote/carrier';
import { RegistryAuthError, RemoteNode } from '../../core/kernel/ipc/remote/node';

function twoNodes(keyAUsesForB?: Uint8Array) {
  const link = new MemoryLink({ loss: 0.1, reorder: 0.1, seed: 3 });
  let now = 1_000_000;
  const clock = () => now;
  const keyA = nodeCrypto.randomBytes(32);
  const keyB = nodeCrypto.randomBytes(32);
  const a = new RemoteNode(nodeCrypto, keyA, clock);
  const b = new RemoteNode(nodeCrypto, keyB, clock);
  a.addPeer('b', link.a, keyAUsesForB ?? keyB, { rtoMs: 5 });
  b.addPeer('a', link.b, keyA, { rtoMs: 5 });
  const settle = async <T>(p: Promise<T>): Promise<T> => {
    let done = false;
    p.finally(() => (done = true)).catch(() => {});
    for (let i = 0; i < 500 && !done; i++) {
      link.pump();
      now += 1;
      a.tick(now);
      b.tick(now);
      await Promise.resolve();
    }
    return p;
  };
  return { a, b, settle };
}

describe('remote service registry', () => {
  it('looks a service up by name on a peer over a lossy link', async () => {
    const { a, b, settle } = twoNodes();
    b.registerService('svc.demo', 0xabcdefn);
    expect(await settle(a.lookup('b', 'svc.demo'))).toBe(0xabcdefn);
    expect(await settle(a.lookup('b', 'svc.missing'))).toBeNull();
  });

  it('fails when the request is signed with the wrong key', async () => {
    const { a, b, settle } = twoNodes(nodeCrypto.randomBytes(32));
    b.registerService('svc.demo', 1n);
    await expect(settle(a.lookup('b', 'svc.demo'))).rejects.toBeInstanceOf(RegistryAuthError);
    expect(b.registry.rejected['bad-mac']).toBe(1);
  });
});
