// Which household a request acts for: Mff-Household (API), the session's choice, the user's
// default, their first membership; never one they do not belong to.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SignJWT } from 'jose';
import { TestClient } from '../../test/support/client.ts';
import { startTestServer, type TestServer } from '../../test/support/server.ts';
import { apiToken, createPat, signUp, type TestUser } from '../../test/support/users.ts';
import { switchHousehold } from './session.ts';

describe('household selection', () => {
  let server: TestServer;
  let client: TestClient;
  let user: TestUser;
  let outsider: TestUser;
  const H1 = crypto.randomUUID();
  const H2 = crypto.randomUUID();
  const FOREIGN = crypto.randomUUID();

  async function household(id: string, name: string, members: [string, string][]) {
    const sql = server.kernel.db.admin;
    await sql`insert into kernel.households (id, name, base_currency, time_zone) values (${id}, ${name}, 'EUR', 'Europe/Paris')`;
    for (const [userId, role] of members) {
      await sql`insert into kernel.memberships (household_id, user_id, role) values (${id}, ${userId}, ${role})`;
      await new Promise((r) => setTimeout(r, 5)); // distinct created_at: "first membership" is well defined
    }
  }
  const current = async (c: TestClient, headers: Record<string, string> = {}, token?: string) => {
    const res = await c.api('GET', '/api/v1/me', undefined, { headers, token });
    assert.equal(res.status, 200, res.text);
    return res.json().currentHousehold as { id: string; role: string } | null;
  };

  before(async () => {
    server = await startTestServer({
      extend: (app, k) => {
        app.post('/test/switch', async (c) => {
          const { householdId } = await c.req.json();
          await switchHousehold(c, k, householdId);
          return c.json({ householdId: c.get('auth')?.householdId, role: c.get('auth')?.role });
        });
      },
    });
    client = new TestClient(server.baseUrl);
    user = await signUp(client);
    outsider = await signUp(new TestClient(server.baseUrl));
    await household(H1, 'First', [[user.id, 'owner']]);
    await household(H2, 'Second', [[user.id, 'viewer']]);
    await household(FOREIGN, 'Foreign', [[outsider.id, 'owner']]);
  });
  after(async () => {
    await server?.close();
  });

  it('with no choice made, the first membership is current', async () => {
    assert.deepEqual(await current(client), { id: H1, name: 'First', role: 'owner', baseCurrency: 'EUR', timeZone: 'Europe/Paris' });
    const me = (await client.api('GET', '/api/v1/me')).json();
    assert.deepEqual(me.households.map((h: { id: string }) => h.id).sort(), [H1, H2].sort());
  });

  it('Mff-Household selects a household the caller belongs to, with its role', async () => {
    assert.equal((await current(client, { 'mff-household': H2 }))?.role, 'viewer');
    const token = await apiToken(server.baseUrl, user.email, user.password);
    assert.equal((await current(new TestClient(server.baseUrl), { 'mff-household': H2 }, token))?.id, H2);
    const pat = await createPat(client, ['read']);
    assert.equal((await current(new TestClient(server.baseUrl), { 'mff-household': H2 }, pat.token))?.id, H2);
  });

  it("Mff-Household naming someone else's household gives no household, not a fallback", async () => {
    assert.equal(await current(client, { 'mff-household': FOREIGN }), null);
    assert.equal(await current(client, { 'mff-household': crypto.randomUUID() }), null);
    const bad = await client.api('GET', '/api/v1/me', undefined, { headers: { 'mff-household': 'nope' } });
    assert.equal(bad.status, 400);
  });

  it('a forged hid claim in a validly signed token still needs membership', async () => {
    const [row] = await server.kernel.db.admin`select family_id from kernel.refresh_tokens where user_id = ${user.id} and revoked_at is null limit 1`;
    const token = await new SignJWT({ sid: row.family_id, hid: FOREIGN }).setProtectedHeader({ alg: 'HS256' }).setSubject(user.id)
      .setIssuer('mff').setAudience('mff').setIssuedAt().setExpirationTime('5m').sign(server.kernel.keys.jwt);
    assert.equal((await current(new TestClient(server.baseUrl), {}, token))?.id, H1); // falls back to a real membership
  });

  it("switching to a household the user is not in is a 404 and changes nothing", async () => {
    const res = await client.api('POST', '/test/switch', { householdId: FOREIGN }, { headers: { 'x-csrf-token': client.csrf } });
    assert.equal(res.status, 404);
    assert.equal((await current(client))?.id, H1);
  });

  it('switching re-issues the access cookie, survives refresh rotation and becomes the default', async () => {
    const res = await client.api('POST', '/test/switch', { householdId: H2 }, { headers: { 'x-csrf-token': client.csrf } });
    assert.equal(res.status, 200);
    assert.deepEqual(res.json(), { householdId: H2, role: 'viewer' });
    assert.equal((await current(client))?.id, H2);
    client.cookies.delete('mff_access'); // force a rotation: the family remembers the choice
    assert.equal((await current(client))?.id, H2);
    const [u] = await server.kernel.db.admin`select default_household_id from kernel.users where id = ${user.id}`;
    assert.equal(u.default_household_id, H2);
    // A new sign-in (API) starts from the default.
    const token = await apiToken(server.baseUrl, user.email, user.password);
    assert.equal((await current(new TestClient(server.baseUrl), {}, token))?.id, H2);
  });

  it('losing a membership takes effect on the next request', async () => {
    await server.kernel.db.admin`delete from kernel.memberships where household_id = ${H2} and user_id = ${user.id}`;
    assert.equal((await current(client))?.id, H1);
    await server.kernel.db.admin`delete from kernel.memberships where household_id = ${H1} and user_id = ${user.id}`;
    assert.equal(await current(client), null);
  });
});
