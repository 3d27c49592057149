// Invite links: shown once, stored hashed, single-use, expiring, revocable; the accept page walks a
// signed-out visitor through signing up and back.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TestClient } from '../../test/support/client.ts';
import { startTestServer, type TestServer } from '../../test/support/server.ts';
import { newUser, signUp } from '../../test/support/users.ts';
import { api, owner, type Person } from './test-helpers.ts';

const tokenOf = (url: string) => new URL(url).searchParams.get('token')!;

describe('households: invites', () => {
  let s: TestServer;
  let o: Person & { householdId: string };
  before(async () => {
    s = await startTestServer();
    o = await owner(s.baseUrl, 'The Invitees', 'Owen');
    await o.client.get('/settings/household');
  });
  after(async () => { await s?.close(); });

  const invite = async (role = 'member') => {
    const res = await api(o, 'POST', `/api/v1/households/${o.householdId}/invites`, { role });
    assert.equal(res.status, 201, res.text);
    return res.json() as { id: string; token: string; url: string; expiresAt: string; status: string; role: string };
  };

  it('the settings page shows a new link once; only its HMAC is stored', async () => {
    const res = await o.client.form('/settings/household/invites', { role: 'viewer' });
    assert.equal(res.status, 200);
    const url = res.text.match(/<p class="secret">([^<]+)<\/p>/)?.[1];
    assert.ok(url, 'the link is on the page');
    assert.match(url, new RegExp(`^${s.baseUrl}/invites/accept\\?token=[\\w-]{43}$`));
    const token = tokenOf(url);
    assert.match(res.text, /Invite link for a new viewer/);

    const again = await o.client.get('/settings/household');
    assert.doesNotMatch(again.text, new RegExp(token));
    assert.match(again.text, /<td>viewer<\/td>/, 'listed as pending');

    const rows = await s.kernel.db.admin`select token_hash from kernel.invites where household_id = ${o.householdId}`;
    assert.ok(rows.length >= 1);
    for (const r of rows) assert.ok(!r.token_hash.includes(token));

    const frag = await o.client.form('/settings/household/invites', { role: 'member' }, { headers: { 'hx-request': 'true' } });
    assert.equal(frag.status, 200);
    assert.match(frag.text, /^<section id="invites">/);
    assert.match(frag.text, /invites\/accept\?token=/);
  });

  it('expires after the configured hours', async () => {
    const inv = await invite();
    const hours = (Date.parse(inv.expiresAt) - Date.now()) / 3_600_000;
    assert.ok(Math.abs(hours - s.config.invites.expiryHours) < 0.1, `expires in ${hours}h`);
    assert.equal(inv.status, 'pending');
  });

  it('a signed-out visitor sees the household and role, signs up, comes back and joins', async () => {
    const inv = await invite('viewer');
    const visitor = new TestClient(s.baseUrl);
    const page = await visitor.get(`/invites/accept?token=${inv.token}`);
    assert.equal(page.status, 200);
    assert.match(page.text, /Join The Invitees/);
    assert.match(page.text, /as <strong>viewer<\/strong>/);
    assert.equal(page.headers.get('cache-control'), 'no-store');
    const expiry = new Date(inv.expiresAt).toLocaleString('en-GB', { timeZone: 'Europe/Paris', dateStyle: 'medium', timeStyle: 'short' });
    assert.ok(page.text.includes(`${expiry} (Europe/Paris)</time>`), "the expiry in the household's time zone");
    const next = encodeURIComponent(`/invites/accept?token=${inv.token}`);
    assert.match(page.text, new RegExp(`href="/signup\\?next=${next}"`));
    assert.match(page.text, new RegExp(`href="/login\\?next=${next}"`));

    // Sign up the way that link does: the form carries `next`, the redirect brings them back.
    const form = await visitor.get(`/signup?next=${next}`);
    const carried = form.text.match(/name="next" value="([^"]+)"/)?.[1];
    assert.equal(carried, `/invites/accept?token=${inv.token}`);
    const signed = await visitor.form('/signup', { name: 'Newbie', email: `newbie-${Date.now()}@example.com`, password: 'a long enough password', next: carried! });
    assert.equal(signed.status, 303);
    assert.equal(signed.location, `/invites/accept?token=${inv.token}`);
    const signedPage = await visitor.get(signed.location!);
    assert.match(signedPage.text, /<button type="submit">Join The Invitees<\/button>/);

    const joined = await visitor.form('/invites/accept', { token: inv.token });
    assert.equal(joined.status, 303);
    assert.equal(joined.location, '/');
    const home = await visitor.get('/');
    assert.match(home.text, /<h1>The Invitees<\/h1>/, 'the joined household is selected');
    const me = await visitor.api('GET', '/api/v1/households');
    assert.deepEqual(me.json().items.map((h: any) => [h.id, h.role]), [[o.householdId, 'viewer']]);
    const list = await api(o, 'GET', `/api/v1/households/${o.householdId}/invites`);
    assert.equal(list.json().items.find((i: any) => i.id === inv.id).status, 'accepted');
  });

  it('is single-use: a used link says so on the page and in the API, and grants nothing more', async () => {
    const inv = await invite();
    const first = await newUser(s.baseUrl, { name: 'First' });
    assert.equal((await api(first, 'POST', '/api/v1/invites/accept', { token: inv.token })).status, 200);

    const second = await newUser(s.baseUrl, { name: 'Second' });
    const page = await second.client.get(`/invites/accept?token=${inv.token}`);
    assert.equal(page.status, 410);
    assert.match(page.text, /already been used/);
    assert.doesNotMatch(page.text, /<button type="submit">Join/);
    const post = await second.client.form('/invites/accept', { token: inv.token });
    assert.equal(post.status, 410);
    const viaApi = await api(second, 'POST', '/api/v1/invites/accept', { token: inv.token });
    assert.equal(viaApi.status, 410);
    assert.match(viaApi.json().detail, /already been used/);
    assert.deepEqual((await api(second, 'GET', '/api/v1/households')).json().items, []);
  });

  it('of two people accepting the same link at once, exactly one gets in', async () => {
    const inv = await invite();
    const a = await newUser(s.baseUrl);
    const b = await newUser(s.baseUrl);
    const results = await Promise.all([a, b].map((p) => api(p, 'POST', '/api/v1/invites/accept', { token: inv.token })));
    assert.deepEqual(results.map((r) => r.status).sort(), [200, 410]);
    const members = (await api(o, 'GET', `/api/v1/households/${o.householdId}/members`)).json().items.map((m: any) => m.userId);
    assert.equal([a.user.id, b.user.id].filter((id) => members.includes(id)).length, 1);
  });

  it('an expired link is refused with a clear message', async () => {
    const inv = await invite();
    await s.kernel.db.admin`update kernel.invites set expires_at = now() - interval '1 second' where id = ${inv.id}`;
    const p = await newUser(s.baseUrl);
    const page = await p.client.get(`/invites/accept?token=${inv.token}`);
    assert.equal(page.status, 410);
    assert.match(page.text, /has expired/);
    const res = await api(p, 'POST', '/api/v1/invites/accept', { token: inv.token });
    assert.equal(res.status, 410);
    assert.match(res.json().detail, /has expired/);
    const list = await api(o, 'GET', `/api/v1/households/${o.householdId}/invites`);
    assert.equal(list.json().items.find((i: any) => i.id === inv.id).status, 'expired');
    assert.doesNotMatch((await o.client.get('/settings/household')).text, new RegExp(`invite-${inv.id}`), 'no longer listed as pending');
  });

  it('a revoked link is refused; revoking is in place with htmx', async () => {
    const inv = await invite();
    await o.client.get('/settings/household');
    const res = await o.client.form(`/settings/household/invites/${inv.id}/revoke`, {}, { headers: { 'hx-request': 'true' } });
    assert.equal(res.status, 200);
    assert.match(res.text, /^<section id="invites">/);
    assert.doesNotMatch(res.text, new RegExp(inv.id));
    const p = await newUser(s.baseUrl);
    const page = await p.client.get(`/invites/accept?token=${inv.token}`);
    assert.equal(page.status, 410);
    assert.match(page.text, /was revoked/);
    assert.equal((await p.client.form('/invites/accept', { token: inv.token })).status, 410);
    assert.equal((await api(p, 'POST', '/api/v1/invites/accept', { token: inv.token })).status, 410);

    const again = await api(o, 'DELETE', `/api/v1/households/${o.householdId}/invites/${inv.id}`);
    assert.equal(again.status, 204, 'revoking twice is harmless');
  });

  it('an unknown token is a 404 with a message, never a 500', async () => {
    const p = await newUser(s.baseUrl);
    for (const token of ['nope', 'x'.repeat(500), '']) {
      const page = await p.client.get(`/invites/accept?token=${encodeURIComponent(token)}`);
      assert.equal(page.status, 404);
      assert.match(page.text, /not valid/);
    }
    assert.equal((await api(p, 'POST', '/api/v1/invites/accept', { token: 'nope' })).status, 404);
    assert.equal((await api(p, 'POST', '/api/v1/invites/accept', { token: 'nope', role: 'owner' })).status, 400);
  });

  it('opening a link to a household you are already in leaves the invite unused', async () => {
    const inv = await invite();
    const page = await o.client.get(`/invites/accept?token=${inv.token}`);
    assert.equal(page.status, 200);
    assert.match(page.text, /already a member/);
    const res = await api(o, 'POST', '/api/v1/invites/accept', { token: inv.token });
    assert.equal(res.status, 409);
    const list = await api(o, 'GET', `/api/v1/households/${o.householdId}/invites`);
    assert.equal(list.json().items.find((i: any) => i.id === inv.id).status, 'pending');
    // Someone else can still use it.
    const later = new TestClient(s.baseUrl);
    await signUp(later);
    await later.get('/');
    assert.equal((await later.api('POST', '/api/v1/invites/accept', { token: inv.token }, { headers: { 'x-csrf-token': later.csrf } })).status, 200);
  });

  it('accepting while signed out sends the visitor to log in and back', async () => {
    const inv = await invite();
    const anon = new TestClient(s.baseUrl);
    await anon.get(`/invites/accept?token=${inv.token}`);
    const res = await anon.form('/invites/accept', { token: inv.token });
    assert.equal(res.status, 303);
    assert.equal(res.location, `/login?next=${encodeURIComponent(`/invites/accept?token=${inv.token}`)}`);
  });
});
