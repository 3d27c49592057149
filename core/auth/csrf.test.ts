// CSRF: unsafe browser requests need the page's token; bearer-token calls do not.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TestClient } from '../../test/support/client.ts';
import { startTestServer, type TestServer } from '../../test/support/server.ts';
import { createPat, signUp, uniqueEmail, DEFAULT_PASSWORD } from '../../test/support/users.ts';

describe('CSRF protection', () => {
  let server: TestServer;
  let client: TestClient;
  before(async () => {
    server = await startTestServer();
    client = new TestClient(server.baseUrl);
    await signUp(client);
  });
  after(async () => {
    await server?.close();
  });

  const patCount = async () => (await client.api('GET', '/api/v1/tokens')).json().tokens.length;

  it('pages carry the token in the meta tag, hx-headers and hidden fields', async () => {
    const res = await client.get('/settings/tokens');
    assert.equal(res.status, 200);
    assert.ok(client.csrf.length > 20);
    assert.ok(res.text.includes(`"X-CSRF-Token": "${client.csrf}"`));
    assert.ok(res.text.includes(`name="_csrf" value="${client.csrf}"`));
  });

  it('a cookie-authenticated form post without the token is refused and changes nothing', async () => {
    const before = await patCount();
    const res = await client.form('/settings/tokens', { name: 'sneaky', access: 'write', expires: 'never' }, { csrf: false });
    assert.equal(res.status, 403);
    assert.match(res.text, /CSRF/);
    assert.equal(await patCount(), before);
  });

  it('a wrong token is refused; the right one (field or header) is accepted', async () => {
    const before = await patCount();
    const wrong = await client.request('POST', '/settings/tokens', {
      body: new URLSearchParams({ name: 'x', access: 'read', expires: '30', _csrf: client.csrf.slice(0, -2) + 'AA' }),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(wrong.status, 403);
    const viaField = await client.form('/settings/tokens', { name: 'via field', access: 'read', expires: '30' });
    assert.equal(viaField.status, 201);
    const viaHeader = await client.request('POST', '/settings/tokens', {
      body: new URLSearchParams({ name: 'via header', access: 'read', expires: '30' }),
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-csrf-token': client.csrf, 'hx-request': 'true' },
    });
    assert.equal(viaHeader.status, 200); // htmx fragment
    assert.match(viaHeader.text, /id="tokens"/);
    assert.equal(await patCount(), before + 2);
  });

  it('a token from another browser (another csrf cookie) is refused', async () => {
    const stranger = new TestClient(server.baseUrl);
    await stranger.get('/login');
    const res = await client.request('POST', '/settings/tokens', {
      body: new URLSearchParams({ name: 'x', access: 'read', expires: '30', _csrf: stranger.csrf }),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(res.status, 403);
  });

  it('cookie-authenticated JSON API writes need the token too', async () => {
    const body = { name: 'json', scopes: ['read'] };
    assert.equal((await client.api('POST', '/api/v1/tokens', body)).status, 403);
    assert.equal((await client.api('POST', '/api/v1/tokens', body, { headers: { 'x-csrf-token': client.csrf } })).status, 201);
  });

  it('log-out and anonymous form posts (log-in, sign-up) need the token', async () => {
    const anon = new TestClient(server.baseUrl);
    await anon.get('/login');
    const login = await anon.form('/login', { email: 'a@example.com', password: 'whatever' }, { csrf: false });
    assert.equal(login.status, 403);
    const signup = await anon.form('/signup', { name: 'n', email: uniqueEmail(), password: DEFAULT_PASSWORD }, { csrf: false });
    assert.equal(signup.status, 403);
    const noCookie = new TestClient(server.baseUrl); // never visited: no csrf cookie at all
    assert.equal((await noCookie.form('/login', { email: 'a@example.com', password: 'x' }, { csrf: false })).status, 403);
    assert.equal((await client.form('/logout', {}, { csrf: false })).status, 403);
    assert.equal((await client.api('GET', '/api/v1/me')).status, 200); // still signed in
  });

  it('bearer-token requests are exempt', async () => {
    const pat = await createPat(client, ['read', 'write']);
    const res = await new TestClient(server.baseUrl).api('POST', '/api/v1/tokens', { name: 'x', scopes: ['read'] }, { token: pat.token });
    assert.equal(res.status, 403); // refused for another reason: PATs cannot mint tokens
    assert.match(res.json().detail, /cannot create tokens/);
    const del = await new TestClient(server.baseUrl).api('DELETE', `/api/v1/tokens/${pat.id}`, undefined, { token: pat.token });
    assert.equal(del.status, 204);
  });
});
