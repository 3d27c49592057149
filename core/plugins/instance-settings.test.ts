// Instance-wide plugin settings (manifest `instanceSettings`): the instance admin's form at
// /admin/plugins/<id>/settings, secrets sealed at rest and never rendered back, values validated
// against the schema, and the plugin reading them with ctx.instanceSettings.get() in both modes.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { availableModes, createTestKernel, type TestKernel, type TestSession } from '../../plugin-sdk/testing.ts';
import { decryptSecret } from '../secrets.ts';

const KEYED = join(import.meta.dirname, 'fixtures', 'keyed');
const SECRET = 'sk-live-9f8e7d6c5b4a';

for (const mode of await availableModes()) {
  describe(`plugin instance settings (${mode})`, () => {
    let t: TestKernel;
    let admin: TestSession;
    let owner: TestSession;
    const row = async () => (await t.kernel.db.admin`select "values", sealed, row_to_json(s)::text as raw from kernel.plugin_instance_settings s where plugin_id = 'keyed'`)[0];
    const config = async (s: TestSession = admin) => (await s.get('/p/keyed/config')).json();

    before(async () => {
      t = await createTestKernel({ plugins: [{ dir: KEYED, mode }] });
      admin = await t.signUp();
      assert.ok(admin.user.isAdmin, 'the first user is the instance admin');
      owner = await t.join(admin, 'owner');
      assert.equal(owner.user.isAdmin, false);
    });
    after(() => t?.close());

    test('a household owner who is not the instance admin gets 403 on the form and cannot post it', async () => {
      assert.equal((await owner.get('/admin/plugins/keyed/settings')).status, 403);
      const post = await owner.form('/admin/plugins/keyed/settings', { clientId: 'evil', apiSecret: 'stolen-secret-1' });
      assert.equal(post.status, 403);
      assert.equal(await row(), undefined, 'nothing was stored');
      assert.deepEqual(await config(owner), { region: 'eu', pageSize: 100 }, 'the plugin sees only the defaults');
    });

    test('the admin sees the form from the schema; the admin page links to it', async () => {
      const list = await admin.get('/admin/plugins');
      assert.match(list.text, /href="\/admin\/plugins\/keyed\/settings"/);
      const page = await admin.get('/admin/plugins/keyed/settings');
      assert.equal(page.status, 200);
      assert.match(page.text, /name="clientId"/);
      assert.match(page.text, /id="setting-apiSecret" name="apiSecret" type="password"/);
      assert.match(page.text, /data-secret="not-set"/);
    });

    test('invalid values are refused with a message naming the field; nothing is saved', async () => {
      const bad = await admin.form('/admin/plugins/keyed/settings', { clientId: 'Not OK!', apiSecret: 'short', region: 'mars', pageSize: '0' });
      assert.equal(bad.status, 422);
      assert.match(bad.text, /Client ID must be lower-case letters and digits/);
      assert.match(bad.text, /API secret must NOT have fewer than 8 characters/);
      assert.match(bad.text, /Region must be equal to one of the allowed values/);
      assert.match(bad.text, /Page size must be &gt;= 1/);
      assert.ok(!bad.text.includes('value="short"'), 'a typed secret is not echoed back either');
      const missing = await admin.form('/admin/plugins/keyed/settings', { clientId: 'abc' });
      assert.equal(missing.status, 422);
      assert.match(missing.text, /API secret is required/);
      assert.equal(await row(), undefined);
    });

    test('saved: the secret is sealed in the database, never in the page, and the plugin reads it', async () => {
      const saved = await admin.form('/admin/plugins/keyed/settings', { clientId: 'client42', apiSecret: SECRET, region: 'us', pageSize: '250' });
      assert.equal(saved.status, 303);
      const page = await admin.get('/admin/plugins/keyed/settings?saved=1');
      assert.ok(!page.text.includes(SECRET), 'the secret is not in the HTML');
      assert.match(page.text, /data-secret="set"/);
      assert.match(page.text, /name="clientId" type="text" value="client42"/);

      const r = await row();
      assert.ok(!r.raw.includes(SECRET), 'the row holds no plaintext secret');
      assert.deepEqual(r.values, { clientId: 'client42', region: 'us', pageSize: 250 });
      assert.match(r.sealed.apiSecret, /^v1\./);
      assert.equal(decryptSecret(r.sealed.apiSecret, [t.kernel.keys.encryption]), SECRET);
      assert.throws(() => decryptSecret(r.sealed.apiSecret, [{ id: t.kernel.keys.encryption.id, key: randomBytes(32) }]), 'another key cannot open it');

      assert.deepEqual(await config(), { clientId: 'client42', apiSecret: SECRET, region: 'us', pageSize: 250 });
      assert.deepEqual(await config(owner), await config(), 'the same for every household');
    });

    test('an empty secret field keeps the stored secret; a typed one replaces it; remove clears an optional one', async () => {
      assert.equal((await admin.form('/admin/plugins/keyed/settings', { clientId: 'client43', apiSecret: '', webhookSecret: 'whsec-1' })).status, 303);
      let seen = await config();
      assert.equal(seen.apiSecret, SECRET, 'kept');
      assert.equal(seen.clientId, 'client43');
      assert.equal(seen.webhookSecret, 'whsec-1');
      assert.equal(seen.region, 'eu', 'a field left empty falls back to its default');
      const page = await admin.get('/admin/plugins/keyed/settings');
      assert.match(page.text, /name="webhookSecret__clear"/, 'an optional secret can be removed');
      assert.ok(!page.text.includes('name="apiSecret__clear"'), 'a required one cannot');

      assert.equal((await admin.form('/admin/plugins/keyed/settings', { clientId: 'client43', apiSecret: 'replaced-secret-2', webhookSecret: '', webhookSecret__clear: 'on' })).status, 303);
      seen = await config();
      assert.equal(seen.apiSecret, 'replaced-secret-2');
      assert.equal('webhookSecret' in seen, false);
      assert.deepEqual(Object.keys((await row()).sealed), ['apiSecret']);
    });

    test('the same over the API: admins only, field errors, secrets shown only as set', async () => {
      const path = '/api/v1/admin/plugins/keyed/settings';
      assert.equal((await owner.api('GET', path)).status, 403);
      assert.equal((await owner.api('PUT', path, { values: { clientId: 'x' } })).status, 403);
      const bad = await admin.api('PUT', path, { values: { clientId: 'Nope!', pageSize: 9999, colour: 'red' } });
      assert.equal(bad.status, 400);
      assert.deepEqual(bad.json().errors, [{ field: 'colour', message: "is not a field of this plugin's instance settings" }]);
      const invalid = await admin.api('PUT', path, { values: { clientId: 'Nope!', pageSize: 9999 } });
      assert.equal(invalid.status, 400);
      assert.deepEqual(invalid.json().errors.map((e: { field: string; message: string }) => `${e.field}: ${e.message}`).sort(), [
        'clientId: Client ID must be lower-case letters and digits',
        'pageSize: Page size must be <= 500',
      ]);
      const ok = await admin.api('PUT', path, { values: { clientId: 'apiclient', pageSize: 7, webhookSecret: 'whsec-api-secret' } });
      assert.equal(ok.status, 200, ok.text);
      assert.ok(!ok.text.includes('whsec-api-secret') && !ok.text.includes('replaced-secret-2'), 'no secret in the answer');
      assert.deepEqual(ok.json(), {
        plugin: 'keyed',
        values: { clientId: 'apiclient', pageSize: 7, region: 'eu' },
        secrets: [{ name: 'apiSecret', set: true }, { name: 'webhookSecret', set: true }],
      });
      assert.deepEqual(await config(), { clientId: 'apiclient', apiSecret: 'replaced-secret-2', webhookSecret: 'whsec-api-secret', region: 'eu', pageSize: 7 });
      const cleared = await admin.api('PUT', path, { values: { clientId: 'apiclient' }, clearSecrets: ['webhookSecret'] });
      assert.deepEqual(cleared.json().secrets, [{ name: 'apiSecret', set: true }, { name: 'webhookSecret', set: false }]);
      assert.equal((await admin.api('PUT', path, { values: { clientId: 'apiclient' }, clearSecrets: ['apiSecret'] })).json().errors[0].message, 'API secret is required');
    });
  });
}
