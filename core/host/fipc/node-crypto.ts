// node:crypto behind the kernel's RemoteCrypto/SecureCrypto interfaces.
import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  randomBytes,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import type { EphemeralKey, Identity, RemoteCrypto, SecureCrypto } from '../../kernel/ipc/remote/crypto';

const u8 = (b: Buffer | ArrayBuffer): Uint8Array =>
  new Uint8Array(b instanceof ArrayBuffer ? b : b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
const b64url = (b: Uint8Array): string => Buffer.from(b).toString('base64url');

interface NodeEphemeral extends EphemeralKey {
  readonly key: KeyObject;
}

function rawPublic(key: KeyObject): Uint8Array {
  const jwk = key.export({ format: 'jwk' });
  return u8(Buffer.from(jwk.x ?? '', 'base64url'));
}

export const nodeCrypto: SecureCrypto = {
  hmacSha256: (key, data) => u8(createHmac('sha256', key).update(data).digest()),
  randomBytes: (n) => u8(randomBytes(n)),
  x25519Generate(): EphemeralKey {
    const { privateKey, publicKey } = generateKeyPairSync('x25519');
    const e: NodeEphemeral = { publicKey: rawPublic(publicKey), brand: 'x25519-private', key: privateKey };
    return e;
  },
  x25519Shared(own, peerPublic) {
    if (peerPublic.length !== 32) return null;
    try {
      const publicKey = createPublicKey({
        key: { kty: 'OKP', crv: 'X25519', x: b64url(peerPublic) },
        format: 'jwk',
      });
      const shared = u8(diffieHellman({ privateKey: (own as NodeEphemeral).key, publicKey }));
      // An all-zero result means a low-order peer key: refuse it.
      return shared.every((b) => b === 0) ? null : shared;
    } catch {
      return null;
    }
  },
  verifyIdentity(publicKey, data, signature) {
    if (publicKey.length !== 32 || signature.length !== 64) return false;
    try {
      const key = createPublicKey({
        key: { kty: 'OKP', crv: 'Ed25519', x: b64url(publicKey) },
        format: 'jwk',
      });
      return verify(null, data, key, signature);
    } catch {
      return false;
    }
  },
  hkdfSha256: (ikm, salt, info, length) => u8(hkdfSync('sha256', ikm, salt, info, length)),
  seal(key, nonce, aad, plaintext) {
    const c = createCipheriv('chacha20-poly1305', key, nonce, { authTagLength: 16 });
    c.setAAD(aad, { plaintextLength: plaintext.length });
    const ct = Buffer.concat([c.update(plaintext), c.final(), c.getAuthTag()]);
    return u8(ct);
  },
  open(key, nonce, aad, sealed) {
    if (sealed.length < 16) return null;
    try {
      const d = createDecipheriv('chacha20-poly1305', key, nonce, { authTagLength: 16 });
      d.setAAD(aad, { plaintextLength: sealed.length - 16 });
      d.setAuthTag(sealed.subarray(sealed.length - 16));
      return u8(Buffer.concat([d.update(sealed.subarray(0, sealed.length - 16)), d.final()]));
    } catch {
      return null;
    }
  },
};

export const nodeRemoteCrypto: RemoteCrypto = nodeCrypto;

/** An Ed25519 identity from PEM keys (as stored in the installation keys). */
export function identityFromPem(privatePem: string, publicPem: string): Identity {
  const priv = createPrivateKey(privatePem);
  const pub = createPublicKey(publicPem);
  return { publicKey: rawPublic(pub), sign: (data) => u8(sign(null, data, priv)) };
}
