// Roles over HTTP: a viewer is refused every unsafe request (kernel or plugin, pages or API) yet
// reads everything; only owners manage the household; a household always keeps an owner.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../../test/support/server.ts';
import { createPat } from '../../test/support/users.ts';
import { api, createHousehold, memberOf, owner, type Person } from './test-helpers.ts';

describe('households: roles', () => {
  let s: TestServer;
  let pluginWrites = 0;
  before(async () => {
    // Stand-ins for plugin routes: the role guard must cover routes it knows nothing about.
    s = await startTestServer({
      extend: (app, k) => {
        for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
          app.on(method, '/plugin-demo/thing', (c) => { pluginWrites++; return c.text('written'); });
        }
        app.get('/plugin-demo/thing', (c) => c.text('read'));
        k.api.add({ method: 'post', path: '/plugin-demo/things', tag: 'demo', summary: 'demo', handler: async () => { pluginWrites++; return { ok: true }; } });
        k.api.add({ method: 'get', path: '/plugin-demo/things', tag: 'demo', summary: 'demo', handler: async () => ({ ok: true }) });
      },
    });
  });
  after(async () => { await s?.close(); });

  describe('a viewer', () => {
    let o: Person & { householdId: string };
    let viewer: Person;
    let other: Person;
    let inviteId: string;
    before(async () => {
      o = await owner(s.baseUrl, 'Viewed', 'Olga');
      viewer = await memberOf(s.baseUrl, o, o.householdId, 'viewer', 'Vic');
      other = await memberOf(s.baseUrl, o, o.householdId, 'member', 'Mo');
      inviteId = (await api(o, 'POST', `/api/v1/households/${o.householdId}/invites`, { role: 'member' })).json().id;
      await viewer.client.get('/settings/household');
    });

    it('is refused every unsafe page request, kernel or plugin, with or without htmx', async () => {
      const h = o.householdId;
      const posts: [string, Record<string, string>][] = [
        ['/settings/household', { name: 'Mine now', baseCurrency: 'USD', timeZone: 'UTC' }],
        [`/settings/household/members/${other.user.id}/role`, { role: 'owner' }],
        [`/settings/household/members/${viewer.user.id}/role`, { role: 'owner' }],
        [`/settings/household/members/${other.user.id}/remove`, {}],
        ['/settings/household/invites', { role: 'owner' }],
        [`/settings/household/invites/${inviteId}/revoke`, {}],
        ['/plugin-demo/thing', {}],
      ];
      for (const [path, fields] of posts) {
        for (const headers of [{}, { 'hx-request': 'true' }] as Record<string, string>[]) {
          const res = await viewer.client.form(path, fields, { headers });
          assert.equal(res.status, 403, `${path} ${JSON.stringify(headers)}`);
          assert.match(res.text, /your role is viewer/);
        }
      }
      for (const method of ['PUT', 'PATCH', 'DELETE']) {
        const res = await viewer.client.request(method, '/plugin-demo/thing', { headers: { 'x-csrf-token': viewer.client.csrf } });
        assert.equal(res.status, 403, method);
      }
      assert.equal(h, o.householdId);
    });

    it('is refused every unsafe API request, by cookie or by personal access token', async () => {
      const h = o.householdId;
      const calls: [string, string, unknown?][] = [
        ['PATCH', `/api/v1/households/${h}`, { name: 'Mine now' }],
        ['PATCH', `/api/v1/households/${h}/members/${other.user.id}`, { role: 'viewer' }],
        ['PATCH', `/api/v1/households/${h}/members/${viewer.user.id}`, { role: 'owner' }],
        ['DELETE', `/api/v1/households/${h}/members/${other.user.id}`],
        ['POST', `/api/v1/households/${h}/invites`, { role: 'owner' }],
        ['DELETE', `/api/v1/households/${h}/invites/${inviteId}`],
        ['POST', '/api/v1/plugin-demo/things', {}],
      ];
      const { token } = await createPat(viewer.client, ['read', 'write']);
      for (const [method, path, body] of calls) {
        const byCookie = await api(viewer, method, path, body);
        assert.equal(byCookie.status, 403, `${method} ${path}: ${byCookie.text}`);
        assert.equal(byCookie.headers.get('content-type'), 'application/problem+json');
        const byToken = await viewer.client.api(method, path, body, { token });
        assert.equal(byToken.status, 403, `PAT ${method} ${path}: ${byToken.text}`);
      }
    });

    it('changed nothing, and can still read everything', async () => {
      assert.equal(pluginWrites, 0);
      const h = await api(viewer, 'GET', `/api/v1/households/${o.householdId}`);
      assert.equal(h.status, 200);
      assert.deepEqual([h.json().name, h.json().role], ['Viewed', 'viewer']);
      const members = await api(viewer, 'GET', `/api/v1/households/${o.householdId}/members`);
      assert.deepEqual(members.json().items.map((m: any) => [m.name, m.role]), [['Olga', 'owner'], ['Mo', 'member'], ['Vic', 'viewer']]);
      const invites = await api(viewer, 'GET', `/api/v1/households/${o.householdId}/invites`);
      assert.equal(invites.json().items.find((i: any) => i.id === inviteId).status, 'pending');
      for (const path of ['/', '/settings/household', '/plugin-demo/thing']) assert.equal((await viewer.client.get(path)).status, 200, path);
      assert.equal((await api(viewer, 'GET', '/api/v1/plugin-demo/things')).status, 200);
    });

    it('may still act for themself: tokens, a household of their own, switching, leaving', async () => {
      const pat = await api(viewer, 'POST', '/api/v1/tokens', { name: 'mine', scopes: ['read'] });
      assert.equal(pat.status, 201, pat.text);
      await viewer.client.get('/');
      const mine = await api(viewer, 'POST', '/api/v1/households', { name: 'Vic alone', baseCurrency: 'USD', timeZone: 'UTC' });
      assert.equal(mine.status, 201, mine.text);
      const back = await viewer.client.form('/households/switch', { householdId: o.householdId });
      assert.equal(back.status, 303);
      assert.match((await viewer.client.get('/')).text, /<h1>Viewed<\/h1>/);
      // The API names its household: owning that one is what counts, not the selected one's role.
      const own = await api(viewer, 'PATCH', `/api/v1/households/${mine.json().id}`, { name: 'Vic alone' });
      assert.equal(own.status, 200, own.text);
      const leave = await viewer.client.form('/settings/household/leave', {});
      assert.equal(leave.status, 303);
      assert.match((await viewer.client.get('/')).text, /<h1>Vic alone<\/h1>/, 'after leaving, their remaining household is selected');
      const gone = await api(viewer, 'GET', `/api/v1/households/${o.householdId}`);
      assert.equal(gone.status, 404);
    });
  });

  describe('a member', () => {
    let o: Person & { householdId: string };
    let m: Person;
    let v: Person;
    before(async () => {
      o = await owner(s.baseUrl, 'Membered', 'Otto');
      m = await memberOf(s.baseUrl, o, o.householdId, 'member', 'Max');
      v = await memberOf(s.baseUrl, o, o.householdId, 'viewer', 'Val');
      await m.client.get('/settings/household');
    });

    it('writes household data (the guard only stops viewers) but cannot invite, change roles, remove or rename', async () => {
      const before = pluginWrites;
      assert.equal((await m.client.form('/plugin-demo/thing', {})).status, 200);
      assert.equal(pluginWrites, before + 1);
      const h = o.householdId;
      for (const [method, path, body] of [
        ['POST', `/api/v1/households/${h}/invites`, { role: 'member' }],
        ['PATCH', `/api/v1/households/${h}/members/${v.user.id}`, { role: 'member' }],
        ['PATCH', `/api/v1/households/${h}/members/${m.user.id}`, { role: 'owner' }],
        ['DELETE', `/api/v1/households/${h}/members/${v.user.id}`],
        ['PATCH', `/api/v1/households/${h}`, { name: 'Renamed' }],
      ] as [string, string, unknown?][]) {
        const res = await api(m, method, path, body);
        assert.equal(res.status, 403, `${method} ${path}`);
        assert.match(res.json().detail, /only an owner/);
      }
      for (const [path, fields] of [
        ['/settings/household/invites', { role: 'member' }],
        [`/settings/household/members/${v.user.id}/role`, { role: 'member' }],
        [`/settings/household/members/${v.user.id}/remove`, {}],
        ['/settings/household', { name: 'Renamed', baseCurrency: 'EUR', timeZone: 'UTC' }],
      ] as [string, Record<string, string>][]) {
        assert.equal((await m.client.form(path, fields)).status, 403, path);
      }
      const members = await api(o, 'GET', `/api/v1/households/${h}/members`);
      assert.deepEqual(members.json().items.map((x: any) => [x.name, x.role]), [['Otto', 'owner'], ['Max', 'member'], ['Val', 'viewer']]);
      assert.deepEqual((await api(o, 'GET', `/api/v1/households/${h}/invites`)).json().items.filter((i: any) => i.status === 'pending'), []);
    });
  });

  describe('owners', () => {
    it('change roles and remove members in place with htmx, or with a plain form and a redirect', async () => {
      const o = await owner(s.baseUrl, 'Managed', 'Oona');
      const m = await memberOf(s.baseUrl, o, o.householdId, 'member', 'Milo');
      await o.client.get('/settings/household');
      const swapped = await o.client.form(`/settings/household/members/${m.user.id}/role`, { role: 'viewer' }, { headers: { 'hx-request': 'true' } });
      assert.equal(swapped.status, 200);
      assert.match(swapped.text, /^<section id="members">/);
      assert.doesNotMatch(swapped.text, /<html/);
      assert.match(swapped.text, /<option value="viewer" selected>viewer<\/option>/);
      assert.equal((await api(m, 'GET', `/api/v1/households/${o.householdId}`)).json().role, 'viewer');

      const plain = await o.client.form(`/settings/household/members/${m.user.id}/role`, { role: 'member' });
      assert.equal(plain.status, 303);
      assert.equal(plain.location, '/settings/household');
      assert.equal((await api(m, 'GET', `/api/v1/households/${o.householdId}`)).json().role, 'member');

      const bad = await o.client.form(`/settings/household/members/${m.user.id}/role`, { role: 'admin' }, { headers: { 'hx-request': 'true' } });
      assert.equal(bad.status, 200);
      assert.match(bad.text, /Choose owner, member or viewer/);

      const removed = await o.client.form(`/settings/household/members/${m.user.id}/remove`, {}, { headers: { 'hx-request': 'true' } });
      assert.equal(removed.status, 200);
      assert.doesNotMatch(removed.text, /Milo/);
      assert.equal((await api(m, 'GET', `/api/v1/households/${o.householdId}`)).status, 404, 'a removed member loses access at once');
      const home = await m.client.get('/');
      assert.equal(home.status, 303, 'with no household left, home sends them to create one');
    });

    it('can never leave a household without an owner', async () => {
      const o = await owner(s.baseUrl, 'Owned', 'Orla');
      const m = await memberOf(s.baseUrl, o, o.householdId, 'member', 'Mia');
      const h = o.householdId;
      await o.client.get('/settings/household');

      const demote = await api(o, 'PATCH', `/api/v1/households/${h}/members/${o.user.id}`, { role: 'member' });
      assert.equal(demote.status, 409);
      assert.match(demote.json().detail, /at least one owner/);
      assert.equal((await api(o, 'DELETE', `/api/v1/households/${h}/members/${o.user.id}`)).status, 409);
      const leave = await o.client.form('/settings/household/leave', {});
      assert.equal(leave.status, 409);
      assert.match(leave.text, /You are the last owner/);
      const inPlace = await o.client.form(`/settings/household/members/${o.user.id}/role`, { role: 'viewer' }, { headers: { 'hx-request': 'true' } });
      assert.equal(inPlace.status, 200, 'htmx swaps only 2xx, so the message comes as a 200 fragment');
      assert.match(inPlace.text, /This is the last owner/);
      const plainPage = await o.client.form(`/settings/household/members/${o.user.id}/role`, { role: 'viewer' });
      assert.equal(plainPage.status, 409);
      assert.match(plainPage.text, /This is the last owner/);
      assert.equal((await api(o, 'GET', `/api/v1/households/${h}`)).json().role, 'owner');

      // With a second owner, either may step down, but two owners demoting each other at once
      // still leave exactly one owner.
      assert.equal((await api(o, 'PATCH', `/api/v1/households/${h}/members/${m.user.id}`, { role: 'owner' })).status, 200);
      const [a, b] = await Promise.all([
        api(o, 'PATCH', `/api/v1/households/${h}/members/${m.user.id}`, { role: 'member' }),
        api(m, 'PATCH', `/api/v1/households/${h}/members/${o.user.id}`, { role: 'member' }),
      ]);
      // One wins; the other is refused, as no longer an owner (403) or as the last one (409).
      assert.deepEqual([a.status, b.status].filter((x) => x === 200), [200]);
      assert.ok([a.status, b.status].every((x) => [200, 403, 409].includes(x)), `${a.status} ${b.status}`);
      const owners = (await api(o, 'GET', `/api/v1/households/${h}/members`)).json().items.filter((x: any) => x.role === 'owner');
      assert.equal(owners.length, 1);
    });

    it('a member leaves by the API (DELETE their own membership) and an owner once another owner exists', async () => {
      const o = await owner(s.baseUrl, 'Left', 'Ola');
      const m = await memberOf(s.baseUrl, o, o.householdId, 'member', 'Mats');
      const h = o.householdId;
      assert.equal((await api(m, 'DELETE', `/api/v1/households/${h}/members/${m.user.id}`)).status, 204);
      assert.equal((await api(m, 'GET', `/api/v1/households/${h}`)).status, 404);
      const o2 = await memberOf(s.baseUrl, o, h, 'owner', 'Oz');
      await createHousehold(o, 'Ola elsewhere');
      await o.client.form('/households/switch', { householdId: h });
      await o.client.get('/settings/household');
      const leave = await o.client.form('/settings/household/leave', {});
      assert.equal(leave.status, 303);
      const members = (await api(o2, 'GET', `/api/v1/households/${h}/members`)).json().items;
      assert.deepEqual(members.map((x: any) => x.name), ['Oz']);
    });
  });
});
