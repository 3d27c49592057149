// Household isolation over HTTP: for every households endpoint that takes an id, someone from
// household B gets 404 for household A's household, members and invites (read, update, delete),
// through the pages and the API, exactly as for an id that does not exist, and nothing changes.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../../test/support/server.ts';
import { createPat } from '../../test/support/users.ts';
import { api, memberOf, owner, type Person } from './test-helpers.ts';

describe('households: isolation between households over HTTP', () => {
  let s: TestServer;
  let alice: Person & { householdId: string };
  let amy: Person;
  let bob: Person & { householdId: string };
  let A: string;
  let B: string;
  let inviteA: string;
  let inviteB: string;

  before(async () => {
    s = await startTestServer();
    alice = await owner(s.baseUrl, 'Household A', 'Alice');
    amy = await memberOf(s.baseUrl, alice, alice.householdId, 'member', 'Amy');
    bob = await owner(s.baseUrl, 'Household B', 'Bob');
    A = alice.householdId;
    B = bob.householdId;
    inviteA = (await api(alice, 'POST', `/api/v1/households/${A}/invites`, { role: 'viewer' })).json().id;
    inviteB = (await api(bob, 'POST', `/api/v1/households/${B}/invites`, { role: 'viewer' })).json().id;
    assert.ok(inviteA && inviteB);
  });
  after(async () => { await s?.close(); });

  const apiCalls = (): [string, string, unknown?][] => [
    ['GET', `/api/v1/households/${A}`],
    ['PATCH', `/api/v1/households/${A}`, { name: 'Taken over' }],
    ['GET', `/api/v1/households/${A}/members`],
    ['PATCH', `/api/v1/households/${A}/members/${amy.user.id}`, { role: 'viewer' }],
    ['PATCH', `/api/v1/households/${B}/members/${amy.user.id}`, { role: 'viewer' }],
    ['PATCH', `/api/v1/households/${A}/members/${alice.user.id}`, { role: 'viewer' }],
    ['DELETE', `/api/v1/households/${A}/members/${amy.user.id}`],
    ['DELETE', `/api/v1/households/${B}/members/${amy.user.id}`],
    ['DELETE', `/api/v1/households/${A}/members/${bob.user.id}`],
    ['GET', `/api/v1/households/${A}/invites`],
    ['POST', `/api/v1/households/${A}/invites`, { role: 'owner' }],
    ['DELETE', `/api/v1/households/${A}/invites/${inviteA}`],
    ['DELETE', `/api/v1/households/${B}/invites/${inviteA}`],
  ];

  it('the API answers 404 for every household-A object to an owner of B', async () => {
    for (const [method, path, body] of apiCalls()) {
      const res = await api(bob, method, path, body);
      assert.equal(res.status, 404, `${method} ${path}: ${res.text}`);
      assert.equal(res.headers.get('content-type'), 'application/problem+json');
    }
  });

  it('also with a personal access token, and with Mff-Household naming A', async () => {
    const { token } = await createPat(bob.client);
    for (const [method, path, body] of apiCalls()) {
      for (const headers of [{}, { 'mff-household': A }] as Record<string, string>[]) {
        const res = await bob.client.api(method, path, body, { token, headers });
        assert.equal(res.status, 404, `${method} ${path} ${JSON.stringify(headers)}: ${res.text}`);
      }
    }
  });

  it("A's real id and an id that exists nowhere get the very same answer", async () => {
    const ghost = randomUUID();
    for (const [method, path, body] of apiCalls()) {
      const real = await api(bob, method, path, body);
      const fake = await api(bob, method, path.replace(A, ghost).replace(amy.user.id, ghost).replace(inviteA, ghost), body);
      assert.deepEqual([fake.status, fake.json().title, fake.json().detail], [real.status, real.json().title, real.json().detail], path);
    }
    const malformed = await api(bob, 'GET', '/api/v1/households/not-a-uuid');
    assert.equal(malformed.status, 404);
  });

  it('the pages answer 404 for household-A objects to an owner of B', async () => {
    await bob.client.get('/settings/household');
    const posts: [string, Record<string, string>][] = [
      ['/households/switch', { householdId: A }],
      ['/households/switch', { householdId: 'not-a-uuid' }],
      [`/settings/household/members/${amy.user.id}/role`, { role: 'viewer' }],
      [`/settings/household/members/${alice.user.id}/role`, { role: 'viewer' }],
      [`/settings/household/members/${amy.user.id}/remove`, {}],
      [`/settings/household/members/${alice.user.id}/remove`, {}],
      [`/settings/household/invites/${inviteA}/revoke`, {}],
    ];
    for (const [path, fields] of posts) {
      for (const headers of [{}, { 'hx-request': 'true' }] as Record<string, string>[]) {
        const res = await bob.client.form(path, fields, { headers });
        assert.equal(res.status, 404, `${path} ${JSON.stringify(headers)}`);
        assert.doesNotMatch(res.text, /Household A|Amy|Alice/);
      }
    }
  });

  it("nothing of A changed, B's own objects still work, and A's data never showed in B's pages", async () => {
    const h = await api(alice, 'GET', `/api/v1/households/${A}`);
    assert.equal(h.json().name, 'Household A');
    const members = await api(alice, 'GET', `/api/v1/households/${A}/members`);
    assert.deepEqual(members.json().items.map((m: any) => [m.name, m.role]), [['Alice', 'owner'], ['Amy', 'member']]);
    const invites = await api(alice, 'GET', `/api/v1/households/${A}/invites`);
    // Newest first: the viewer invite, then the one Amy accepted. No invite was added or revoked.
    assert.deepEqual(invites.json().items.map((i: any) => [i.id, i.status]).slice(0, 1), [[inviteA, 'pending']]);
    assert.deepEqual(invites.json().items.map((i: any) => i.status), ['pending', 'accepted']);

    const bobsPage = await bob.client.get('/settings/household');
    assert.match(bobsPage.text, /Household B/);
    assert.doesNotMatch(bobsPage.text, /Household A|Amy|Alice/);
    const bobsList = await api(bob, 'GET', '/api/v1/households');
    assert.deepEqual(bobsList.json().items.map((x: any) => x.id), [B]);
    const revoke = await api(bob, 'DELETE', `/api/v1/households/${B}/invites/${inviteB}`);
    assert.equal(revoke.status, 204);
  });
});
