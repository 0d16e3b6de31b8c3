import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodeCrypto } from '../../core/host/fipc/node-crypto';
import { KEYS_FILE, loadInstallationKeys } from '../../core/host/fipc/installation-keys';
import {
  decodeRegistryMessage,
  encodeRegistryMessage,
  RegistryError,
  RegistryType,
  SignedRegistry,
  type RegistryMessage,
} from '../../core/kernel/ipc/remote/registry-auth';

let nonce = 1n;
function request(type: number, name: string, channelId: bigint, ts: number, key: Uint8Array): Uint8Array {
  const m: RegistryMessage = { type, name, channelId, nonce: nonce++, timestampMs: BigInt(ts) };
  return encodeRegistryMessage(m, key, nodeCrypto);
}
function reply(bytes: Uint8Array): RegistryMessage {
  const d = decodeRegistryMessage(bytes);
  if (!d.ok) throw new Error('bad reply');
  return d.message;
}

describe('signed registry (the seed registry_auth scenario)', () => {
  it('rejects unsigned lookups, accepts signed register and lookup, and honours the rotation grace', () => {
    let now = 1_000_000;
    const key = nodeCrypto.randomBytes(32);
    const reg = new SignedRegistry(key, nodeCrypto, () => now);

    // Unsigned lookup: a request whose MAC is all zeros.
    const unsigned = request(RegistryType.Lookup, 'svc.demo', 0n, now, key);
    unsigned.fill(0, unsigned.length - 32);
    expect(reply(reg.handle(unsigned, 1n))).toMatchObject({
      type: RegistryType.Error,
      channelId: BigInt(RegistryError.Auth),
    });

    expect(
      reply(reg.handle(request(RegistryType.Register, 'svc.demo', 0xabcdefn, now, key), 2n)),
    ).toMatchObject({
      type: RegistryType.LookupResponse,
      channelId: 0xabcdefn,
    });
    expect(reply(reg.handle(request(RegistryType.Lookup, 'svc.demo', 0n, now, key), 3n))).toMatchObject({
      channelId: 0xabcdefn,
    });
    expect(reply(reg.handle(request(RegistryType.Lookup, 'svc.none', 0n, now, key), 4n))).toMatchObject({
      type: RegistryType.Error,
      channelId: BigInt(RegistryError.NotFound),
    });

    // Rotate: new = old XOR 0x5A, grace 100 ms.
    const newKey = key.map((b) => b ^ 0x5a);
    reg.rotate(newKey, 100);
    now += 50;
    expect(reg.verify(request(RegistryType.Lookup, 'svc.demo', 0n, now, key)).verdict).toBe('ok');
    expect(reg.verify(request(RegistryType.Lookup, 'svc.demo', 0n, now, newKey)).verdict).toBe('ok');
    now += 150; // 200 ms after the rotation
    expect(reg.verify(request(RegistryType.Lookup, 'svc.demo', 0n, now, key)).verdict).toBe('bad-mac');
    expect(reg.verify(request(RegistryType.Lookup, 'svc.demo', 0n, now, newKey)).verdict).toBe('ok');
  });

  it('rejects timestamps outside ±300 s and repeated nonces', () => {
    const now = 10_000_000;
    const key = nodeCrypto.randomBytes(32);
    const reg = new SignedRegistry(key, nodeCrypto, () => now);
    expect(reg.verify(request(RegistryType.Lookup, 'a', 0n, now - 300_001, key)).verdict).toBe('stale');
    expect(reg.verify(request(RegistryType.Lookup, 'a', 0n, now + 300_001, key)).verdict).toBe('stale');
    expect(reg.verify(request(RegistryType.Lookup, 'a', 0n, now + 299_000, key)).verdict).toBe('ok');
    const once = request(RegistryType.Lookup, 'a', 0n, now, key);
    expect(reg.verify(once).verdict).toBe('ok');
    expect(reg.verify(once).verdict).toBe('replay');
    // Tampering with the name, timestamp or nonce breaks the MAC.
    for (const offset of [16, 24, 32]) {
      const t = request(RegistryType.Lookup, 'abc', 0n, now, key);
      t[offset + 7 < t.length - 32 ? offset + 7 : offset] ^= 1;
      expect(reg.verify(t).verdict).toBe('bad-mac');
    }
    expect(reg.rejected).toMatchObject({ stale: 2, replay: 1, 'bad-mac': 3 });
  });

  it('survives malformed requests', () => {
    const key = nodeCrypto.randomBytes(32);
    const reg = new SignedRegistry(key, nodeCrypto, () => 0);
    for (let n = 0; n < 200; n++) {
      const junk = nodeCrypto.randomBytes(n);
      expect(() => reg.handle(junk, 1n)).not.toThrow();
    }
    expect(reg.table.size).toBe(0);
  });
});

describe('installation keys', () => {
  it('are generated once per installation, stored 0600, and differ between installations', () => {
    const dirA = mkdtempSync(join(tmpdir(), 'futura-keys-a-'));
    const dirB = mkdtempSync(join(tmpdir(), 'futura-keys-b-'));
    const a = loadInstallationKeys(dirA);
    const again = loadInstallationKeys(dirA);
    const b = loadInstallationKeys(dirB);
    expect(again.registryKey).toEqual(a.registryKey);
    expect(b.registryKey).not.toEqual(a.registryKey);
    expect(b.adminToken).not.toEqual(a.adminToken);
    if (process.platform !== 'win32') expect(statSync(join(dirA, KEYS_FILE)).mode & 0o777).toBe(0o600);

    // A request signed by installation A is refused by installation B's registry, and vice versa.
    const now = 5_000_000;
    const regA = new SignedRegistry(a.registryKey, nodeCrypto, () => now);
    const regB = new SignedRegistry(b.registryKey, nodeCrypto, () => now);
    expect(regB.verify(request(RegistryType.Lookup, 'svc', 0n, now, a.registryKey)).verdict).toBe('bad-mac');
    expect(regA.verify(request(RegistryType.Lookup, 'svc', 0n, now, b.registryKey)).verdict).toBe('bad-mac');
    expect(regA.verify(request(RegistryType.Lookup, 'svc', 0n, now, a.registryKey)).verdict).toBe('ok');
  });
});
