// A hostile sandboxed plugin, run by a real kernel on a real database, tries to use its
// capabilities (ctx.fetch, ctx.secrets, ctx.db, ctx.jobs) and its HTML beyond what it was granted.
// Each attempt is refused, and after each one the kernel and a well-behaved plugin still answer.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { createTestKernel, type TestKernel, type TestSession } from '../../../plugin-sdk/testing.ts';
import { fixture } from './test-support/direct.ts';

const unescape = (html: string) => html.replaceAll('&#34;', '"').replaceAll('&#39;', "'");

describe('sandbox: capabilities and HTML of a hostile plugin', () => {
  let t: TestKernel;
  let alice: TestSession;
  let bob: TestSession;
  let redirector: Server;

  before(async () => {
    // The declared host api.example.test answers with a redirect to the cloud metadata address.
    redirector = createServer((_req, res) => res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end());
    await new Promise<void>((r) => redirector.listen(0, '127.0.0.1', () => r()));
    const port = (redirector.address() as { port: number }).port;
    t = await createTestKernel({
      plugins: [{ dir: fixture('hello'), mode: 'sandboxed' }, { dir: fixture('hostile'), mode: 'sandboxed' }],
      hosts: { 'api.example.test': `http://127.0.0.1:${port}` },
    });
    alice = await t.signUp({ household: { name: 'Alice home' } });
    bob = await t.signUp({ household: { name: 'Bob home' } });
  });
  after(async () => {
    await t?.close();
    redirector?.close();
  });

  const attack = async (who: TestSession, path: string) => {
    const res = await who.get(`/p/hostile${path}`, { accept: 'application/json' });
    assert.equal(res.status, 200, `${path}: ${res.text.slice(0, 300)}`);
    return res.json() as { ok: boolean; value?: any; name?: string; message?: string };
  };
  const refused = async (who: TestSession, path: string, pattern: RegExp) => {
    const r = await attack(who, path);
    assert.equal(r.ok, false, `${path} must be refused, got ${JSON.stringify(r)}`);
    assert.match(r.message ?? '', pattern);
    await appServes();
  };
  /** The kernel's own routes and the neighbouring plugin answer as usual. */
  async function appServes() {
    assert.equal((await alice.api('GET', '/api/v1/me')).status, 200);
    const hello = await alice.get('/p/hello/who', { accept: 'application/json' });
    assert.equal(hello.status, 200);
    assert.equal(hello.json().household, alice.householdId);
  }

  test('ctx.fetch to an undeclared host is refused', () => refused(alice, '/try/fetch?url=https://evil.example/', /may not fetch evil\.example: not in its manifest/));
  test('ctx.fetch to 127.0.0.1:5432 (PostgreSQL) is refused although declared', () => refused(alice, '/try/fetch?url=http://127.0.0.1:5432/', /private address 127\.0\.0\.1/));
  test('ctx.fetch to 169.254.169.254 (cloud metadata) is refused although declared', () => refused(alice, '/try/fetch?url=http://169.254.169.254/latest/', /private address 169\.254\.169\.254/));
  test('ctx.fetch following a redirect from a declared host to 169.254.169.254 is refused', () =>
    refused(alice, '/try/fetch?url=https://api.example.test/start', /private address 169\.254\.169\.254/));

  test("reading another plugin's secret is refused", async () => {
    assert.equal((await alice.get('/p/hello/set-secret?value=hello-token')).status, 200);
    await refused(alice, '/try/secret?name=token', /may not use secret 'token'/);
    await refused(alice, '/try/sql?q=select%20sealed%20from%20kernel.plugin_secrets', /permission denied for table plugin_secrets/);
    assert.equal((await alice.get('/p/hello/secret', { accept: 'application/json' })).json().token, 'hello-token');
  });

  test("reading another household's rows is refused by PostgreSQL", async () => {
    assert.equal((await attack(alice, '/items/add?note=alice-private')).ok, true);
    assert.equal((await attack(bob, '/items/add?note=bob-own')).ok, true);
    const all = await attack(bob, `/try/sql?q=${encodeURIComponent(`select note from items where household_id = '${alice.householdId}' or true`)}`);
    assert.deepEqual(all, { ok: true, value: [{ note: 'bob-own' }] });
    await refused(bob, `/try/sql?q=${encodeURIComponent(`insert into items (household_id, note) values ('${alice.householdId}', 'planted')`)}`, /row-level security/);
    await refused(bob, '/try/sql?q=select%20name%20from%20kernel.households', /permission denied for table households/);
    const mine = await attack(alice, '/items');
    assert.deepEqual(mine.value.map((r: { note: string }) => r.note), ['alice-private']);
  });

  test("reading another plugin's tables is refused", async () => {
    assert.equal((await alice.get('/p/hello/greet?text=hi')).status, 200);
    await refused(alice, '/try/sql?q=select%20*%20from%20hello.greetings', /permission denied for (table greetings|schema hello)/);
    await refused(alice, '/try/sql?q=select%20*%20from%20pgboss.job', /permission denied for (table job|schema pgboss)/);
  });

  test('SET ROLE in its SQL is refused', async () => {
    await refused(alice, '/try/sql?q=set%20role%20mff_app', /plugins may not change role/);
    // Past the kernel's text check, PostgreSQL itself refuses: the role is a member of no role.
    await refused(alice, `/try/sql?q=${encodeURIComponent("select set_config('role', 'mff_app', false)")}`, /permission denied to set role/);
    await refused(alice, `/try/sql?q=${encodeURIComponent("select set_config('role', 'postgres', true)")}`, /permission denied to set role/);
  });

  test('RESET ROLE and SET SESSION AUTHORIZATION are refused', async () => {
    await refused(alice, '/try/sql?q=reset%20role', /plugins may not change role/);
    await refused(alice, `/try/sql?q=${encodeURIComponent("select set_config('session_authorization', 'postgres', false)")}`, /permission denied to set (parameter|session authorization)/);
    const who = await attack(alice, '/try/sql?q=select%20current_user%20as%20u,%20session_user%20as%20s');
    assert.match(who.value[0].u, /^mff_p_hostile_/);
    assert.equal(who.value[0].u, who.value[0].s);
  });

  test('forging the household binding in its SQL does not widen access', async () => {
    await refused(alice, `/try/sql?q=${encodeURIComponent(`select set_config('mff.binding', '${bob.householdId}..1.x', true)`)}`, /may not change role or household binding/);
    // Built so the kernel's text check can't see it: PostgreSQL checks the HMAC and binds nothing.
    const forged = `select set_config('mff.' || 'bind' || 'ing', '${bob.householdId}..' || txid_current() || '.' || repeat('0', 64), true)`;
    const r = await attack(alice, `/try/tx?q=${encodeURIComponent(forged)}`);
    assert.deepEqual(r, { ok: true, value: [] }, 'after forging, not even its own household is visible, and never Bob’s');
    await appServes();
  });

  test("enqueueing into another plugin's queue is refused", () => refused(alice, '/try/enqueue?job=greet', /has no job 'greet'/));

  test('enqueueing with a forged household runs the job for the caller’s household only', async () => {
    const r = await attack(alice, `/try/enqueue?job=record&household=${bob.householdId}`);
    assert.equal(r.ok, true, JSON.stringify(r));
    await t.waitForJob(alice.householdId, r.value);
    const notes = (await attack(alice, '/items')).value.map((row: { note: string }) => row.note);
    assert.ok(notes.includes(`job for ${alice.householdId}, claimed ${bob.householdId}`), notes.join('; '));
    const bobs = (await attack(bob, '/items')).value.map((row: { note: string }) => row.note);
    assert.ok(!bobs.some((n: string) => n.startsWith('job for')), 'nothing reached Bob’s household');
  });

  const fragments: [string, RegExp][] = [
    ['oob', /hx-swap-oob would swap kernel elements out of band/],
    ['data-oob', /data-hx-swap-oob would swap kernel elements/],
    ['target', /hx-target="#main" may target kernel elements/],
    ['closest', /hx-target="closest body" may target kernel elements/],
    ['include', /hx-include="closest form" may target kernel elements/],
    ['style-comment', /hx-swap-oob would swap kernel elements out of band/],
  ];
  for (const [kind, pattern] of fragments) {
    test(`a fragment targeting kernel elements (${kind}) is refused`, async () => {
      const res = await alice.get(`/p/hostile/html/${kind}`, { 'hx-request': 'true' });
      assert.equal(res.status, 502, res.text.slice(0, 300));
      assert.doesNotMatch(res.text, /owned|<[^>]*(hx-swap-oob|hx-target|hx-include)=/);
      assert.match(res.text, /class="plugin-error"/);
      assert.match(unescape(res.text), pattern);
      await appServes();
    });
  }
  const posts: [string, RegExp][] = [
    ['post', /hx-post="\/households\/current\/members\/remove" is outside \/p\/hostile\//],
    ['traversal', /hx-delete=".*" is outside \/p\/hostile\//],
    ['form', /action="\/logout" posts outside \/p\/hostile\//],
  ];
  for (const [kind, pattern] of posts) {
    test(`a fragment posting outside its prefix (${kind}) is refused`, async () => {
      const res = await alice.get(`/p/hostile/html/${kind}`, { 'hx-request': 'true' });
      assert.equal(res.status, 502);
      assert.match(res.text, /class="plugin-error"/);
      assert.match(unescape(res.text), pattern);
      assert.doesNotMatch(res.text, /<button|<form/);
      await appServes();
    });
  }
  for (const kind of ['script', 'handler', 'js-url']) {
    test(`a fragment with script (${kind}) is refused`, async () => {
      const res = await alice.get(`/p/hostile/html/${kind}`, { 'hx-request': 'true' });
      assert.equal(res.status, 502);
      assert.doesNotMatch(res.text, /alert\(1\)/);
    });
  }

  test('markup that only looks dangerous (inside an SVG comment) passes, normalized', async () => {
    const res = await alice.get('/p/hostile/html/svg-comment', { 'hx-request': 'true' });
    assert.equal(res.status, 200);
    assert.match(res.text, /^<svg><style><!--/);
  });

  test('a well-behaved fragment with its own targets passes unchanged', async () => {
    const res = await alice.get('/p/hostile/html/fine', { 'hx-request': 'true' });
    assert.equal(res.status, 200);
    assert.match(res.text, /hx-post="\/p\/hostile\/items" hx-target="#p-hostile-list"/);
  });

  test('cookies, CSP and Refresh headers from the plugin never reach the browser; redirects stay on the instance', async () => {
    const res = await alice.get('/p/hostile/headers', { 'hx-request': 'true' });
    assert.equal(res.status, 200);
    assert.doesNotMatch(res.headers.get('set-cookie') ?? '', /stolen/);
    assert.doesNotMatch(res.headers.get('content-security-policy') ?? '', /script-src \*/);
    assert.equal(res.headers.get('refresh'), null);
    assert.equal(res.headers.get('x-kept'), null);
    const out = await alice.get('/p/hostile/redirect-out', { 'hx-request': 'true' });
    assert.equal(out.status, 502);
    assert.equal(out.headers.get('location'), null);
    await appServes();
  });
});

describe('sandbox: a hostile plugin migration', () => {
  let t: TestKernel | undefined;
  after(() => t?.close());

  test('RESET ROLE / SET SESSION AUTHORIZATION in a migration do not leave the plugin’s owner role', async () => {
    try {
      t = await createTestKernel({ plugins: [{ dir: fixture('hostile-migration'), mode: 'sandboxed' }] });
    } catch (err) {
      // Refusing the migration outright is also acceptable; running it as anyone else is not.
      assert.match((err as Error).message, /permission denied|must be superuser|failed/);
      return;
    }
    const rows = await t.kernel.db.admin`select ran_as, superuser from hostile_migration.probe`;
    assert.equal(rows.length, 1);
    assert.match(rows[0].ran_as, /^mff_po_hostile_migration_/);
    assert.equal(rows[0].superuser, false);
  });
});
