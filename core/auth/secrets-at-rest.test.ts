// Passwords and tokens never appear in plain text: not in the database, not in the logs.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setLogLevel } from '../log.ts';
import { TestClient } from '../../test/support/client.ts';
import { startTestServer, type TestServer } from '../../test/support/server.ts';
import { apiTokens, createPat, signUp, uniqueEmail } from '../../test/support/users.ts';
import { CURRENT_PARAMS, hashPassword } from './passwords.ts';

describe('secrets at rest and in logs', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => {
    await server?.close();
  });

  /** Every row of every table outside the system catalogs, as text. */
  async function databaseText(): Promise<string> {
    const tables = await server.kernel.db.admin`
      select schemaname, tablename from pg_tables where schemaname not in ('pg_catalog', 'information_schema')`;
    const parts: string[] = [];
    for (const t of tables) {
      const rows = await server.kernel.db.admin.unsafe(`select t::text as row from "${t.schemaname}"."${t.tablename}" t`);
      parts.push(...rows.map((r) => r.row as string));
    }
    return parts.join('\n');
  }

  it('the password hash records its scrypt parameters and salt', async () => {
    const user = await signUp(new TestClient(server.baseUrl));
    const [row] = await server.kernel.db.admin`select password_hash from kernel.users where id = ${user.id}`;
    const [scheme, N, r, p, salt, hash] = row.password_hash.split('$');
    assert.equal(scheme, 'scrypt');
    assert.deepEqual([Number(N), Number(r), Number(p)], [CURRENT_PARAMS.N, CURRENT_PARAMS.r, CURRENT_PARAMS.p]);
    assert.ok(Buffer.from(salt, 'base64url').length >= 16);
    assert.equal(Buffer.from(hash, 'base64url').length, 32);
  });

  it('a hash with outdated parameters still verifies and is upgraded at login', async () => {
    const user = await signUp(new TestClient(server.baseUrl));
    const weak = await hashPassword(user.password, { N: 1024, r: 8, p: 1 });
    await server.kernel.db.admin`update kernel.users set password_hash = ${weak} where id = ${user.id}`;
    await apiTokens(server.baseUrl, user.email, user.password);
    const [row] = await server.kernel.db.admin`select password_hash from kernel.users where id = ${user.id}`;
    assert.ok(row.password_hash.startsWith(`scrypt$${CURRENT_PARAMS.N}$${CURRENT_PARAMS.r}$${CURRENT_PARAMS.p}$`));
    assert.notEqual(row.password_hash, weak);
    await apiTokens(server.baseUrl, user.email, user.password); // the new hash works
  });

  it('passwords and tokens appear nowhere in the database or the logs', async () => {
    const captured: string[] = [];
    const out = process.stdout.write.bind(process.stdout);
    const err = process.stderr.write.bind(process.stderr);
    const capture = (chunk: unknown) => {
      captured.push(String(chunk));
      return true;
    };
    process.stdout.write = capture as typeof process.stdout.write;
    process.stderr.write = capture as typeof process.stderr.write;
    setLogLevel('debug');
    const password = 'Plain-Text-Canary-' + Math.random().toString(36).slice(2);
    const secrets: string[] = [password];
    try {
      const client = new TestClient(server.baseUrl);
      const user = await signUp(client, { email: uniqueEmail('canary'), password });
      secrets.push(client.cookies.get('mff_refresh')!, client.cookies.get('mff_access')!);
      const other = new TestClient(server.baseUrl);
      await other.get('/login');
      await other.form('/login', { email: user.email, password: password + 'x' }); // a failed attempt
      await other.form('/login', { email: user.email, password });
      const pair = await apiTokens(server.baseUrl, user.email, password);
      const script = new TestClient(server.baseUrl); // no cookies, like a script
      const refreshed = (await script.api('POST', '/api/v1/auth/refresh', { refresh_token: pair.refreshToken })).json();
      await script.api('POST', '/api/v1/auth/refresh', { refresh_token: pair.refreshToken }); // reuse: logged as a warning
      const pat = await createPat(client, ['read']);
      await other.api('GET', '/api/v1/me', undefined, { token: pat.token });
      await other.api('GET', '/api/v1/me', undefined, { token: 'mff_pat_bogus-token-for-the-log' });
      secrets.push(pair.accessToken, pair.refreshToken, refreshed.refresh_token, pat.token, 'mff_pat_bogus-token-for-the-log');
    } finally {
      process.stdout.write = out;
      process.stderr.write = err;
      setLogLevel('warn');
    }
    const logs = captured.join('');
    assert.match(logs, /"msg":"request"/); // the capture did see the request log
    assert.match(logs, /refresh token reused/);
    const db = await databaseText();
    assert.ok(db.includes('scrypt$'));
    for (const s of secrets) {
      assert.ok(s && s.length > 10);
      assert.ok(!logs.includes(s), 'secret in logs');
      assert.ok(!db.includes(s), 'secret in database');
    }
  });
});
