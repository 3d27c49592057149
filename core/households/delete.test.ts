// Deleting a household: owners only, after typing its name; every plugin is told first (once, with
// the household's id), then the household's rows go from kernel and plugin tables alike (a
// plugin whose tables have no foreign key to the kernel included), and nobody else's.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { availableModes, createTestKernel, type TestKernel, type TestSession } from '../../plugin-sdk/testing.ts';

const root = join(import.meta.dirname, '../..');

for (const mode of await availableModes()) {
  describe(`household deletion (farewell ${mode})`, () => {
    let t: TestKernel;
    let fake: Server;
    const told: string[] = [];
    let alice: TestSession; // owner
    let bob: TestSession; // member of Alice's household
    let vera: TestSession; // viewer of Alice's household
    let carol: TestSession; // another household

    const count = async (table: string, householdId: string) =>
      (await t.kernel.db.admin.unsafe(`select count(*)::int as n from ${table} where household_id = $1`, [householdId]))[0].n as number;
    const keep = async (who: TestSession) => assert.equal((await who.htmx('POST', '/p/farewell/keep')).status, 200);
    const account = async (who: TestSession) =>
      assert.equal((await who.api('POST', '/api/v1/ledger/accounts', { name: 'Checking', type: 'depository', currency: 'EUR' })).status, 201);

    before(async () => {
      fake = createServer((req, res) => {
        told.push(`${req.method} ${req.url}`);
        res.end('ok');
      });
      await new Promise<void>((r) => fake.listen(0, '127.0.0.1', () => r()));
      t = await createTestKernel({
        plugins: [{ dir: join(root, 'plugins/ledger') }, { dir: join(import.meta.dirname, '../plugins/fixtures/farewell'), mode }],
        hosts: { 'farewell.test': `http://127.0.0.1:${(fake.address() as { port: number }).port}` },
      });
      alice = await t.signUp({ household: { name: 'Alice & co' } });
      bob = await t.join(alice, 'member');
      vera = await t.join(alice, 'viewer');
      carol = await t.signUp({ household: { name: 'Carol home' } });
      for (const who of [alice, carol]) {
        await keep(who);
        await account(who);
      }
    });
    after(async () => {
      await t?.close();
      fake?.close();
    });

    test('a member or a viewer is refused with 403 and the household stays', async () => {
      for (const who of [bob, vera]) {
        const res = await who.api('DELETE', `/api/v1/households/${alice.householdId}`, { confirm: 'Alice & co' });
        assert.equal(res.status, 403, res.text);
        assert.match(res.json().detail, /only an owner of this household can delete it/);
      }
      const page = await bob.form('/settings/household/delete', { confirm: 'Alice & co' });
      assert.equal(page.status, 403);
      assert.match(page.text, /only an owner of this household can delete it/);
      assert.doesNotMatch((await bob.get('/settings/household')).text, /id="delete-household"/, 'members see no delete form');
      assert.equal((await alice.api('GET', `/api/v1/households/${alice.householdId}`)).status, 200);
      assert.deepEqual(told, []);
    });

    test('a wrong confirmation is refused with a message saying what to type; nothing is deleted and no plugin is told', async () => {
      const res = await alice.api('DELETE', `/api/v1/households/${alice.householdId}`, { confirm: 'alice & co' });
      assert.equal(res.status, 422, res.text);
      assert.equal(res.json().detail, 'To delete this household, type its name exactly as shown: Alice & co');
      const page = await alice.form('/settings/household/delete', { confirm: 'Alice' });
      assert.equal(page.status, 422);
      assert.match(page.text, /<p class="error" role="alert">To delete this household, type its name exactly as shown: Alice &amp; co<\/p>/);
      assert.equal((await alice.api('DELETE', `/api/v1/households/${alice.householdId}`, {})).status, 400, 'confirm is required');
      assert.deepEqual(told, []);
      assert.equal(await count('farewell.keepsakes', alice.householdId), 1);
    });

    test("the owner deletes it: each plugin's hook is called once with the id, every row goes, members lose access, other households keep theirs", async () => {
      const id = alice.householdId;
      assert.match((await alice.get('/settings/household')).text, /id="delete-household"[\s\S]*Type <strong>Alice &amp; co<\/strong> to confirm/);
      const res = await alice.api('DELETE', `/api/v1/households/${id}`, { confirm: 'Alice & co' });
      assert.equal(res.status, 204, res.text);
      // The hook ran while its rows were still there, once.
      assert.deepEqual(told, [`POST /deleted/${id}?rows=1`]);
      for (const table of ['farewell.keepsakes', 'farewell.keepsake_notes', 'ledger.accounts', 'ledger.categories', 'kernel.memberships', 'kernel.invites']) {
        assert.equal(await count(table, id), 0, `${table} keeps no row of the deleted household`);
      }
      assert.equal((await t.kernel.db.admin`select count(*)::int as n from kernel.households where id = ${id}`)[0].n, 0);
      for (const who of [alice, bob, vera]) {
        assert.equal((await who.api('GET', `/api/v1/households/${id}`)).status, 404);
        assert.ok(!(await who.api('GET', '/api/v1/households')).json().items.some((h: { id: string }) => h.id === id));
      }
      assert.equal((await bob.get('/p/farewell/count', { accept: 'application/json' })).status, 303, 'no household left to act in');
      // Carol's household is untouched.
      assert.equal(await count('farewell.keepsakes', carol.householdId), 1);
      assert.equal(await count('farewell.keepsake_notes', carol.householdId), 1);
      assert.equal((await carol.get('/p/farewell/count')).json().n, 2);
      assert.equal((await carol.api('GET', '/api/v1/ledger/accounts')).json().items.length, 1);
      // The plugin's own trigger ran with the plugin's rights. Sandboxed, that is its runtime role
      // (the app role, whose rights reach kernel.users, has none on its tables); in-process the
      // plugin is the app role's, as all its statements are.
      const deleters = (await t.kernel.db.admin`select distinct role from farewell.deleters`).map((r) => r.role as string);
      if (mode === 'sandboxed') {
        assert.equal(deleters.length, 1, `one role deleted: ${deleters}`);
        assert.match(deleters[0], /^mff_p_farewell/);
        const [rights] = await t.kernel.db.admin`select has_schema_privilege('mff_app', 'farewell', 'usage') as usage,
          has_table_privilege('mff_app', 'farewell.keepsakes', 'select, delete') as tables`;
        assert.deepEqual({ ...rights }, { usage: false, tables: false });
      } else {
        assert.deepEqual(deleters, ['mff_app']);
      }
    });

    test('the settings page form deletes the household and leads to creating another', async () => {
      const dave = await t.signUp({ household: { name: 'Dave <home>' } });
      const res = await dave.form('/settings/household/delete', { confirm: 'Dave <home>' });
      assert.equal(res.status, 303, res.text);
      assert.equal(res.location, '/households/new');
      assert.equal((await dave.api('GET', '/api/v1/households')).json().items.length, 0);
      assert.ok(told.includes(`POST /deleted/${dave.householdId}?rows=0`));
    });
  });
}
