// The control path over a real link: a host peer sends ADMI requests to a served node's channel 2.
// Missing token, wrong token and bad lease HMAC are refused; a signed bind opens an unregistered
// channel with a quota; revoke shuts a service for that peer; a rate limit drops excess frames
// before the reliable layer (the sender retransmits, nothing is lost).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadInstallationKeys } from '../../core/host/fipc/installation-keys';
import { nodeCrypto } from '../../core/host/fipc/node-crypto';
import { HostPeer } from '../../core/host/fipc/peer';
import { serveNode, type ServedNode } from '../../core/host/fipc/serve-node';
import { KERNEL_PID } from '../../core/kernel/ipc/fipc';
import {
  AdminOp,
  encodeAdminRequest,
  signLease,
  type AdminRequest,
} from '../../core/kernel/ipc/remote/control';
import { remoteChannelsSnapshot } from '../../core/kernel/ipc/remote/snapshot';

const keys = loadInstallationKeys(mkdtempSync(join(tmpdir(), 'futura-admin-')));
const other = loadInstallationKeys(mkdtempSync(join(tmpdir(), 'futura-admin-other-')));
let served: ServedNode | null = null;
let peer: HostPeer | null = null;

afterEach(() => {
  peer?.close();
  served?.close();
  peer = served = null;
});

const enc = new TextEncoder();

describe('control path over a remote link', () => {
  it('refuses requests without the token, with a wrong token or a bad HMAC; a signed bind opens a channel with a quota', async () => {
    served = await serveNode({ port: 0, keys, pong: false, log: () => {} });
    peer = await HostPeer.join({ port: served.port, keys });
    const k = served.kernel;
    // Channels that are no registered service: peers cannot send into them (frames are dropped
    // unacknowledged, so the sender learns it).
    const id = k.fipc.create(KERNEL_PID, 2, 0);
    const closed = k.fipc.create(KERNEL_PID, 2, 0);
    await expect(peer.send(BigInt(closed), 0x1000, enc.encode('unasked'), 500)).rejects.toThrow(
      /no acknowledgement/,
    );
    expect(k.fipc.channel(closed)!.messages).toBe(0);
    expect(remoteChannelsSnapshot(k)[0]!.drops.unbound).toBeGreaterThan(0);

    const bind: AdminRequest = {
      op: AdminOp.CapBind,
      target: BigInt(id),
      lease: 9n,
      rights: 1n,
      maxMsgs: 2n,
      maxBytes: 0n,
      expTick: 0n,
    };
    const signed = signLease(bind, keys.adminKey, nodeCrypto);
    expect(await peer.admin(encodeAdminRequest(signed))).toBe(-1); // no token: EPERM
    expect(await peer.admin(encodeAdminRequest({ ...signed, token: other.adminToken }))).toBe(-1);
    const badMac = signLease(bind, other.adminKey, nodeCrypto);
    expect(await peer.admin(encodeAdminRequest({ ...badMac, token: keys.adminToken }))).toBe(-13); // EACCES
    expect(await peer.admin(encodeAdminRequest({ ...signed, token: keys.adminToken }))).toBe(0);

    // Now the lease lets two messages in, and no more.
    for (const text of ['one', 'two', 'three']) await peer.send(BigInt(id), 0x1000, enc.encode(text));
    const ch = k.fipc.channel(id)!;
    expect(ch.messages).toBe(2);
    const snap = remoteChannelsSnapshot(k)[0]!;
    expect(snap.refused.quota).toBe(1);
  }, 30_000);

  it('revokes a service for the peer, and rate-limits its frames without losing any', async () => {
    served = await serveNode({ port: 0, keys, pong: false, log: () => {} });
    peer = await HostPeer.join({ port: served.port, keys });
    const k = served.kernel;
    const svc = k.fipc.create(KERNEL_PID, 2, 1 << 16);
    expect(k.fipc.register(KERNEL_PID, 'sink', svc)).toBe(0);
    const sink = (await peer.lookup('sink'))!;
    await peer.send(sink, 0x1000, enc.encode('a'));
    expect(k.fipc.channel(svc)!.messages).toBe(1);

    const rate = encodeAdminRequest({
      op: AdminOp.RateSet,
      target: sink,
      rate: 20n,
      burst: 2n,
      token: keys.adminToken,
    });
    expect(await peer.admin(rate)).toBe(0);
    await Promise.all(
      Array.from({ length: 8 }, (_, i) => peer!.send(sink, 0x1000, enc.encode(`m${i}`), 15_000)),
    );
    expect(k.fipc.channel(svc)!.messages).toBe(9);
    expect(remoteChannelsSnapshot(k)[0]!.drops.rateLimited).toBeGreaterThan(0);

    const revoke = encodeAdminRequest({ op: AdminOp.CapRevoke, target: sink, token: keys.adminToken });
    expect(await peer.admin(revoke)).toBe(0);
    await peer.send(sink, 0x1000, enc.encode('after revoke'), 15_000);
    expect(k.fipc.channel(svc)!.messages).toBe(9);
    expect(remoteChannelsSnapshot(k)[0]!.refused.revoked).toBe(1);
  }, 30_000);
});
