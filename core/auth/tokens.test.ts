// Access tokens (JWT) and refresh tokens: forged or stale tokens are refused, refresh tokens rotate,
// and a reused refresh token revokes its whole family.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { SignJWT } from 'jose';
import { TestClient } from '../../test/support/client.ts';
import { startTestServer, type TestServer } from '../../test/support/server.ts';
import { apiTokens, signUp, type TestUser } from '../../test/support/users.ts';

const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');

describe('access and refresh tokens', () => {
  let server: TestServer;
  let user: TestUser;
  let other: TestUser;
  let sid: string;

  const me = (token: string) => new TestClient(server.baseUrl).api('GET', '/api/v1/me', undefined, { token });
  const meWithCookie = (access: string) => {
    const c = new TestClient(server.baseUrl);
    c.cookies.set('mff_access', access);
    return c.api('GET', '/api/v1/me');
  };
  const sign = (claims: Record<string, unknown>, key: Uint8Array, exp: number | string = '10m', iat?: number) =>
    new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject(user.id).setIssuer('mff').setAudience('mff')
      .setIssuedAt(iat).setExpirationTime(exp).sign(key);

  before(async () => {
    server = await startTestServer();
    user = await signUp(new TestClient(server.baseUrl));
    other = await signUp(new TestClient(server.baseUrl));
    const [row] = await server.kernel.db.admin`select family_id from kernel.refresh_tokens where user_id = ${user.id} limit 1`;
    sid = row.family_id;
  });
  after(async () => {
    await server?.close();
  });

  it('a well-formed token signed with the instance key is accepted (control)', async () => {
    const res = await me(await sign({ sid }, server.kernel.keys.jwt));
    assert.equal(res.status, 200);
    assert.equal(res.json().user.id, user.id);
    assert.equal(res.json().via, 'bearer');
  });

  it('no credentials at all: 401 naming the Bearer scheme (RFC 6750)', async () => {
    const res = await fetch(`${server.baseUrl}/api/v1/me`, { headers: { accept: 'application/json' } });
    assert.equal(res.status, 401);
    assert.equal(res.headers.get('www-authenticate'), 'Bearer realm="mff"');
  });

  it('an expired token is refused, as bearer and as cookie', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await sign({ sid }, server.kernel.keys.jwt, now - 60, now - 660);
    const res = await me(token);
    assert.equal(res.status, 401);
    assert.equal(res.headers.get('content-type'), 'application/problem+json');
    assert.match(res.headers.get('www-authenticate') ?? '', /invalid_token/);
    assert.match(res.json().detail, /expired/);
    assert.equal((await meWithCookie(token)).status, 401);
  });

  it('a tampered token (payload changed, signature kept) is refused', async () => {
    const token = await sign({ sid }, server.kernel.keys.jwt);
    const [h, , s] = token.split('.');
    const now = Math.floor(Date.now() / 1000);
    const forged = [h, b64({ sub: other.id, sid, iss: 'mff', aud: 'mff', iat: now, exp: now + 600 }), s].join('.');
    assert.equal((await me(forged)).status, 401);
    assert.equal((await meWithCookie(forged)).status, 401);
  });

  it('an alg:none token is refused', async () => {
    const now = Math.floor(Date.now() / 1000);
    const payload = b64({ sub: user.id, sid, iss: 'mff', aud: 'mff', iat: now, exp: now + 600 });
    for (const header of [{ alg: 'none' }, { alg: 'none', typ: 'JWT' }, { alg: 'NONE' }]) {
      const token = `${b64(header)}.${payload}.`;
      assert.equal((await me(token)).status, 401, JSON.stringify(header));
      assert.equal((await meWithCookie(token)).status, 401);
    }
  });

  it('a token signed with another key or algorithm is refused', async () => {
    assert.equal((await me(await sign({ sid }, randomBytes(32)))).status, 401);
    const hs512 = await new SignJWT({ sid }).setProtectedHeader({ alg: 'HS512' }).setSubject(user.id).setIssuer('mff')
      .setAudience('mff').setIssuedAt().setExpirationTime('10m').sign(server.kernel.keys.jwt);
    assert.equal((await me(hs512)).status, 401);
  });

  it('a garbage bearer or a non-bearer Authorization is a 401, not anonymous', async () => {
    for (const authorization of ['Bearer nonsense', 'Basic dXNlcjpwYXNz', 'Bearer']) {
      const res = await new TestClient(server.baseUrl).api('GET', '/api/v1/me', undefined, { headers: { authorization } });
      assert.equal(res.status, 401, authorization);
      assert.equal(res.headers.get('content-type'), 'application/problem+json');
    }
    // Even on a public page: a bad credential is an error, not a silent downgrade.
    const page = await new TestClient(server.baseUrl).request('GET', '/login', { headers: { authorization: 'Bearer nonsense', accept: 'application/json' } });
    assert.equal(page.status, 401);
  });

  it('POST /auth/token issues a working pair; a wrong password gets the same 401 as an unknown email', async () => {
    const pair = await apiTokens(server.baseUrl, user.email, user.password);
    assert.match(pair.refreshToken, /^mff_rt_/);
    assert.equal((await me(pair.accessToken)).status, 200);
    const c = new TestClient(server.baseUrl);
    const wrong = await c.api('POST', '/api/v1/auth/token', { email: user.email, password: 'wrong password!' });
    const unknown = await c.api('POST', '/api/v1/auth/token', { email: 'nobody@example.com', password: 'wrong password!' });
    assert.equal(wrong.status, 401);
    assert.equal(unknown.status, 401);
    assert.equal(wrong.json().detail, unknown.json().detail);
    const extra = await c.api('POST', '/api/v1/auth/token', { email: user.email, password: user.password, admin: true });
    assert.equal(extra.status, 400);
  });

  it('API refresh rotates; reusing the old refresh token revokes the family, newer tokens included', async () => {
    const c = new TestClient(server.baseUrl);
    const first = await apiTokens(server.baseUrl, user.email, user.password);
    const r1 = await c.api('POST', '/api/v1/auth/refresh', { refresh_token: first.refreshToken });
    assert.equal(r1.status, 200);
    const second = r1.json();
    assert.equal(second.token_type, 'Bearer');
    assert.notEqual(second.refresh_token, first.refreshToken);
    assert.equal((await me(second.access_token)).status, 200);

    const reuse = await c.api('POST', '/api/v1/auth/refresh', { refresh_token: first.refreshToken });
    assert.equal(reuse.status, 401);
    assert.match(reuse.json().detail, /already used/);
    // The family is gone: the newer refresh token and the access tokens issued from it stop working.
    assert.equal((await c.api('POST', '/api/v1/auth/refresh', { refresh_token: second.refresh_token })).status, 401);
    assert.equal((await me(second.access_token)).status, 401);
    assert.equal((await me(first.accessToken)).status, 401);
    // Other sessions of the same user are untouched.
    const fresh = await apiTokens(server.baseUrl, user.email, user.password);
    assert.equal((await me(fresh.accessToken)).status, 200);
  });

  it('unknown refresh tokens are refused', async () => {
    const c = new TestClient(server.baseUrl);
    assert.equal((await c.api('POST', '/api/v1/auth/refresh', { refresh_token: 'mff_rt_' + randomBytes(32).toString('base64url') })).status, 401);
    assert.equal((await c.api('POST', '/api/v1/auth/refresh', { refresh_token: 'x' })).status, 401);
  });

  it('refresh tokens are stored hashed', async () => {
    const pair = await apiTokens(server.baseUrl, user.email, user.password);
    const rows = await server.kernel.db.admin`select token_hash from kernel.refresh_tokens where token_hash = ${pair.refreshToken}`;
    assert.equal(rows.length, 0);
    const all = await server.kernel.db.admin`select r::text as t from kernel.refresh_tokens r`;
    assert.ok(all.length > 0);
    assert.ok(all.every((r) => !r.t.includes(pair.refreshToken.slice(7))));
  });

  it('the browser session renews itself from the refresh cookie when the access cookie is gone', async () => {
    const client = new TestClient(server.baseUrl);
    const u = await signUp(client);
    const oldRefresh = client.cookies.get('mff_refresh')!;
    client.cookies.delete('mff_access'); // what the browser does when it expires
    const res = await client.api('GET', '/api/v1/me');
    assert.equal(res.status, 200);
    assert.equal(res.json().user.id, u.id);
    assert.ok(client.cookies.get('mff_access'));
    assert.notEqual(client.cookies.get('mff_refresh'), oldRefresh);
    // The same for an expired access cookie.
    const now = Math.floor(Date.now() / 1000);
    const [row] = await server.kernel.db.admin`select family_id from kernel.refresh_tokens where user_id = ${u.id} limit 1`;
    client.cookies.set('mff_access', await new SignJWT({ sid: row.family_id }).setProtectedHeader({ alg: 'HS256' }).setSubject(u.id)
      .setIssuer('mff').setAudience('mff').setIssuedAt(now - 700).setExpirationTime(now - 100).sign(server.kernel.keys.jwt));
    assert.equal((await client.api('GET', '/api/v1/me')).status, 200);
  });

  it('a replayed refresh cookie revokes the browser session everywhere', async () => {
    const client = new TestClient(server.baseUrl);
    await signUp(client);
    const stolen = client.cookies.get('mff_refresh')!;
    client.cookies.delete('mff_access');
    assert.equal((await client.api('GET', '/api/v1/me')).status, 200); // rotates: the victim now holds a newer token

    const thief = new TestClient(server.baseUrl);
    thief.cookies.set('mff_refresh', stolen);
    const res = await thief.api('GET', '/api/v1/me');
    assert.equal(res.status, 401);
    assert.equal(thief.cookies.has('mff_refresh'), false); // cleared

    // The victim's newer cookies are dead too: access (family revoked) and refresh (revoked).
    assert.equal((await client.api('GET', '/api/v1/me')).status, 401);
    assert.equal(client.cookies.has('mff_refresh'), false);
  });

  it('the auth endpoints are described in the OpenAPI document', async () => {
    const res = await new TestClient(server.baseUrl).api('GET', '/api/v1/openapi.json');
    assert.equal(res.status, 200);
    const paths = res.json().paths;
    for (const [path, method] of [['/api/v1/auth/token', 'post'], ['/api/v1/auth/refresh', 'post'], ['/api/v1/me', 'get'],
      ['/api/v1/tokens', 'get'], ['/api/v1/tokens', 'post'], ['/api/v1/tokens/{id}', 'delete']]) {
      assert.ok(paths[path]?.[method], `${method} ${path}`);
    }
    assert.deepEqual(paths['/api/v1/auth/token'].post.security, []);
    const body = paths['/api/v1/tokens'].post.requestBody.content['application/json'].schema;
    assert.equal(body.additionalProperties, false);
    assert.deepEqual(Object.keys(body.properties).sort(), ['expires_at', 'name', 'scopes']);
  });

  it('a session rotated during a request that ends in an error keeps its new cookies', async () => {
    const client = new TestClient(server.baseUrl);
    await signUp(client);
    const before = client.cookies.get('mff_refresh');
    client.cookies.delete('mff_access');
    const res = await client.api('GET', '/api/v1/no-such-route'); // answered by a handler-built problem response
    assert.equal(res.status, 404);
    assert.notEqual(client.cookies.get('mff_refresh'), before);
    assert.ok(client.cookies.get('mff_access'));
    const bad = await client.api('POST', '/api/v1/tokens', '{not json', { headers: { 'x-csrf-token': client.csrf } });
    assert.equal(bad.status, 400);
    assert.equal((await client.api('GET', '/api/v1/me')).status, 200); // not mistaken for a reuse
  });

  it('signing in again on the same browser ends the previous session', async () => {
    const client = new TestClient(server.baseUrl);
    const u = await signUp(client);
    const oldRefresh = client.cookies.get('mff_refresh')!;
    await client.form('/login', { email: u.email, password: u.password });
    assert.notEqual(client.cookies.get('mff_refresh'), oldRefresh);
    assert.equal((await client.api('GET', '/api/v1/me')).status, 200);
    const old = new TestClient(server.baseUrl);
    old.cookies.set('mff_refresh', oldRefresh);
    assert.equal((await old.api('GET', '/api/v1/me')).status, 401);
  });
});
