// The encrypted transport between nodes (the seed's Phase 4). A SecureCarrier wraps a plaintext
// carrier: after a handshake, every frame's payload is sealed with ChaCha20-Poly1305 and its header
// is authenticated as associated data, so a tampered, replayed, or too-old record is rejected and
// counted before the reliable layer sees it.
//
// Handshake (records with the HANDSHAKE flag on channel 0): each side sends an ephemeral X25519 key
// and its Ed25519 identity, signed; the initiator signs "FUTURA-FIPC1-I" ‖ eI, the responder
// "FUTURA-FIPC1-R" ‖ eI ‖ eR (so the initiator knows the reply is fresh). A peer whose identity is not
// trusted is refused. Session keys: HKDF-SHA256(X25519(eI, eR), salt eI ‖ eR, "futura fipc v1"),
// 32 bytes per direction. Nonces are the direction (4 bytes) and a 64-bit counter that only grows, so
// none repeats under a key. A responder that receives a new handshake keeps its current session
// until a record decrypts under the new keys, so a replayed handshake cannot break a live session.
import type { Carrier } from './carrier';
import {
  concatBytes,
  constantTimeEqual,
  type EphemeralKey,
  type Identity,
  type SecureCrypto,
} from './crypto';
import { FRAME_HEADER_SIZE, FrameFlag, checkEnvelope, sealEnvelope } from './frame';
import { ReplayWindow } from './replay-window';

export interface SecureOptions {
  crypto: SecureCrypto;
  identity: Identity;
  /** Raw Ed25519 public keys of the peers this node accepts. */
  trusted: Uint8Array[];
  role: 'initiator' | 'responder';
  replayWindow?: number;
  /** Resend the handshake after this many ms without an answer (initiator). */
  handshakeRetryMs?: number;
}

export interface SecureStats {
  sealed: number;
  opened: number;
  tampered: number;
  replayed: number;
  tooOld: number;
  untrusted: number;
  badHandshake: number;
  malformed: number;
  notReady: number;
}

interface Session {
  sendKey: Uint8Array;
  recvKey: Uint8Array;
  sendDir: number;
  counter: number;
  window: ReplayWindow;
}

const enc = new TextEncoder();
const LABEL_I = enc.encode('FUTURA-FIPC1-I');
const LABEL_R = enc.encode('FUTURA-FIPC1-R');
const INFO = enc.encode('futura fipc v1');
const HS_BODY = 32 + 32 + 64;
const COUNTER = 8;
const TAG = 16;
const MAX_QUEUED = 256;

function nonce(dir: number, counter: number): Uint8Array {
  const n = new Uint8Array(12);
  const v = new DataView(n.buffer);
  v.setUint32(0, dir, true);
  v.setBigUint64(4, BigInt(counter), true);
  return n;
}

/** Offset of payload_len inside the AAD (header @24, less the two check bytes @6). */
const AAD_PAYLOAD_LEN = 22;

/** The header fields a record's AEAD authenticates (all but the header check and the CRC). */
function headerAad(frame: Uint8Array): Uint8Array {
  return concatBytes(frame.subarray(0, 6), frame.subarray(8, 28));
}

export class SecureCarrier implements Carrier {
  readonly stats: SecureStats = {
    sealed: 0,
    opened: 0,
    tampered: 0,
    replayed: 0,
    tooOld: 0,
    untrusted: 0,
    badHandshake: 0,
    malformed: 0,
    notReady: 0,
  };
  private handler: ((d: Uint8Array) => void) | null = null;
  private current: Session | null = null;
  private pending: Session | null = null;
  private ephemeral: EphemeralKey | null = null;
  private readonly queued: Uint8Array[] = [];
  private lastHello = -Infinity;
  /** The peer identity of the established session. */
  peerIdentity: Uint8Array | null = null;

  constructor(
    private readonly inner: Carrier,
    private readonly opts: SecureOptions,
  ) {
    inner.onDatagram((d) => this.onRecord(d));
  }

  get established(): boolean {
    return this.current !== null;
  }

  /** Starts (or restarts) the handshake; the initiator calls this, and `tick` repeats it. */
  start(nowMs = 0): void {
    if (this.opts.role !== 'initiator') return;
    this.ephemeral = this.opts.crypto.x25519Generate();
    this.lastHello = nowMs;
    this.sendHello(concatBytes(LABEL_I, this.ephemeral.publicKey));
  }

  tick(nowMs: number): void {
    if (
      this.opts.role === 'initiator' &&
      !this.current &&
      nowMs - this.lastHello >= (this.opts.handshakeRetryMs ?? 100)
    ) {
      this.lastHello = nowMs;
      if (this.ephemeral) this.sendHello(concatBytes(LABEL_I, this.ephemeral.publicKey));
      else this.start(nowMs);
    }
  }

  send(frame: Uint8Array): void {
    if (!this.current) {
      if (this.queued.length < MAX_QUEUED) this.queued.push(frame.slice());
      else this.stats.notReady++;
      return;
    }
    this.inner.send(this.seal(this.current, frame));
  }

  onDatagram(handler: (d: Uint8Array) => void): void {
    this.handler = handler;
  }

  close(): void {
    this.inner.close();
  }

  private seal(s: Session, frame: Uint8Array): Uint8Array {
    if (checkEnvelope(frame) !== null) throw new Error('secure carrier: asked to send a malformed frame');
    const v = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
    const counter = s.counter++;
    const payload = frame.subarray(FRAME_HEADER_SIZE);
    // The AAD is the outer header's fields: the inner header with ENCRYPTED set and the sealed length.
    const sealedLen = COUNTER + payload.length + TAG;
    const aad = headerAad(frame);
    aad[5] = aad[5]! | FrameFlag.Encrypted;
    new DataView(aad.buffer).setUint32(AAD_PAYLOAD_LEN, sealedLen, true);
    const record = new Uint8Array(sealedLen);
    new DataView(record.buffer).setBigUint64(0, BigInt(counter), true);
    record.set(this.opts.crypto.seal(s.sendKey, nonce(s.sendDir, counter), aad, payload), COUNTER);
    this.stats.sealed++;
    return sealEnvelope(
      v.getUint8(5) | FrameFlag.Encrypted,
      v.getUint32(8, true),
      v.getUint32(12, true),
      v.getBigUint64(16, true),
      record,
    );
  }

  private onRecord(d: Uint8Array): void {
    if (checkEnvelope(d) !== null) {
      this.stats.malformed++;
      return;
    }
    const flags = d[5]!;
    if (flags & FrameFlag.Handshake) {
      this.onHello(d.subarray(FRAME_HEADER_SIZE));
      return;
    }
    if (!(flags & FrameFlag.Encrypted)) {
      // Plaintext on a secure link is never delivered.
      this.stats.tampered++;
      return;
    }
    const body = d.subarray(FRAME_HEADER_SIZE);
    if (body.length < COUNTER + TAG) {
      this.stats.malformed++;
      return;
    }
    const counter = Number(new DataView(body.buffer, body.byteOffset, body.byteLength).getBigUint64(0, true));
    for (const s of [this.current, this.pending]) {
      if (!s) continue;
      const verdict = s.window.check(counter);
      const plain = this.opts.crypto.open(
        s.recvKey,
        nonce(s.sendDir ^ 1, counter),
        headerAad(d),
        body.subarray(COUNTER),
      );
      if (!plain) continue;
      if (verdict === 'replay') {
        this.stats.replayed++;
        return;
      }
      if (verdict === 'too-old') {
        this.stats.tooOld++;
        return;
      }
      s.window.accept(counter);
      if (s === this.pending) {
        this.current = this.pending;
        this.pending = null;
      }
      this.stats.opened++;
      const v = new DataView(d.buffer, d.byteOffset, d.byteLength);
      const frame = sealEnvelope(
        v.getUint8(5) & ~FrameFlag.Encrypted,
        v.getUint32(8, true),
        v.getUint32(12, true),
        v.getBigUint64(16, true),
        plain,
      );
      this.handler?.(frame);
      return;
    }
    if (!this.current && !this.pending) this.stats.notReady++;
    else this.stats.tampered++;
  }

  private sendHello(signedPart: Uint8Array): void {
    const eph = this.ephemeral!;
    const body = concatBytes(
      eph.publicKey,
      this.opts.identity.publicKey,
      this.opts.identity.sign(signedPart),
    );
    this.inner.send(sealEnvelope(FrameFlag.Handshake, 0, 0, 0n, body));
  }

  private onHello(body: Uint8Array): void {
    if (body.length !== HS_BODY) {
      this.stats.badHandshake++;
      return;
    }
    const peerEph = body.slice(0, 32);
    const peerId = body.slice(32, 64);
    const sig = body.slice(64);
    if (!this.opts.trusted.some((t) => constantTimeEqual(t, peerId))) {
      this.stats.untrusted++;
      return;
    }
    const c = this.opts.crypto;
    if (this.opts.role === 'responder') {
      if (!c.verifyIdentity(peerId, concatBytes(LABEL_I, peerEph), sig)) {
        this.stats.badHandshake++;
        return;
      }
      this.ephemeral = c.x25519Generate();
      const session = this.derive(peerEph, this.ephemeral.publicKey, this.ephemeral, peerEph, 1);
      if (!session) return;
      if (this.current) this.pending = session;
      else this.current = session;
      this.peerIdentity = peerId;
      this.sendHello(concatBytes(LABEL_R, peerEph, this.ephemeral.publicKey));
      this.flush();
    } else {
      const own = this.ephemeral;
      if (!own || !c.verifyIdentity(peerId, concatBytes(LABEL_R, own.publicKey, peerEph), sig)) {
        this.stats.badHandshake++;
        return;
      }
      if (this.current) return; // a duplicate reply
      const session = this.derive(own.publicKey, peerEph, own, peerEph, 0);
      if (!session) return;
      this.current = session;
      this.peerIdentity = peerId;
      this.flush();
    }
  }

  private derive(
    ei: Uint8Array,
    er: Uint8Array,
    own: EphemeralKey,
    peer: Uint8Array,
    dir: number,
  ): Session | null {
    const shared = this.opts.crypto.x25519Shared(own, peer);
    if (!shared) {
      this.stats.badHandshake++;
      return null;
    }
    const okm = this.opts.crypto.hkdfSha256(shared, concatBytes(ei, er), INFO, 64);
    const i2r = okm.slice(0, 32);
    const r2i = okm.slice(32, 64);
    return {
      sendKey: dir === 0 ? i2r : r2i,
      recvKey: dir === 0 ? r2i : i2r,
      sendDir: dir,
      counter: 0,
      window: new ReplayWindow(this.opts.replayWindow ?? 1024),
    };
  }

  private flush(): void {
    const s = this.current;
    if (!s) return;
    for (const f of this.queued.splice(0)) this.inner.send(this.seal(s, f));
  }
}
