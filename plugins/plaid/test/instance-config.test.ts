// Plaid's keys are the instance's: the instance admin enters them once on the kernel's form for the
// plugin's instanceSettings (/admin/plugins/plaid/settings), every household connects through them.
// Others get 403; bad values are refused naming the field; the secret stays sealed and unshown; the
// SDK inside the (sandboxed) plugin presents the configured client id to Plaid, and a change takes
// effect at once.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestKernel, type TestKernel, type TestSession } from '../../../plugin-sdk/testing.ts';
import { FakePlaid } from '../fake/index.ts';
import { LEDGER_DIR, PLAID_DIR } from './support/app.ts';

const mode = (process.env.MFF_TEST_PLUGIN_MODES?.split(',')[0] ?? 'sandboxed') as 'sandboxed' | 'in-process';
const FORM = '/admin/plugins/plaid/settings';

describe(`plaid instance configuration (${mode})`, () => {
  let fake: FakePlaid;
  let t: TestKernel;
  let admin: TestSession;
  let bob: TestSession;
  const linkTokenCalls = () => fake.requests.filter((r) => r.path === '/link/token/create');

  before(async () => {
    fake = await FakePlaid.start({ seed: 'instance-config', clientId: 'mffclient0042', secret: 'sandbox-secret-4711' });
    t = await createTestKernel({
      plugins: [{ dir: LEDGER_DIR, mode: 'in-process' }, { dir: PLAID_DIR, mode }],
      config: { MFF_PLUGIN_FETCH_ALLOW_PRIVATE: true },
    }).catch(async (err) => {
      await fake.close();
      throw err;
    });
    admin = await t.signUp();
    assert.ok(admin.user.isAdmin);
    bob = await t.signUp({ household: { name: 'Bob', baseCurrency: 'USD' } });
    assert.equal(bob.user.isAdmin, false);
  });
  after(async () => {
    await t?.close();
    await fake?.close();
  });

  test('before the admin sets it up, households are told who sets Plaid up, and Link does not open', async () => {
    const page = await bob.get('/p/plaid/');
    assert.equal(page.status, 200);
    assert.match(page.text, /Plaid is not set up on this instance yet: the client ID and the secret are missing\./);
    assert.match(page.text, /href="\/admin\/plugins\/plaid\/settings"/);
    assert.doesNotMatch(page.text, /name="secret"/, 'no household form for the secret any more');
    const link = await bob.get('/p/plaid/link');
    assert.equal(link.status, 303);
    assert.equal(linkTokenCalls().length, 0);
  });

  test('a household owner who is not the instance admin gets 403 on the settings form', async () => {
    assert.equal((await bob.get(FORM)).status, 403);
    assert.equal((await bob.form(FORM, { clientId: 'bobsclient01', secret: 'bobs-secret-01' })).status, 403);
    const [row] = await t.kernel.db.admin`select 1 from kernel.plugin_instance_settings where plugin_id = 'plaid'`;
    assert.equal(row, undefined);
  });

  test('invalid values are refused with a message naming the field', async () => {
    const res = await admin.form(FORM, { clientId: 'not a client id', secret: 'x', environment: 'staging', webhookUrl: 'money.example.com', baseUrl: '' });
    assert.equal(res.status, 422);
    assert.match(res.text, /Plaid client ID must be the 8 to 64 letters and digits Plaid shows as client_id/);
    assert.match(res.text, /Plaid secret must be the 8 to 200 letters and digits Plaid shows as the secret/);
    assert.match(res.text, /Plaid environment must be equal to one of the allowed values/);
    assert.match(res.text, /Public address of this mff must be an address like https:\/\/money\.example\.com/);
  });

  test('the admin saves the keys: sealed in the database, never shown, used by every household', async () => {
    const saved = await admin.form(FORM, { clientId: fake.clientId, secret: fake.secret, environment: 'sandbox', webhookUrl: t.baseUrl, baseUrl: fake.url });
    assert.equal(saved.status, 303);
    const form = await admin.get(FORM);
    assert.ok(!form.text.includes(fake.secret), 'the secret is not in the form');
    assert.match(form.text, /data-secret="set"/);
    const [row] = await t.kernel.db.admin`select row_to_json(s)::text as raw from kernel.plugin_instance_settings s where plugin_id = 'plaid'`;
    assert.ok(row.raw.includes(fake.clientId));
    assert.ok(!row.raw.includes(fake.secret), 'the secret is sealed at rest');

    // Bob's household (not the admin's) connects through the instance's Plaid account.
    const from = linkTokenCalls().length;
    const link = await bob.get('/p/plaid/link');
    assert.equal(link.status, 200, link.text.slice(0, 300));
    assert.match(link.text, /name="link_token" value="link-sandbox-/);
    const calls = linkTokenCalls().slice(from);
    assert.deepEqual(calls.map((c) => [c.status, c.clientId]), [[200, 'mffclient0042']], 'the link-token call reached the fake with the configured client id');
    assert.ok(!(await bob.get('/p/plaid/')).text.includes(fake.secret));
  });

  test('a new client id takes effect at once; leaving the secret empty keeps it', async () => {
    assert.equal((await admin.form(FORM, { clientId: 'otherclient77', secret: '', environment: 'sandbox', webhookUrl: t.baseUrl, baseUrl: fake.url })).status, 303);
    const from = linkTokenCalls().length;
    const link = await bob.get('/p/plaid/link');
    assert.equal(link.status, 502, 'the fake refuses a client id it does not know');
    assert.match(link.text, /INVALID_API_KEYS/);
    assert.deepEqual(linkTokenCalls().slice(from).map((c) => c.clientId), ['otherclient77']);
    // Back to the right one, secret still kept: Link opens again.
    assert.equal((await admin.form(FORM, { clientId: fake.clientId, secret: '', environment: 'sandbox', webhookUrl: t.baseUrl, baseUrl: fake.url })).status, 303);
    assert.equal((await bob.get('/p/plaid/link')).status, 200);
  });
});
