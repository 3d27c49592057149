// Personal access tokens: shown once, stored hashed, scoped, owner-only, revocable with immediate effect.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TestClient } from '../../test/support/client.ts';
import { startTestServer, type TestServer } from '../../test/support/server.ts';
import { createPat, signUp, type TestUser } from '../../test/support/users.ts';

describe('personal access tokens', () => {
  let server: TestServer;
  let alice: TestClient;
  let bob: TestClient;
  let aliceUser: TestUser;
  const bearer = (token: string, method = 'GET', path = '/api/v1/me', body?: unknown) =>
    new TestClient(server.baseUrl).api(method, path, body, { token });

  before(async () => {
    server = await startTestServer();
    alice = new TestClient(server.baseUrl);
    bob = new TestClient(server.baseUrl);
    aliceUser = await signUp(alice);
    await signUp(bob);
  });
  after(async () => {
    await server?.close();
  });

  it('create returns the secret once; list shows only a prefix; the secret is stored hashed', async () => {
    const res = await alice.api('POST', '/api/v1/tokens', { name: 'ci', scopes: ['read'] }, { headers: { 'x-csrf-token': alice.csrf } });
    assert.equal(res.status, 201);
    const created = res.json();
    assert.match(created.token, /^mff_pat_[A-Za-z0-9_-]{43}$/);
    assert.ok(created.token.startsWith(created.prefix));
    assert.ok(created.prefix.length < 16);
    assert.deepEqual(created.scopes, ['read']);
    const list = (await alice.api('GET', '/api/v1/tokens')).json().tokens;
    const listed = list.find((t: { id: string }) => t.id === created.id);
    assert.equal(listed.name, 'ci');
    assert.equal(listed.token, undefined);
    assert.ok(!JSON.stringify(list).includes(created.token));
    const dump = await server.kernel.db.admin`select p::text as row from kernel.personal_access_tokens p`;
    assert.ok(dump.every((r) => !r.row.includes(created.token.slice(12))));
    const page = await alice.get('/settings/tokens');
    assert.ok(page.text.includes(created.prefix));
    assert.ok(!page.text.includes(created.token));
  });

  it('a PAT authenticates API calls as its owner, with its scopes', async () => {
    const { token } = await createPat(alice, ['read']);
    const res = await bearer(token);
    assert.equal(res.status, 200);
    assert.equal(res.json().user.id, aliceUser.id);
    assert.equal(res.json().via, 'pat');
    assert.deepEqual(res.json().scopes, ['read']);
    const [row] = await server.kernel.db.admin`select last_used_at from kernel.personal_access_tokens where prefix = ${token.slice(0, 12)}`;
    assert.ok(row.last_used_at instanceof Date);
  });

  it('a read-only PAT is refused on write routes (API and pages); a write PAT is allowed', async () => {
    const ro = await createPat(alice, ['read']);
    const rw = await createPat(alice, ['read', 'write']);
    const victim = await createPat(alice, ['read']);
    const refused = await bearer(ro.token, 'DELETE', `/api/v1/tokens/${victim.id}`);
    assert.equal(refused.status, 403);
    assert.match(refused.json().detail, /'write' scope/);
    assert.equal((await bearer(victim.token)).status, 200); // not revoked
    const page = await new TestClient(server.baseUrl).request('POST', `/settings/tokens/${victim.id}/revoke`, {
      headers: { authorization: `Bearer ${ro.token}`, accept: 'application/json' },
    });
    assert.equal(page.status, 403);
    assert.equal((await bearer(victim.token)).status, 200);
    assert.equal((await bearer(rw.token, 'DELETE', `/api/v1/tokens/${victim.id}`)).status, 204);
  });

  it('a revoked PAT is refused at once', async () => {
    const { id, token } = await createPat(alice, ['read', 'write']);
    assert.equal((await bearer(token)).status, 200);
    const del = await alice.api('DELETE', `/api/v1/tokens/${id}`, undefined, { headers: { 'x-csrf-token': alice.csrf } });
    assert.equal(del.status, 204);
    const res = await bearer(token);
    assert.equal(res.status, 401);
    assert.equal(res.headers.get('content-type'), 'application/problem+json');
    const list = (await alice.api('GET', '/api/v1/tokens')).json().tokens;
    assert.ok(!list.some((t: { id: string }) => t.id === id));
  });

  it('an expired PAT is refused', async () => {
    const soon = new Date(Date.now() + 60_000).toISOString();
    const { id, token } = await createPat(alice, ['read'], { expiresAt: soon });
    assert.equal((await bearer(token)).status, 200);
    await server.kernel.db.admin`update kernel.personal_access_tokens set expires_at = now() - interval '1 second' where id = ${id}`;
    assert.equal((await bearer(token)).status, 401);
  });

  it("a user cannot see or revoke another user's token: 404", async () => {
    const { id, token } = await createPat(alice, ['read']);
    const res = await bob.api('DELETE', `/api/v1/tokens/${id}`, undefined, { headers: { 'x-csrf-token': bob.csrf } });
    assert.equal(res.status, 404);
    const page = await bob.form(`/settings/tokens/${id}/revoke`, {});
    assert.equal(page.status, 404);
    const bobs = (await bob.api('GET', '/api/v1/tokens')).json().tokens;
    assert.ok(!bobs.some((t: { id: string }) => t.id === id));
    assert.equal((await bearer(token)).status, 200); // still works
  });

  it('bad input is a 400 problem and creates nothing', async () => {
    const before = (await alice.api('GET', '/api/v1/tokens')).json().tokens.length;
    const h = { headers: { 'x-csrf-token': alice.csrf } };
    for (const body of [
      { name: 'x', scopes: ['admin'] },
      { name: 'x', scopes: [] },
      { name: '', scopes: ['read'] },
      { name: 'x', scopes: ['read'], expires_at: '2001-01-01T00:00:00Z' },
      { name: 'x', scopes: ['read'], extra: 1 },
    ]) {
      const res = await alice.api('POST', '/api/v1/tokens', body, h);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.ok(res.json().errors.length > 0);
    }
    assert.equal((await alice.api('DELETE', '/api/v1/tokens/not-a-uuid', undefined, h)).status, 400);
    assert.equal((await alice.api('GET', '/api/v1/tokens')).json().tokens.length, before);
  });

  it('the settings page creates (showing the secret once) and revokes without JavaScript', async () => {
    await alice.get('/settings/tokens');
    const created = await alice.form('/settings/tokens', { name: 'Home Assistant', access: 'write', expires: '90' });
    assert.equal(created.status, 201);
    const secret = created.text.match(/data-token>(mff_pat_[^<]+)</)?.[1];
    assert.ok(secret);
    assert.equal(created.headers.get('cache-control'), 'no-store');
    const me = await bearer(secret);
    assert.deepEqual(me.json().scopes, ['read', 'write']);
    const page = await alice.get('/settings/tokens');
    assert.ok(!page.text.includes(secret));
    const id = page.text.match(/id="token-([0-9a-f-]{36})"[\s\S]*?<td>Home Assistant<\/td>/)?.[1]
      ?? (await alice.api('GET', '/api/v1/tokens')).json().tokens.find((t: { name: string }) => t.name === 'Home Assistant').id;
    const revoked = await alice.form(`/settings/tokens/${id}/revoke`, {});
    assert.equal(revoked.status, 303);
    assert.equal(revoked.location, '/settings/tokens');
    assert.equal((await bearer(secret)).status, 401);
  });

  it('the settings page re-renders bad input with messages (422), and htmx gets the fragment', async () => {
    const bad = await alice.form('/settings/tokens', { name: '', access: 'root', expires: '90' });
    assert.equal(bad.status, 422);
    assert.match(bad.text, /Give the token a name/);
    assert.match(bad.text, /Choose read-only or read and write/);
    const frag = await alice.request('POST', '/settings/tokens', {
      body: new URLSearchParams({ name: 'htmx', access: 'read', expires: 'never', _csrf: alice.csrf }),
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'hx-request': 'true' },
    });
    assert.equal(frag.status, 200);
    assert.match(frag.text, /^\s*<section id="tokens">/);
    assert.doesNotMatch(frag.text, /<html/);
    assert.match(frag.text, /data-token>mff_pat_/);
  });

  it('anonymous visitors are sent to log in', async () => {
    const res = await new TestClient(server.baseUrl).get('/settings/tokens');
    assert.equal(res.status, 303);
    assert.equal(res.location, '/login?next=%2Fsettings%2Ftokens');
  });
});
