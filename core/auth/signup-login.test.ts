// Sign-up, log-in and log-out through the browser forms.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TestClient } from '../../test/support/client.ts';
import { startTestServer, type TestServer } from '../../test/support/server.ts';
import { DEFAULT_PASSWORD, logIn, signUp, uniqueEmail } from '../../test/support/users.ts';

describe('sign-up and log-in', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => {
    await server?.close();
  });

  it('the first user becomes admin, the second does not', async () => {
    const first = await signUp(new TestClient(server.baseUrl));
    const second = await signUp(new TestClient(server.baseUrl));
    assert.equal(first.isAdmin, true);
    assert.equal(second.isAdmin, false);
  });

  it('sign-up sets HttpOnly SameSite=Lax session cookies and sends a user without a household to /households/new', async () => {
    const client = new TestClient(server.baseUrl);
    await client.get('/signup');
    const res = await client.form('/signup', { name: 'Ada', email: uniqueEmail('ada'), password: DEFAULT_PASSWORD });
    assert.equal(res.status, 303);
    assert.equal(res.location, '/households/new');
    const cookies = res.headers.getSetCookie();
    for (const name of ['mff_access', 'mff_refresh']) {
      const c = cookies.find((x) => x.startsWith(name + '='));
      assert.ok(c, `${name} set`);
      assert.match(c, /HttpOnly/i);
      assert.match(c, /SameSite=Lax/i);
      assert.doesNotMatch(c, /Secure/i); // plain http instance
    }
    const me = await client.api('GET', '/api/v1/me');
    assert.equal(me.status, 200);
    assert.equal(me.json().user.name, 'Ada');
    assert.equal(me.json().via, 'cookie');
    assert.equal(me.json().currentHousehold, null);
  });

  it('bad sign-up input re-renders with field errors, keeping what was typed but never the password', async () => {
    const client = new TestClient(server.baseUrl);
    await client.get('/signup');
    const res = await client.form('/signup', { name: 'Grace', email: 'not-an-email', password: 'short-pw1' });
    assert.equal(res.status, 422);
    assert.match(res.text, /Enter a valid email address/);
    assert.match(res.text, /at least 10 characters/);
    assert.match(res.text, /value="Grace"/);
    assert.match(res.text, /value="not-an-email"/);
    assert.doesNotMatch(res.text, /short-pw1/);
    assert.equal(client.cookies.has('mff_access'), false);
  });

  it('a taken email is refused', async () => {
    const email = uniqueEmail('dup');
    await signUp(new TestClient(server.baseUrl), { email });
    const client = new TestClient(server.baseUrl);
    await client.get('/signup');
    const res = await client.form('/signup', { name: 'Dup', email: email.toUpperCase(), password: DEFAULT_PASSWORD });
    assert.equal(res.status, 409);
    assert.match(res.text, /already exists/);
  });

  it('log in redirects home; a wrong password does not reveal whether the email exists', async () => {
    const user = await signUp(new TestClient(server.baseUrl));
    const client = new TestClient(server.baseUrl);
    await client.get('/login');
    const wrong = await client.form('/login', { email: user.email, password: 'not the password' });
    const unknown = await client.form('/login', { email: uniqueEmail('nobody'), password: 'not the password' });
    assert.equal(wrong.status, 401);
    assert.equal(unknown.status, 401);
    const message = (html: string) => html.match(/<p class="error" role="alert">([^<]*)<\/p>/)?.[1];
    assert.equal(message(wrong.text), 'Email or password is incorrect.');
    assert.equal(message(unknown.text), message(wrong.text));
    assert.match(wrong.text, new RegExp(`value="${user.email}"`));
    assert.doesNotMatch(wrong.text, /not the password/);

    const ok = await client.form('/login', { email: user.email.toUpperCase(), password: user.password });
    assert.equal(ok.status, 303);
    assert.equal(ok.location, '/');
    const me = await client.api('GET', '/api/v1/me');
    assert.equal(me.json().user.id, user.id);
  });

  it('log in honours a same-site next path and ignores an off-site one', async () => {
    const user = await signUp(new TestClient(server.baseUrl));
    const a = new TestClient(server.baseUrl);
    await a.get('/login?next=/settings/tokens');
    const res = await a.form('/login', { email: user.email, password: user.password, next: '/settings/tokens' });
    assert.equal(res.location, '/settings/tokens');
    const b = new TestClient(server.baseUrl);
    await b.get('/login');
    const evil = await b.form('/login', { email: user.email, password: user.password, next: '//evil.example/x' });
    assert.equal(evil.location, '/');
  });

  it('log out revokes the session: even a copy of the old cookies stops working', async () => {
    const client = new TestClient(server.baseUrl);
    await signUp(client);
    const copy = new Map(client.cookies);
    const res = await client.form('/logout', {});
    assert.equal(res.status, 303);
    assert.equal(client.cookies.has('mff_access'), false);
    assert.equal(client.cookies.has('mff_refresh'), false);
    assert.equal((await client.api('GET', '/api/v1/me')).status, 401);

    const thief = new TestClient(server.baseUrl);
    thief.cookies = copy;
    assert.equal((await thief.api('GET', '/api/v1/me')).status, 401);
    thief.cookies = new Map(copy);
    thief.cookies.delete('mff_access'); // only the refresh cookie: rotation must be refused too
    assert.equal((await thief.api('GET', '/api/v1/me')).status, 401);
  });

  it('a signed-in user visiting /login or /signup goes home', async () => {
    const client = new TestClient(server.baseUrl);
    await signUp(client);
    assert.equal((await client.get('/login')).location, '/');
    assert.equal((await client.get('/signup')).location, '/');
  });

  it('logIn helper works after a fresh sign-up', async () => {
    const user = await signUp(new TestClient(server.baseUrl));
    const again = await logIn(new TestClient(server.baseUrl), user.email, user.password);
    assert.equal(again.id, user.id);
  });
});
