import { describe, expect, it } from 'vitest';
import { nodeCrypto } from '../../core/host/fipc/node-crypto';
import {
  AdminOp,
  decodeAdminReply,
  decodeAdminRequest,
  encodeAdminReply,
  encodeAdminRequest,
  handleAdminRequest,
  signLease,
  type AdminRequest,
  type CapabilityControl,
} from '../../core/kernel/ipc/remote/control';

function recorder(): CapabilityControl & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    bind: (t, l) => (calls.push(`bind ${t} rights=${l.rights} lease=${l.lease} msgs=${l.maxMsgs}`), 0),
    unbind: (t) => (calls.push(`unbind ${t}`), 0),
    revoke: (t, f) => (calls.push(`revoke ${t} ${f}`), 0),
    setRate: (t, r, b) => (calls.push(`rate ${t} ${r}/${b}`), 0),
  };
}

const keys = { adminToken: nodeCrypto.randomBytes(32), adminKey: nodeCrypto.randomBytes(32) };
const bind: AdminRequest = {
  op: AdminOp.CapBind,
  target: 5n,
  lease: 77n,
  rights: 3n,
  maxMsgs: 2n,
  maxBytes: 8n,
  expTick: 0n,
};

describe('control path (the seed fipc_admin_ops scenario)', () => {
  it('fails without a token, with a wrong token and with a bad HMAC; a signed bind succeeds', () => {
    const ctl = recorder();
    const run = (r: AdminRequest) => handleAdminRequest(encodeAdminRequest(r), keys, nodeCrypto, ctl);
    expect(run(signLease(bind, keys.adminKey, nodeCrypto))).toEqual({ verdict: 'no-token', rc: -1 });
    expect(run({ ...signLease(bind, keys.adminKey, nodeCrypto), token: nodeCrypto.randomBytes(32) })).toEqual(
      { verdict: 'bad-token', rc: -1 },
    );
    expect(
      run({ ...signLease(bind, nodeCrypto.randomBytes(32), nodeCrypto), token: keys.adminToken }),
    ).toEqual({ verdict: 'bad-hmac', rc: -13 });
    // The HMAC covers the lease parameters: changing rights after signing breaks it.
    expect(
      run({ ...signLease(bind, keys.adminKey, nodeCrypto), rights: 15n, token: keys.adminToken }).verdict,
    ).toBe('bad-hmac');
    expect(ctl.calls).toEqual([]);
    expect(run({ ...signLease(bind, keys.adminKey, nodeCrypto), token: keys.adminToken })).toEqual({
      verdict: 'ok',
      rc: 0,
    });
    expect(run({ op: AdminOp.RateSet, target: 5n, rate: 100n, burst: 10n, token: keys.adminToken })).toEqual({
      verdict: 'ok',
      rc: 0,
    });
    expect(run({ op: AdminOp.CapRevoke, target: 5n, revoke: 1n, token: keys.adminToken }).verdict).toBe('ok');
    expect(ctl.calls).toEqual(['bind 5 rights=3 lease=77 msgs=2', 'rate 5 100/10', 'revoke 5 1']);
  });

  it('round-trips requests and replies, including 64-bit values', () => {
    const r: AdminRequest = {
      ...bind,
      maxBytes: 0xffff_ffff_ffff_ffffn,
      token: keys.adminToken,
      hmac: new Uint8Array(32).fill(7),
    };
    expect(decodeAdminRequest(encodeAdminRequest(r))).toEqual(r);
    expect(decodeAdminReply(encodeAdminReply(-13))).toBe(13);
    expect(decodeAdminReply(encodeAdminReply(0))).toBe(0);
  });

  it('rejects malformed TLV without throwing', () => {
    const good = encodeAdminRequest({ ...bind, token: keys.adminToken });
    for (let cut = 0; cut < good.length; cut++) expect(decodeAdminRequest(good.slice(0, cut))).toBeNull();
    for (let i = 0; i < 3000; i++) {
      const junk = nodeCrypto.randomBytes(i % 80);
      if (i % 2) junk[0] = 0x50;
      expect(() => handleAdminRequest(junk, keys, nodeCrypto, recorder())).not.toThrow();
    }
  });
});
