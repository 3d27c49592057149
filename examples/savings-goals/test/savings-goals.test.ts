// The example plugin's own tests, written as a third-party author would: only the SDK's harness.
// Each runs in every mode this build supports (in-process, and sandboxed when the sandbox exists).
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { availableModes, createTestKernel, pluginDir, type TestKernel, type TestSession } from '../../../plugin-sdk/testing.ts';

// A stand-in for api.frankfurter.app on loopback, speaking its wire format.
async function fakeRates(): Promise<{ server: Server; url: string; requests: string[] }> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(req.url ?? '');
    const u = new URL(req.url ?? '/', 'http://x');
    const from = u.searchParams.get('from');
    const to = u.searchParams.get('to') ?? 'EUR';
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ amount: 1, base: from, date: '2025-01-02', rates: { [to]: from === 'USD' ? 0.9123 : 1.5 } }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, requests };
}

for (const mode of await availableModes()) {
  describe(`savings-goals (${mode})`, () => {
    let t: TestKernel;
    let rates: Awaited<ReturnType<typeof fakeRates>>;
    let alice: TestSession;

    before(async () => {
      rates = await fakeRates();
      t = await createTestKernel({
        plugins: [{ dir: pluginDir(import.meta.url), mode }],
        hosts: { 'api.frankfurter.app': rates.url },
      });
      alice = await t.signUp({ household: { name: 'Alice & Bob', baseCurrency: 'EUR' } });
    });
    after(async () => {
      await t?.close();
      rates?.server.close();
    });

    test('its pages need a signed-in user', async () => {
      const anonymous = await fetch(`${t.baseUrl}/p/savings-goals/`, { redirect: 'manual', headers: { accept: 'text/html' } });
      assert.equal(anonymous.status, 303);
      assert.match(anonymous.headers.get('location') ?? '', /^\/login/);
    });

    test('a goal created with the form is listed, its name escaped, inside the kernel layout', async () => {
      const page = await alice.get('/p/savings-goals/');
      assert.equal(page.status, 200);
      assert.match(page.text, /<title>Savings goals · mff<\/title>/);
      const res = await alice.form('/p/savings-goals/goals', { name: 'Bike <script>alert(1)</script>', target: '500', currency: 'EUR', targetDate: '' });
      assert.equal(res.status, 303);
      assert.equal(res.location, '/p/savings-goals/');
      const list = await alice.get('/p/savings-goals/');
      assert.match(list.text, /Bike &lt;script&gt;alert\(1\)&lt;\/script&gt;/);
      assert.doesNotMatch(list.text, /<script>alert/);
    });

    test('a form post without the CSRF token is refused before the plugin sees it', async () => {
      const res = await alice.client.form('/p/savings-goals/goals', { name: 'Sneaky', target: '1' }, { csrf: false });
      assert.equal(res.status, 403);
      const { goals } = (await alice.api('GET', '/api/v1/savings-goals/goals')).json();
      assert.ok(!goals.some((g: { name: string }) => g.name === 'Sneaky'));
    });

    test('invalid form input re-renders with field errors (422)', async () => {
      const res = await alice.form('/p/savings-goals/goals', { name: '', target: '-3' });
      assert.equal(res.status, 422);
      assert.match(res.text, /Name is required/);
      assert.match(res.text, /Target must be an amount/);
    });

    test('the API creates and lists goals, validates input, and is in the OpenAPI document', async () => {
      const created = await alice.api('POST', '/api/v1/savings-goals/goals', { name: 'Trip', target: '1200.50', currency: 'USD' });
      assert.equal(created.status, 201);
      assert.equal(created.json().target, '1200.50');
      assert.equal(created.json().saved, '0.00');
      const bad = await alice.api('POST', '/api/v1/savings-goals/goals', { name: 'X', target: 12 });
      assert.equal(bad.status, 400);
      assert.ok(bad.json().errors.some((e: { field: string }) => e.field === 'body.target'));
      const list = await alice.api('GET', '/api/v1/savings-goals/goals');
      assert.ok(list.json().goals.some((g: { name: string }) => g.name === 'Trip'));
      const doc = (await alice.api('GET', '/api/v1/openapi.json')).json();
      assert.ok(doc.paths['/api/v1/savings-goals/goals']?.post, 'POST /api/v1/savings-goals/goals documented');
      assert.ok(doc.paths['/api/v1/savings-goals/goals/{id}/deposits']?.post);
    });

    test('an htmx deposit swaps the goal row; reaching the target shows the household-configured message', async () => {
      const goal = (await alice.api('POST', '/api/v1/savings-goals/goals', { name: 'Laptop', target: '100' })).json();
      await alice.get('/p/savings-goals/');
      const partial = await alice.htmx('POST', `/p/savings-goals/goals/${goal.id}/deposit`, { amount: '40.25' });
      assert.equal(partial.status, 200);
      assert.match(partial.text, new RegExp(`id="p-savings-goals-goal-${goal.id}"`));
      assert.doesNotMatch(partial.text, /<html/);
      assert.match(partial.text, /40\.25/);
      const done = await alice.htmx('POST', `/p/savings-goals/goals/${goal.id}/deposit`, { amount: '59.75' });
      assert.match(done.text, /Goal reached!/);
      assert.match(done.text, /value="100"/);
    });

    test('settings are a kernel-rendered form per household, and the plugin reads them', async () => {
      const form = await alice.get('/settings/plugins/savings-goals');
      assert.equal(form.status, 200);
      assert.match(form.text, /name="cardLimit"/);
      const bad = await alice.form('/settings/plugins/savings-goals', { cardLimit: '99', celebrate: 'Yay' });
      assert.equal(bad.status, 422);
      const ok = await alice.form('/settings/plugins/savings-goals', { cardLimit: '1', celebrate: 'Well done, you!' });
      assert.equal(ok.status, 303);
      const card = await alice.get('/p/savings-goals/_slot/home.card', { 'hx-request': 'true' });
      assert.equal((card.text.match(/<li>/g) ?? []).length, 1, 'the card shows only cardLimit goals');
      const goal = (await alice.api('POST', '/api/v1/savings-goals/goals', { name: 'Tiny', target: '1' })).json();
      const reached = await alice.htmx('POST', `/p/savings-goals/goals/${goal.id}/deposit`, { amount: '1' });
      assert.match(reached.text, /Well done, you!/);
    });

    test('the home page loads the card lazily with htmx', async () => {
      const home = await alice.get('/');
      assert.match(home.text, /hx-get="\/p\/savings-goals\/_slot\/home.card"/);
      assert.match(home.text, /hx-trigger="load"/);
      const card = await alice.get('/p/savings-goals/_slot/home.card', { 'hx-request': 'true' });
      assert.equal(card.status, 200);
      assert.match(card.text, /<progress/);
    });

    test('the nightly schedule snapshots every goal, valuing foreign ones at the declared host\'s rate', async () => {
      await t.runSchedule('savings-goals', 'nightly', alice.householdId);
      const rows = await t.asHousehold(alice.householdId, (tx) =>
        tx`select g.name, s.saved::text, s.saved_base::text from "savings_goals".snapshots s join "savings_goals".goals g on g.id = s.goal_id order by g.name`);
      const trip = rows.find((r) => r.name === 'Trip');
      assert.ok(trip, 'the USD goal has a snapshot');
      assert.equal(trip.saved, '0.00');
      assert.equal(trip.saved_base, '0.00');
      const laptop = rows.find((r) => r.name === 'Laptop');
      assert.equal(laptop?.saved_base, '100.00', 'EUR goals are valued at 1');
      assert.ok(rates.requests.some((u) => u.includes('from=USD') && u.includes('to=EUR')));
    });

    test("another household sees none of these goals", async () => {
      const carol = await t.signUp({ household: { name: 'Carol' } });
      const list = await carol.api('GET', '/api/v1/savings-goals/goals');
      assert.equal(list.status, 200);
      assert.deepEqual(list.json().goals, []);
      const { goals } = (await alice.api('GET', '/api/v1/savings-goals/goals')).json();
      const deposit = await carol.api('POST', `/api/v1/savings-goals/goals/${goals[0].id}/deposits`, { amount: '1' });
      assert.equal(deposit.status, 404);
    });

    test('before a household is deleted, the plugin removes its goals (and only that household\'s)', async () => {
      const dave = await t.signUp({ household: { name: 'Dave' } });
      await dave.api('POST', '/api/v1/savings-goals/goals', { name: 'Boat', target: '9000' });
      await t.kernel.plugins.householdDeleting(dave.householdId);
      assert.deepEqual((await dave.api('GET', '/api/v1/savings-goals/goals')).json().goals, []);
      assert.ok((await alice.api('GET', '/api/v1/savings-goals/goals')).json().goals.length > 0);
    });
  });
}
