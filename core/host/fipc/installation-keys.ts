// Per-installation secrets: generated on first run, stored with the user's settings in a file only
// the user can read (mode 0600), never compiled into the code. Two installations therefore never
// accept each other's signatures.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../workspace/atomic-write';

export interface InstallationKeys {
  /** HMAC-SHA256 key for registry requests. */
  registryKey: Uint8Array;
  /** The admin token the control channel requires. */
  adminToken: Uint8Array;
  /** HMAC-SHA256 key for capability-bind leases. */
  adminKey: Uint8Array;
  /** Ed25519 identity (PEM) that binds this installation's X25519 session keys. */
  identityPrivatePem: string;
  identityPublicPem: string;
}

interface StoredKeys {
  version: 1;
  registryKey: string;
  adminToken: string;
  adminKey: string;
  identityPrivatePem: string;
  identityPublicPem: string;
}

export const KEYS_FILE = 'fipc-keys.json';

function generate(): StoredKeys {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    version: 1,
    registryKey: randomBytes(32).toString('base64'),
    adminToken: randomBytes(32).toString('base64'),
    adminKey: randomBytes(32).toString('base64'),
    identityPrivatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    identityPublicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/** Loads this installation's keys from `settingsDir`, creating them on first use. */
export function loadInstallationKeys(settingsDir: string): InstallationKeys {
  mkdirSync(settingsDir, { recursive: true, mode: 0o700 });
  const path = join(settingsDir, KEYS_FILE);
  let stored: StoredKeys;
  if (existsSync(path)) {
    stored = JSON.parse(readFileSync(path, 'utf8')) as StoredKeys;
    if (stored.version !== 1 || typeof stored.registryKey !== 'string')
      throw new Error(`${path}: unrecognised key file`);
  } else {
    stored = generate();
    writeFileAtomic(path, JSON.stringify(stored, null, 2), 0o600);
  }
  chmodSync(path, 0o600);
  const b = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'base64'));
  return {
    registryKey: b(stored.registryKey),
    adminToken: b(stored.adminToken),
    adminKey: b(stored.adminKey),
    identityPrivatePem: stored.identityPrivatePem,
    identityPublicPem: stored.identityPublicPem,
  };
}
