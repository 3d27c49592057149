// Creating a household, its settings page, and the home page of a signed-in user.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../../test/support/server.ts';
import { TestClient } from '../../test/support/client.ts';
import { newUser } from '../../test/support/users.ts';
import { api, createHousehold, memberOf, owner } from './test-helpers.ts';

describe('households: create, settings, home', () => {
  let s: TestServer;
  before(async () => { s = await startTestServer(); });
  after(async () => { await s?.close(); });

  it('a new user lands on /households/new, creates one, becomes its owner and has it selected', async () => {
    const p = await newUser(s.baseUrl, { name: 'Ada' });
    const home = await p.client.get('/');
    assert.equal(home.status, 303);
    assert.equal(home.location, '/households/new');
    const page = await p.client.get('/households/new');
    assert.equal(page.status, 200);
    assert.match(page.text, /Create your household/);
    assert.match(page.text, /<option value="Europe\/Paris"/);

    const id = await createHousehold(p, 'Lovelace home');
    const me = await api(p, 'GET', '/api/v1/households');
    assert.deepEqual(me.json().items.map((h: any) => [h.id, h.name, h.role, h.baseCurrency, h.timeZone]), [[id, 'Lovelace home', 'owner', 'EUR', 'Europe/Paris']]);

    const after = await p.client.get('/');
    assert.equal(after.status, 200);
    assert.match(after.text, /<h1>Lovelace home<\/h1>/);
    assert.match(after.text, /Nothing here yet/);
    const members = await api(p, 'GET', `/api/v1/households/${id}/members`);
    assert.deepEqual(members.json().items.map((m: any) => [m.userId, m.role]), [[p.user.id, 'owner']]);
  });

  it('bad form input re-renders the form with the field named, and writes nothing', async () => {
    const p = await newUser(s.baseUrl);
    await p.client.get('/households/new');
    const res = await p.client.form('/households', { name: '  ', baseCurrency: 'EURO', timeZone: 'Mars/Olympus' });
    assert.equal(res.status, 422);
    assert.match(res.text, /Name must not be empty/);
    assert.match(res.text, /Currency must be a 3-letter ISO 4217 code/);
    assert.match(res.text, /Time zone is not a known IANA time zone/);
    const list = await api(p, 'GET', '/api/v1/households');
    assert.deepEqual(list.json().items, []);
  });

  it('the API creates households with validated, normalised fields', async () => {
    const p = await newUser(s.baseUrl);
    const bad = await api(p, 'POST', '/api/v1/households', { name: 'X', baseCurrency: 'ZZZ', timeZone: 'UTC' });
    assert.equal(bad.status, 400);
    assert.equal(bad.json().errors[0].field, 'body.baseCurrency');
    const extra = await api(p, 'POST', '/api/v1/households', { name: 'X', baseCurrency: 'usd', timeZone: 'UTC', owner: 'me' });
    assert.equal(extra.status, 400);
    assert.match(extra.json().detail, /unknown field/);
    const ok = await api(p, 'POST', '/api/v1/households', { name: ' Flat 3 ', baseCurrency: 'usd', timeZone: 'UTC' });
    assert.equal(ok.status, 201, ok.text);
    assert.equal(ok.json().name, 'Flat 3');
    assert.equal(ok.json().baseCurrency, 'USD');
    assert.equal(ok.json().role, 'owner');
    const home = await p.client.get('/');
    assert.match(home.text, /<h1>Flat 3<\/h1>/, 'the created household is selected');
  });

  it('an owner edits name, currency and time zone on the settings page; the API sees it', async () => {
    const o = await owner(s.baseUrl, 'Before');
    const page = await o.client.get('/settings/household');
    assert.equal(page.status, 200);
    assert.match(page.text, /You are the only member so far/);
    assert.match(page.text, /No pending invites/);
    const res = await o.client.form('/settings/household', { name: 'After', baseCurrency: 'GBP', timeZone: 'Europe/London' });
    assert.equal(res.status, 303);
    const saved = await o.client.get(res.location!);
    assert.match(saved.text, /Saved\./);
    const h = await api(o, 'GET', `/api/v1/households/${o.householdId}`);
    assert.deepEqual([h.json().name, h.json().baseCurrency, h.json().timeZone], ['After', 'GBP', 'Europe/London']);

    const invalid = await o.client.form('/settings/household', { name: 'After', baseCurrency: 'GBP', timeZone: 'Nowhere' });
    assert.equal(invalid.status, 422);
    assert.match(invalid.text, /Time zone is not a known IANA time zone/);

    const patched = await api(o, 'PATCH', `/api/v1/households/${o.householdId}`, { timeZone: 'Asia/Tokyo' });
    assert.equal(patched.status, 200);
    assert.deepEqual([patched.json().name, patched.json().timeZone], ['After', 'Asia/Tokyo']);
  });

  it('a member sees the settings read-only, without invite or role controls', async () => {
    const o = await owner(s.baseUrl, 'Shared');
    const m = await memberOf(s.baseUrl, o, o.householdId, 'member', 'Bea');
    const page = await m.client.get('/settings/household');
    assert.equal(page.status, 200);
    assert.match(page.text, /Only owners can change these/);
    assert.match(page.text, /Only owners can invite people/);
    assert.doesNotMatch(page.text, /members\/[0-9a-f-]{36}\/role/);
    const ownerPage = await o.client.get('/settings/household');
    assert.match(ownerPage.text, new RegExp(`members/${m.user.id}/role`));
    assert.match(ownerPage.text, /Bea/);
  });

  it('anonymous visitors are sent to log in, and the API answers 401', async () => {
    const anon = new TestClient(s.baseUrl);
    for (const path of ['/households/new', '/settings/household']) {
      const res = await anon.get(path);
      assert.equal(res.status, 303);
      assert.equal(res.location, `/login?next=${encodeURIComponent(path)}`);
    }
    const res = await anon.api('GET', '/api/v1/households');
    assert.equal(res.status, 401);
  });

  it('the OpenAPI document lists the households API', async () => {
    const doc = (await new TestClient(s.baseUrl).api('GET', '/api/v1/openapi.json')).json();
    for (const p of ['/api/v1/households', '/api/v1/households/{id}', '/api/v1/households/{id}/members/{userId}', '/api/v1/households/{id}/invites/{inviteId}', '/api/v1/invites/accept']) {
      assert.ok(doc.paths[p], p);
    }
    assert.deepEqual(doc.paths['/api/v1/households'].post.requestBody.content['application/json'].schema.required.sort(), ['baseCurrency', 'name', 'timeZone']);
  });
});
