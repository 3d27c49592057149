// Secrets at rest (bank access tokens, API keys): AES-256-GCM, stored as "v1.<keyId>.<iv>.<tag>.<ciphertext>".
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export type EncryptionKey = { id: string; key: Buffer };

export function encryptSecret(plaintext: string, k: EncryptionKey): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', k.key, iv);
  const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return ['v1', k.id, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), data.toString('base64url')].join('.');
}

/** Decrypts with whichever of `keys` the ciphertext names; throws if none matches or the data was altered. */
export function decryptSecret(sealed: string, keys: EncryptionKey[]): string {
  const [version, keyId, iv, tag, data] = sealed.split('.');
  if (version !== 'v1' || !data) throw new Error('not an mff sealed secret');
  const k = keys.find((x) => x.id === keyId);
  if (!k) throw new Error(`no encryption key with id ${keyId}`);
  const decipher = createDecipheriv('aes-256-gcm', k.key, Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
}
