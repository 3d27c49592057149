// Instance keys. One master secret (MFF_SECRET_KEY, or a key file created on first run) from which
// purpose-bound subkeys are derived with HKDF, so a leak of one purpose's key reveals no other.
import { hkdfSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from './config.ts';

export type Keys = {
  jwt: Uint8Array; // HS256 signing key for access tokens
  csrf: Buffer; // HMAC key for CSRF tokens
  tokenHash: Buffer; // HMAC key for hashing refresh tokens, PATs, invites
  encryption: { id: string; key: Buffer }; // AES-256-GCM key for secrets at rest
};

function masterSecret(config: Config): Buffer {
  if (config.MFF_SECRET_KEY) return Buffer.from(config.MFF_SECRET_KEY, 'utf8');
  const file = join(config.dataDir, 'secret.key');
  if (!existsSync(file)) {
    mkdirSync(config.dataDir, { recursive: true });
    writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
  }
  return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
}

const derive = (secret: Buffer, purpose: string) => Buffer.from(hkdfSync('sha256', secret, 'mff', purpose, 32));

export function loadKeys(config: Config): Keys {
  const secret = masterSecret(config);
  const encKey = config.MFF_ENCRYPTION_KEY ? Buffer.from(config.MFF_ENCRYPTION_KEY, 'base64') : derive(secret, 'encryption');
  return {
    jwt: new Uint8Array(derive(secret, 'jwt')),
    csrf: derive(secret, 'csrf'),
    tokenHash: derive(secret, 'token-hash'),
    // The key id is a fingerprint, so a ciphertext names the key that can open it and keys can rotate.
    encryption: { id: derive(encKey, 'key-id').subarray(0, 4).toString('hex'), key: encKey },
  };
}
