import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { identityFromPem, nodeCrypto } from '../../core/host/fipc/node-crypto';
import { MemoryLink, type Carrier, type LinkFaults } from '../../core/kernel/ipc/remote/carrier';
import { RemoteEndpoint } from '../../core/kernel/ipc/remote/endpoint';
import * as frameHelpers from '../../core/kernel/ipc/remote/frame';
import type { FipcMessage } from '../../core/kernel/ipc/remote/frame';
import { ReplayWindow } from '../../core/kernel/ipc/remote/replay-window';
import { SecureCarrier } from '../../core/kernel/ipc/remote/secure';

function newIdentity() {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return identityFromPem(
    privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  );
}
const enc = new TextEncoder();
const dec = new TextDecoder();
const msg = (i: number): FipcMessage => ({
  type: 0x42,
  timestamp: 0,
  srcPid: 1,
  dstPid: 2,
  capability: 0,
  data: enc.encode(`secret ${i}`),
});

/** A carrier in the middle that records (and can rewrite) what passes from A to B. */
class Tap implements Carrier {
  captured: Uint8Array[] = [];
  rewrite: ((d: Uint8Array) => Uint8Array | null) | null = null;
  private handler: ((d: Uint8Array) => void) | null = null;
  constructor(private readonly inner: Carrier) {
    inner.onDatagram((d) => this.handler?.(d));
  }
  send(d: Uint8Array): void {
    this.captured.push(d.slice());
    const out = this.rewrite ? this.rewrite(d) : d;
    if (out) this.inner.send(out);
  }
  onDatagram(h: (d: Uint8Array) => void): void {
    this.handler = h;
  }
  close(): void {}
}

function pair(faults: LinkFaults = {}) {
  const link = new MemoryLink(faults);
  const idA = newIdentity();
  const idB = newIdentity();
  const tap = new Tap(link.a);
  const sa = new SecureCarrier(tap, {
    crypto: nodeCrypto,
    identity: idA,
    trusted: [idB.publicKey],
    role: 'initiator',
  });
  const sb = new SecureCarrier(link.b, {
    crypto: nodeCrypto,
    identity: idB,
    trusted: [idA.publicKey],
    role: 'responder',
  });
  const a = new RemoteEndpoint(sa, { rtoMs: 10, maxRetries: 100 });
  const b = new RemoteEndpoint(sb, { rtoMs: 10, maxRetries: 100 });
  const got: string[] = [];
  const ab = a.bind(3n, () => {});
  b.bind(3n, (m) => got.push(dec.decode(m.data)));
  const run = (steps: number): void => {
    for (let t = 0; t < steps; t++) {
      link.pump();
      sa.tick(t * 10);
      a.tick(t * 10);
      b.tick(t * 10);
      link.pump();
    }
  };
  sa.start();
  return { link, tap, sa, sb, a, b, ab, got, run, idA, idB };
}

describe('encrypted transport', () => {
  it('establishes a session and carries messages with every payload encrypted', () => {
    const p = pair();
    for (let i = 0; i < 50; i++) p.ab.send(msg(i));
    p.run(50);
    expect(p.sa.established && p.sb.established).toBe(true);
    expect(p.got).toEqual(Array.from({ length: 50 }, (_, i) => `secret ${i}`));
    // On the wire, no plaintext payload appears.
    for (const d of p.tap.captured) expect(Buffer.from(d).includes(Buffer.from('secret'))).toBe(false);
    expect(p.sb.peerIdentity).toEqual(p.idA.publicKey);
  });

  it('works over a lossy, reordering link (handshake retried)', () => {
    const p = pair({ loss: 0.2, reorder: 0.2, duplicate: 0.1, seed: 9 });
    for (let i = 0; i < 100; i++) p.ab.send(msg(i));
    p.run(600);
    expect(p.got).toEqual(Array.from({ length: 100 }, (_, i) => `secret ${i}`));
  });

  it('rejects and counts tampered records', () => {
    const p = pair();
    p.ab.send(msg(0));
    p.run(5);
    let flipAt = 40;
    p.tap.rewrite = (d) => {
      const t = d.slice();
      t[Math.min(flipAt++, t.length - 1)] ^= 0x20;
      // Keep the envelope valid so the AEAD is what catches it.
      const v = new DataView(t.buffer);
      const { sealEnvelope } = frameHelpers;
      return sealEnvelope(
        t[5]!,
        v.getUint32(8, true),
        v.getUint32(12, true),
        v.getBigUint64(16, true),
        t.subarray(32),
      );
    };
    for (let i = 1; i < 10; i++) p.ab.send(msg(i));
    p.link.pump();
    expect(p.sb.stats.tampered).toBeGreaterThan(0);
    expect(p.got).toEqual(['secret 0']);
  });

  it('rejects and counts replayed records and records older than the window', () => {
    const p = pair();
    for (let i = 0; i < 5; i++) p.ab.send(msg(i));
    p.run(5);
    const data = p.tap.captured.filter((d) => d[5]! & 0x80);
    for (const d of data) p.link.a.send(d);
    p.link.pump();
    expect(p.sb.stats.replayed).toBe(data.length);
    expect(p.got).toEqual(Array.from({ length: 5 }, (_, i) => `secret ${i}`));
    const w = new ReplayWindow(4);
    for (const c of [0, 1, 2, 3, 10]) w.accept(c);
    expect(w.check(6)).toBe('too-old');
    expect(w.check(7)).toBe('ok');
    expect(w.check(10)).toBe('replay');
  });

  it('refuses a peer whose identity is not trusted', () => {
    const link = new MemoryLink();
    const stranger = newIdentity();
    const idB = newIdentity();
    const sa = new SecureCarrier(link.a, {
      crypto: nodeCrypto,
      identity: stranger,
      trusted: [idB.publicKey],
      role: 'initiator',
    });
    const sb = new SecureCarrier(link.b, {
      crypto: nodeCrypto,
      identity: idB,
      trusted: [newIdentity().publicKey],
      role: 'responder',
    });
    sa.start();
    link.pump();
    expect(sb.stats.untrusted).toBe(1);
    expect(sb.established || sa.established).toBe(false);
  });

  it('never reuses a nonce: counters grow by one per record', () => {
    const p = pair();
    for (let i = 0; i < 30; i++) p.ab.send(msg(i));
    p.run(10);
    const counters = p.tap.captured
      .filter((d) => d[5]! & 0x80)
      .map((d) => new DataView(d.buffer, d.byteOffset).getBigUint64(32, true));
    expect(new Set(counters.map(String)).size).toBe(counters.length);
    expect(counters).toEqual(counters.map((_, i) => BigInt(i)));
  });
});
