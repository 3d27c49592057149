// The capabilities every plugin call gets, checked against the manifest in one place
// (capabilities.ts): secrets by declared name, fetch by declared host and never to the instance's
// own network, jobs and events in the plugin's own namespace, SQL that cannot switch role.
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { CallInfo, Manifest } from '../../plugin-sdk/types.ts';
import { createTestKernel, type TestKernel, type TestSession } from '../../plugin-sdk/testing.ts';
import { createCapabilities, type CapabilityKernel } from './capabilities.ts';
import { hostAllowed, isPrivateAddress } from './net-guard.ts';
import { log } from '../log.ts';

const fixture = (name: string) => join(import.meta.dirname, 'fixtures', name);

type Fake = { server: Server; port: number; hits: { url: string; headers: IncomingHttpHeaders }[]; close(): void };
async function fake(handler: (url: string, res: import('node:http').ServerResponse) => void): Promise<Fake> {
  const hits: Fake['hits'] = [];
  const server = createServer((req, res) => {
    hits.push({ url: req.url ?? '', headers: req.headers });
    handler(req.url ?? '', res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, port: (server.address() as { port: number }).port, hits, close: () => server.close() };
}

const call: CallInfo = {
  plugin: { id: 'demo', version: '1.0.0', base: '/p/demo' },
  household: { id: '00000000-0000-4000-8000-000000000001', name: 'H', baseCurrency: 'EUR', timeZone: 'UTC' },
  user: null,
  role: null,
};

function port(net: string[], opts: Partial<CapabilityKernel> = {}, manifest: Partial<Manifest> = {}) {
  const k = {
    db: {} as never,
    keys: {} as never,
    log,
    allowPrivateNetwork: false,
    hasJob: (pid: string, job: string) => pid === 'demo' && job === 'sync',
    enqueue: async () => 'job-id',
    emit: async () => {},
    hasService: () => true,
    callService: async () => 'called',
    ...opts,
  } as CapabilityKernel;
  const m = { id: 'demo', version: '1.0.0', sdk: '^1.0.0', description: 'd', permissions: { net, secrets: ['token'] }, requires: ['ledger.accounts'], ...manifest } as Manifest;
  return createCapabilities(k, m, call);
}

const denied = (re: RegExp) => (err: Error) => {
  assert.equal(err.name, 'PermissionDenied');
  assert.match(err.message, re);
  return true;
};

describe('net guard', () => {
  test('private, loopback, link-local and reserved addresses are recognized, in every notation', () => {
    for (const a of ['127.0.0.1', '127.1.2.3', '10.0.0.8', '172.16.5.4', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', '::', 'fe80::1', 'fd00::5', '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:a9fe:a9fe', '224.0.0.1']) {
      assert.equal(isPrivateAddress(a), true, a);
    }
    for (const a of ['93.184.216.34', '8.8.8.8', '2606:4700:4700::1111', '::ffff:8.8.8.8']) assert.equal(isPrivateAddress(a), false, a);
  });

  test('host entries match exactly, by wildcard subdomain, and by port when given', () => {
    const u = (s: string) => new URL(s);
    assert.equal(hostAllowed(u('https://api.example.com/x'), ['api.example.com']), true);
    assert.equal(hostAllowed(u('https://API.Example.com/x'), ['api.example.com']), true);
    assert.equal(hostAllowed(u('https://api.example.com.evil.net/'), ['api.example.com']), false);
    assert.equal(hostAllowed(u('https://evilapi.example.com/'), ['api.example.com']), false);
    assert.equal(hostAllowed(u('https://a.b.plaid.com/'), ['*.plaid.com']), true);
    assert.equal(hostAllowed(u('https://plaid.com/'), ['*.plaid.com']), false);
    assert.equal(hostAllowed(u('https://notplaid.com/'), ['*.plaid.com']), false);
    assert.equal(hostAllowed(u('http://localhost:4010/'), ['localhost:4010']), true);
    assert.equal(hostAllowed(u('http://localhost:4011/'), ['localhost:4010']), false);
    assert.equal(hostAllowed(u('https://api.example.com/'), ['api.example.com:8443']), false);
  });
});

describe('ctx.fetch', () => {
  let ok: Fake;
  let other: Fake;
  let redirector: Fake;
  before(async () => {
    ok = await fake((_u, res) => res.end('hello from the fake'));
    other = await fake((_u, res) => res.end('you should not be here'));
    redirector = await fake((u, res) => {
      const to = new URL(u, 'http://x').searchParams.get('to')!;
      res.writeHead(302, { location: to });
      res.end();
    });
  });
  after(() => [ok, other, redirector].forEach((f) => f?.close()));

  test('refuses a host the manifest does not declare, before connecting', async () => {
    await assert.rejects(port(['api.example.com']).fetch({ url: `http://127.0.0.1:${other.port}/` }), denied(/may not fetch 127\.0\.0\.1:\d+: not in its manifest's permissions\.net/));
    await assert.rejects(port(['api.example.com']).fetch({ url: 'https://api.example.org/' }), denied(/may not fetch api\.example\.org/));
    assert.equal(other.hits.length, 0);
  });

  test('refuses loopback, private and link-local addresses even when declared', async () => {
    await assert.rejects(port([`127.0.0.1:${ok.port}`]).fetch({ url: `http://127.0.0.1:${ok.port}/` }), denied(/private address 127\.0\.0\.1/));
    await assert.rejects(port(['169.254.169.254']).fetch({ url: 'http://169.254.169.254/latest/meta-data/' }), denied(/private address 169\.254\.169\.254/));
    await assert.rejects(port(['[::1]']).fetch({ url: 'http://[::1]:5432/' }), denied(/private address ::1/));
    await assert.rejects(port(['10.1.2.3']).fetch({ url: 'http://10.1.2.3/' }), denied(/private address 10\.1\.2\.3/));
    assert.equal(ok.hits.length, 0);
  });

  test('refuses a declared name that resolves to a private address (checked at connect time)', async () => {
    await assert.rejects(port([`localhost:${ok.port}`]).fetch({ url: `http://localhost:${ok.port}/` }), denied(/localhost resolves to private address/));
    assert.equal(ok.hits.length, 0);
  });

  test('the instance flag allows private addresses (loopback fakes), still only declared hosts', async () => {
    const allowed = port([`127.0.0.1:${ok.port}`], { allowPrivateNetwork: true });
    const res = await allowed.fetch({ url: `http://127.0.0.1:${ok.port}/hi`, headers: [['x-test', '1']] });
    assert.equal(res.status, 200);
    assert.equal(new TextDecoder().decode(res.body), 'hello from the fake');
    assert.equal(ok.hits.at(-1)?.headers['x-test'], '1');
    await assert.rejects(allowed.fetch({ url: `http://127.0.0.1:${other.port}/` }), denied(/not in its manifest/));
  });

  test('re-checks every redirect: to an undeclared host is refused, and the target is never contacted', async () => {
    const p = port([`127.0.0.1:${redirector.port}`], { allowPrivateNetwork: true });
    const to = `http://127.0.0.1:${other.port}/steal`;
    await assert.rejects(p.fetch({ url: `http://127.0.0.1:${redirector.port}/?to=${encodeURIComponent(to)}` }), denied(new RegExp(`may not fetch 127\\.0\\.0\\.1:${other.port}`)));
    assert.equal(other.hits.length, 0);
  });

  test('a redirect from a declared public host to the metadata address is refused', async () => {
    // api.example.com is sent to the loopback redirector (test-only rewrite); its redirect is checked as usual.
    const p = port(['api.example.com', '169.254.169.254'], { fetchRewrite: (u) => (u.hostname === 'api.example.com' ? new URL(u.pathname + u.search, `http://127.0.0.1:${redirector.port}`) : null) });
    await assert.rejects(p.fetch({ url: `https://api.example.com/?to=${encodeURIComponent('http://169.254.169.254/latest/meta-data/')}` }), denied(/private address 169\.254\.169\.254/));
  });

  test('a followed redirect to another declared origin drops credentials', async () => {
    const p = port([`127.0.0.1:${redirector.port}`, `127.0.0.1:${ok.port}`], { allowPrivateNetwork: true });
    const res = await p.fetch({ url: `http://127.0.0.1:${redirector.port}/?to=${encodeURIComponent(`http://127.0.0.1:${ok.port}/landed`)}`, headers: [['authorization', 'Bearer secret'], ['x-keep', 'yes']] });
    assert.equal(res.status, 200);
    assert.equal(res.url, `http://127.0.0.1:${ok.port}/landed`);
    const hit = ok.hits.at(-1)!;
    assert.equal(hit.headers.authorization, undefined);
    assert.equal(hit.headers['x-keep'], 'yes');
  });
});

describe('names a plugin may use', () => {
  test('jobs: only its own declared jobs', async () => {
    assert.equal(await port([]).jobs.enqueue('sync', {}, {}), 'job-id');
    await assert.rejects(port([]).jobs.enqueue('ledger.sync', {}, {}), denied(/has no job 'ledger.sync' \(a plugin enqueues only its own jobs\)/));
  });

  test("events: only names under its own id", async () => {
    await port([]).events.emit('demo.changed', {});
    await assert.rejects(port([]).events.emit('ledger.transactions-added', {}), denied(/may only emit events named 'demo.<name>'/));
  });

  test('services: only declared ones, only method names', async () => {
    assert.equal(await port([]).services.call('ledger.accounts', 'list', []), 'called');
    await assert.rejects(port([]).services.call('budgets.limits', 'list', []), denied(/may not use service 'budgets.limits'/));
    await assert.rejects(port([]).services.call('ledger.accounts', '__proto__.x', []), denied(/not a service method name/));
  });

  test('secrets: undeclared names are refused without touching the database', async () => {
    await assert.rejects(port([]).secrets.get('plaid_access_token'), denied(/may not use secret 'plaid_access_token': not in its manifest's permissions.secrets/));
    await assert.rejects(port([]).secrets.set('other', 'x'), denied(/may not use secret 'other'/));
  });
});

describe('capabilities against the database', () => {
  let t: TestKernel;
  let a: TestSession;
  let b: TestSession;
  before(async () => {
    t = await createTestKernel({ plugins: [{ dir: fixture('notes') }] });
    a = await t.signUp();
    b = await t.signUp();
  });
  after(() => t?.close());

  test('a declared secret is stored sealed, per household', async () => {
    const set = await a.get('/p/notes/secret?set=s3cr3t-value');
    assert.deepEqual(set.json(), { value: 's3cr3t-value' });
    const rows = await t.kernel.db.admin`select household_id, sealed from kernel.plugin_secrets where plugin_id = 'notes'`;
    assert.equal(rows.length, 1);
    assert.equal(rows[0].household_id, a.householdId);
    assert.doesNotMatch(rows[0].sealed, /s3cr3t/);
    assert.match(rows[0].sealed, /^v1\./);
    assert.deepEqual((await b.get('/p/notes/secret')).json(), { value: null }, 'another household has no such secret');
  });

  test('ctx.secrets refuses an undeclared name', async () => {
    const res = await a.get('/p/notes/secret?name=plaid_access_token');
    assert.equal(res.status, 403);
    assert.equal(res.json().error, 'PermissionDenied');
  });

  test("SQL cannot switch role or forge the household binding", async () => {
    const c: CallInfo = { ...call, plugin: { id: 'notes', version: '1.0.0', base: '/p/notes' }, household: { ...call.household, id: a.householdId } };
    const p = t.kernel.plugins.get('notes')!;
    const cap = createCapabilities(t.kernel.plugins.capabilities, p.manifest, c);
    for (const text of ['set role mff_owner', 'RESET ROLE', 'set session authorization postgres', "select set_config('mff.binding', 'x', true)"]) {
      await assert.rejects(cap.db.query({ text }), denied(/statement refused/), text);
    }
    const [{ n }] = await cap.db.query({ text: 'select count(*)::int as n from notes' });
    assert.equal(typeof n, 'number');
    await cap.dispose();
  });

  test('a transaction opened over the port commits or rolls back as a whole, and belongs to its call', async () => {
    const c: CallInfo = { ...call, plugin: { id: 'notes', version: '1.0.0', base: '/p/notes' }, household: { ...call.household, id: a.householdId } };
    const notes = t.kernel.plugins.get('notes')!;
    const cap = createCapabilities(t.kernel.plugins.capabilities, notes.manifest, c);
    const tx = await cap.db.begin();
    await cap.db.query({ text: 'insert into notes (body) values ($1)', params: ['rolled back'] }, tx);
    await cap.db.rollback(tx);
    const tx2 = await cap.db.begin();
    await cap.db.query({ text: 'insert into notes (body) values ($1)', params: ['committed'] }, tx2);
    const other = createCapabilities(t.kernel.plugins.capabilities, notes.manifest, c);
    await assert.rejects(other.db.query({ text: 'select 1' }, tx2), /no open transaction/);
    await cap.db.commit(tx2);
    const rows = await cap.db.query({ text: 'select body from notes' });
    assert.deepEqual(rows.map((r) => r.body), ['committed']);
    await Promise.all([cap.dispose(), other.dispose()]);
  });

  test('events reach subscribers through the job bus, for the emitting household and user', async () => {
    await a.get('/p/notes/');
    assert.equal((await a.htmx('POST', '/p/notes/emit')).status, 200);
    let rows: Record<string, unknown>[] = [];
    for (let i = 0; i < 400 && rows.length === 0; i++) {
      rows = await t.asHousehold(a.householdId, (tx) => tx`select name, user_id from notes.seen_events`);
      if (!rows.length) await new Promise((r) => setTimeout(r, 25));
    }
    assert.deepEqual(rows.map((r) => ({ ...r })), [{ name: 'notes.added', user_id: a.user.id }]);
    const elsewhere = await t.asHousehold(b.householdId, (tx) => tx`select 1 from notes.seen_events`);
    assert.equal(elsewhere.length, 0);
  });
});
