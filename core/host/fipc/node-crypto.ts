// node:crypto behind the kernel's RemoteCrypto interface.
import { createHmac, randomBytes } from 'node:crypto';
import type { RemoteCrypto } from '../../kernel/ipc/remote/crypto';

export const nodeCrypto: RemoteCrypto = {
  hmacSha256: (key, data) => new Uint8Array(createHmac('sha256', key).update(data).digest()),
  randomBytes: (n) => new Uint8Array(randomBytes(n)),
};
