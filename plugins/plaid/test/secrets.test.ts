// Access tokens (and the Plaid secret) at rest and in logs: nowhere in the database in the clear —
// every row of every table is searched, the kernel's sealed value opens only with the instance's
// key — and never in a log line, at debug level, over the whole life of a connection: link, sync,
// webhooks, update mode, removal.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { setLogLevel } from '../../../core/log.ts';
import { decryptSecret } from '../../../core/secrets.ts';
import { connectBank, startPlaidApp, syncSettled, type PlaidApp } from './support/app.ts';

const mode = (process.env.MFF_TEST_PLUGIN_MODES?.split(',')[0] ?? 'sandboxed') as 'sandboxed' | 'in-process';

describe(`plaid secrets (${mode})`, () => {
  let app: PlaidApp;
  let itemId: string;
  let token: string;
  let logged = '';
  const writes = { out: process.stdout.write, err: process.stderr.write };

  before(async () => {
    // Everything written to stdout/stderr from here on (the kernel's and the plugin's logs, the
    // sandbox's output relayed by the kernel), at the most talkative level.
    setLogLevel('debug');
    const capture = (orig: typeof process.stdout.write) =>
      function (this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]) {
        const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
        logged += text;
        if (text.startsWith('{"time":')) return true; // our log lines: kept here, not echoed
        return (orig as (...a: unknown[]) => boolean).call(this, chunk, ...rest);
      } as typeof process.stdout.write;
    process.stdout.write = capture(writes.out);
    process.stderr.write = capture(writes.err);
    app = await startPlaidApp(mode, { defaultHistory: { count: 300, days: 60 } });
    itemId = await connectBank(app, 'ins_109508');
    token = app.fake.item(itemId).accessToken;
    await syncSettled(app, itemId);
  });
  after(async () => {
    process.stdout.write = writes.out;
    process.stderr.write = writes.err;
    setLogLevel('warn');
    await app?.close();
  });

  test('no table holds the access token or the Plaid secret in the clear', async () => {
    const admin = app.t.kernel.db.admin;
    const tables = await admin`
      select table_schema as schema, table_name as name from information_schema.tables
      where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')`;
    assert.ok(tables.some((t) => t.schema === 'plaid') && tables.some((t) => t.schema === 'kernel'));
    const needles = [token, app.fake.secret, token.split('-').at(-1)!];
    for (const t of tables) {
      const [hit] = await admin.unsafe(
        `select count(*)::int as n from "${t.schema}"."${t.name}" r where ${needles.map((_, i) => `strpos(r::text, $${i + 1}) > 0`).join(' or ')}`,
        needles,
      );
      assert.equal(hit.n, 0, `${t.schema}.${t.name} holds a secret in the clear`);
    }
  });

  test('the sealed tokens open with the instance key, and with no other', async () => {
    const [row] = await app.t.kernel.db.admin`select sealed from kernel.plugin_secrets where plugin_id = 'plaid' and name = 'access_tokens'`;
    assert.match(row.sealed, /^v1\./);
    const key = app.t.kernel.keys.encryption;
    assert.deepEqual(JSON.parse(decryptSecret(row.sealed, [key])), { [itemId]: token });
    assert.throws(() => decryptSecret(row.sealed, [{ id: key.id, key: randomBytes(32) }]));
  });

  test("the Plaid secret is sealed in the instance's settings and opens with the instance key alone", async () => {
    const [row] = await app.t.kernel.db.admin`select sealed from kernel.plugin_instance_settings where plugin_id = 'plaid'`;
    assert.match(row.sealed.secret, /^v1\./);
    const key = app.t.kernel.keys.encryption;
    assert.equal(decryptSecret(row.sealed.secret, [key]), app.fake.secret);
    assert.throws(() => decryptSecret(row.sealed.secret, [{ id: key.id, key: randomBytes(32) }]));
  });

  test('pages (the admin\'s settings form and API included) never show the token or the secret', async () => {
    for (const path of ['/p/plaid/', `/p/plaid/items/${itemId}`, '/p/plaid/link', `/p/plaid/link?item=${itemId}`, '/admin/plugins/plaid/settings', '/api/v1/admin/plugins/plaid/settings']) {
      const res = await app.alice.get(path);
      assert.equal(res.status, 200, path);
      assert.ok(!res.text.includes(token), `${path} shows the access token`);
      assert.ok(!res.text.includes(app.fake.secret), `${path} shows the Plaid secret`);
    }
  });

  test('logs never contain the token or the secret, over link, sync, webhooks, retries, update mode and removal', async () => {
    const item = app.fake.item(itemId);
    item.addGenerated(5);
    item.fail500(1, '/transactions/sync'); // a retried request is logged: still no token
    await item.notify();
    await syncSettled(app, itemId);
    await item.requireLogin();
    const link = await app.alice.get(`/p/plaid/link?item=${itemId}`);
    const linkToken = link.text.match(/name="link_token" value="([^"]+)"/)![1];
    assert.equal((await app.alice.form('/p/plaid/link/stand-in', { link_token: linkToken, item: itemId })).status, 303);
    await syncSettled(app, itemId);
    assert.equal((await app.alice.form(`/p/plaid/items/${itemId}/remove`, { history: 'keep' })).status, 303);
    assert.equal(app.fake.item(itemId).item.removed, true, 'the item was removed at Plaid');
    assert.ok(logged.includes('"plugin":"plaid"'), 'the plugin did log (the capture works)');
    assert.ok(logged.includes('plaid request retried'), 'the retry was logged');
    assert.ok(!logged.includes(token), 'a log line holds the access token');
    assert.ok(!logged.includes(app.fake.secret), 'a log line holds the Plaid secret');
    const [{ n }] = await app.t.kernel.db.admin`select count(*)::int as n from kernel.plugin_secrets where plugin_id = 'plaid' and name = 'access_tokens'`;
    assert.equal(n, 0, 'the removed item\'s token is forgotten');
  });
});
