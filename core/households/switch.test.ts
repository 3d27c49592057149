// Switching households: only to one of yours, and every page then shows the selected one alone.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../../test/support/server.ts';
import { api, createHousehold, join, memberOf, owner, type Person } from './test-helpers.ts';

describe('households: switching', () => {
  let s: TestServer;
  let pat: Person & { householdId: string }; // owner of "Home", member of "Work"
  let W: string;
  let walt: Person & { householdId: string };
  let stranger: Person & { householdId: string };
  before(async () => {
    s = await startTestServer();
    pat = await owner(s.baseUrl, 'Home', 'Pat');
    await memberOf(s.baseUrl, pat, pat.householdId, 'viewer', 'Hugo');
    walt = await owner(s.baseUrl, 'Work', 'Walt');
    W = walt.householdId;
    await join(walt, W, pat, 'member');
    await memberOf(s.baseUrl, walt, W, 'member', 'Wendy');
    stranger = await owner(s.baseUrl, 'Elsewhere', 'Stan');
  });
  after(async () => { await s?.close(); });

  const settings = async () => (await pat.client.get('/settings/household')).text;

  it('accepting an invite selected the new household; the switcher lists both', async () => {
    const home = await pat.client.get('/');
    assert.match(home.text, /<h1>Work<\/h1>/);
    assert.match(home.text, /name="householdId"/);
    assert.match(home.text, new RegExp(`<option value="${pat.householdId}" >Home</option>`));
    assert.match(home.text, new RegExp(`<option value="${W}" selected>Work</option>`));
  });

  it("shows each household's members and invites only while it is selected", async () => {
    let page = await settings();
    assert.match(page, /Wendy/);
    assert.doesNotMatch(page, /Hugo/);
    assert.match(page, /you are <strong>member<\/strong>/);

    const res = await pat.client.form('/households/switch', { householdId: pat.householdId });
    assert.equal(res.status, 303);
    assert.equal(res.location, '/');
    assert.match((await pat.client.get('/')).text, /<h1>Home<\/h1>/);
    page = await settings();
    assert.match(page, /Hugo/);
    assert.doesNotMatch(page, /Wendy/);
    assert.match(page, /you are <strong>owner<\/strong>/);

    // An invite made now belongs to Home, not Work.
    const made = await pat.client.form('/settings/household/invites', { role: 'member' });
    assert.equal(made.status, 200);
    const homeInvites = (await api(pat, 'GET', `/api/v1/households/${pat.householdId}/invites`)).json().items;
    const workInvites = (await api(walt, 'GET', `/api/v1/households/${W}/invites`)).json().items;
    assert.equal(homeInvites.filter((i: any) => i.status === 'pending').length, 1);
    assert.equal(workInvites.filter((i: any) => i.status === 'pending').length, 0);
  });

  it('the role follows the selected household: owner in Home, member in Work', async () => {
    await pat.client.form('/households/switch', { householdId: W });
    await pat.client.get('/settings/household');
    const rename = await pat.client.form('/settings/household', { name: 'Mine', baseCurrency: 'EUR', timeZone: 'UTC' });
    assert.equal(rename.status, 403);
    await pat.client.form('/households/switch', { householdId: pat.householdId });
    await pat.client.get('/settings/household');
    const ok = await pat.client.form('/settings/household', { name: 'Home sweet home', baseCurrency: 'EUR', timeZone: 'UTC' });
    assert.equal(ok.status, 303);
    assert.equal((await api(walt, 'GET', `/api/v1/households/${W}`)).json().name, 'Work');
  });

  it('switching to a household you are not in is a 404 and changes nothing', async () => {
    await pat.client.get('/');
    for (const householdId of [stranger.householdId, randomUUID(), 'garbage', '']) {
      const res = await pat.client.form('/households/switch', { householdId });
      assert.equal(res.status, 404, householdId);
      assert.doesNotMatch(res.text, /Elsewhere/);
    }
    assert.match((await pat.client.get('/')).text, /<h1>Home sweet home<\/h1>/);
  });

  it('with htmx, switching answers with HX-Redirect', async () => {
    const res = await pat.client.form('/households/switch', { householdId: W }, { headers: { 'hx-request': 'true' } });
    assert.equal(res.status, 204);
    assert.equal(res.headers.get('hx-redirect'), '/');
    assert.match((await pat.client.get('/')).text, /<h1>Work<\/h1>/);
  });

  it('creating another household selects it', async () => {
    await createHousehold(pat, 'Third');
    assert.match((await pat.client.get('/')).text, /<h1>Third<\/h1>/);
    const mine = (await api(pat, 'GET', '/api/v1/households')).json().items.map((h: any) => [h.name, h.role]);
    assert.deepEqual(mine, [['Home sweet home', 'owner'], ['Third', 'owner'], ['Work', 'member']]);
  });
});
