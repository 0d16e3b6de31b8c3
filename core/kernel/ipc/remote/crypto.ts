// The cryptography the remote transport needs, injected by the host (node:crypto or WebCrypto) so
// the kernel stays pure. Only constant-time comparison is done here.

export interface RemoteCrypto {
  hmacSha256(key: Uint8Array, data: Uint8Array): Uint8Array;
  randomBytes(n: number): Uint8Array;
}

/** Compares two byte strings in time that depends only on their lengths. */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

export function le64(v: bigint): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt.asUintN(64, v), true);
  return out;
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

/** An X25519 private key held by the host's crypto; opaque to the kernel. */
export interface EphemeralKey {
  readonly publicKey: Uint8Array;
  readonly brand: 'x25519-private';
}

/** This installation's identity (Ed25519): its raw public key and a signer. */
export interface Identity {
  readonly publicKey: Uint8Array;
  sign(data: Uint8Array): Uint8Array;
}

/** The primitives of the encrypted transport. */
export interface SecureCrypto extends RemoteCrypto {
  x25519Generate(): EphemeralKey;
  x25519Shared(own: EphemeralKey, peerPublic: Uint8Array): Uint8Array | null;
  verifyIdentity(publicKey: Uint8Array, data: Uint8Array, signature: Uint8Array): boolean;
  hkdfSha256(ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number): Uint8Array;
  /** ChaCha20-Poly1305: returns ciphertext ‖ 16-byte tag. */
  seal(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, plaintext: Uint8Array): Uint8Array;
  /** Returns the plaintext, or null when the tag does not verify. */
  open(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, sealed: Uint8Array): Uint8Array | null;
}
