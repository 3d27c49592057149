// scrypt hashing: parameters travel with the hash; wrong passwords and malformed hashes fail closed.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hashPassword, verifyPassword } from './passwords.ts';

const cheap = { N: 1024, r: 8, p: 1 };

describe('password hashing', () => {
  it('verifies the right password and refuses a wrong one', async () => {
    const h = await hashPassword('correct horse battery', cheap);
    assert.equal((await verifyPassword('correct horse battery', h)).ok, true);
    assert.equal((await verifyPassword('correct horse batterY', h)).ok, false);
    assert.equal((await verifyPassword('', h)).ok, false);
  });

  it('salts every hash', async () => {
    assert.notEqual(await hashPassword('same', cheap), await hashPassword('same', cheap));
  });

  it('reports hashes made with other parameters as needing an upgrade', async () => {
    const old = await hashPassword('pw-123456789', cheap);
    assert.deepEqual(await verifyPassword('pw-123456789', old), { ok: true, needsRehash: true });
    const current = await hashPassword('pw-123456789');
    assert.deepEqual(await verifyPassword('pw-123456789', current), { ok: true, needsRehash: false });
  });

  it('treats equivalent Unicode forms as the same password', async () => {
    const h = await hashPassword('caf\u00e9-password', cheap); // precomposed é
    assert.equal((await verifyPassword('cafe\u0301-password', h)).ok, true); // e + combining accent
  });

  it('fails closed on malformed or hostile stored hashes', async () => {
    for (const bad of ['', 'x', 'bcrypt$2$3$4$5$6', 'scrypt$1024$8$1$$', 'scrypt$1000$8$1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA',
      `scrypt$${2 ** 30}$8$1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA`]) {
      assert.deepEqual(await verifyPassword('anything', bad), { ok: false, needsRehash: false }, bad);
    }
  });
});
