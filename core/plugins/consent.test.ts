// Admin consent: a third-party plugin waits for the instance admin to approve what its manifest
// asks; an upgrade asking for more waits again; first-party in-process plugins are approved by
// configuration. Two kernels start in turn on one database, as a restart after an upgrade would.
import assert from 'node:assert/strict';
import { serve } from '@hono/node-server';
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { loadConfig, type Config } from '../config.ts';
import { createApp } from '../http/app.ts';
import { createKernel, type Kernel } from '../kernel.ts';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.ts';
import { TestClient } from '../../test/support/client.ts';
import { signUp } from '../../test/support/users.ts';

const root = resolve(import.meta.dirname, '../..');
const sdk = pathToFileURL(join(root, 'plugin-sdk/index.ts')).href;

// A third-party plugin outside the repository, at version 1.0.0 asking for one host.
function writePlugin(dir: string, version: string, net: string[], more: { publicRoutes?: string[]; packages?: string[] } = {}) {
  const permissions = { net, ...(more.publicRoutes ? { publicRoutes: more.publicRoutes } : {}) };
  writeFileSync(join(dir, 'plugin.json'), JSON.stringify({ id: 'grower', version, sdk: '^1.0.0', description: 'Grows.', permissions, ...(more.packages ? { packages: more.packages } : {}) }));
  writeFileSync(join(dir, 'index.ts'), `import { ctxOf, definePlugin, router } from ${JSON.stringify(sdk)};
const routes = router();
routes.get('/', (c) => c.text('grower ' + ctxOf(c).plugin.version));
const publicRoutes = router();
publicRoutes.post('/webhook', (c) => c.text('hooked'));
publicRoutes.post('/undeclared', (c) => c.text('should not be reachable'));
export default definePlugin({ routes${more.publicRoutes ? ', publicRoutes' : ''} });
`);
}

type Booted = { kernel: Kernel; baseUrl: string; stop(): Promise<void> };

async function boot(db: TestDatabase, plugins: Config['plugins']): Promise<Booted> {
  const config = { ...(await loadConfig(root)), PORT: 0, HOST: '127.0.0.1', plugins } as Config;
  const kernel = await createKernel(config, { databaseUrl: db.url, startJobs: false, poolSize: 3 });
  const app = createApp(kernel);
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((r) => server.once('listening', () => r()));
  const baseUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return { kernel, baseUrl, stop: async () => { await new Promise<void>((r) => server.close(() => r())); await kernel.stop(); } };
}

describe('admin consent', () => {
  let db: TestDatabase;
  let dir: string;
  let running: Booted | undefined;
  let admin: TestClient;
  let member: TestClient;
  const entry = () => [{ id: 'grower', from: dir, mode: 'in-process' as const }];

  before(async () => {
    db = await createTestDatabase();
    dir = mkdtempSync(join(tmpdir(), 'mff-grower-'));
    writePlugin(dir, '1.0.0', ['api.example.com']);
    running = await boot(db, entry());
    admin = new TestClient(running.baseUrl);
    const a = await signUp(admin);
    assert.ok(a.isAdmin, 'the first user is the instance admin');
    await admin.form('/households', { name: 'Admin home', baseCurrency: 'EUR', timeZone: 'UTC' });
    member = new TestClient(running.baseUrl);
    await signUp(member);
    await member.form('/households', { name: 'Member home', baseCurrency: 'EUR', timeZone: 'UTC' });
  });
  after(async () => {
    await running?.stop();
    await db?.drop();
  });

  const reconnect = (b: Booted) => {
    for (const c of [admin, member]) (c as { baseUrl: string }).baseUrl = b.baseUrl;
  };

  test('a third-party plugin starts unapproved: its routes 404 and the admin page shows what it asks', async () => {
    assert.equal(running!.kernel.plugins.get('grower')!.status, 'needs-approval');
    assert.equal((await admin.get('/p/grower/')).status, 404);
    const page = await admin.get('/admin/plugins');
    assert.equal(page.status, 200);
    assert.match(page.text, /data-status="needs-approval"/);
    assert.match(page.text, /Connect to<\/dt>\s*<dd><code>api.example.com<\/code>/);
    assert.match(page.text, /Approve and enable/);
  });

  test('only the instance admin sees and acts on the plugins page', async () => {
    await member.get('/');
    assert.equal((await member.get('/admin/plugins')).status, 403);
    const shown = JSON.stringify(running!.kernel.plugins.get('grower')!.requested);
    assert.equal((await member.form('/admin/plugins/grower/approve', { permissions: shown })).status, 403);
    assert.equal(running!.kernel.plugins.get('grower')!.status, 'needs-approval');
  });

  test('approving exactly what was shown enables it; approval of a stale request is refused', async () => {
    await admin.get('/admin/plugins');
    const stale = await admin.form('/admin/plugins/grower/approve', { permissions: JSON.stringify({ net: [], secrets: [], dbRead: [], dbWrite: [], services: [] }) });
    assert.equal(stale.status, 409);
    assert.match(stale.text, /changed since they were shown/);
    const shown = JSON.stringify(running!.kernel.plugins.get('grower')!.requested);
    const ok = await admin.form('/admin/plugins/grower/approve', { permissions: shown });
    assert.equal(ok.status, 303);
    assert.equal((await admin.get('/p/grower/')).text.includes('grower 1.0.0'), true);
  });

  test('an upgrade that asks for the same permissions runs at once', async () => {
    await running!.stop();
    writePlugin(dir, '1.1.0', ['api.example.com']);
    running = await boot(db, entry());
    reconnect(running);
    assert.equal(running.kernel.plugins.get('grower')!.status, 'active');
    assert.match((await admin.get('/p/grower/')).text, /grower 1\.1\.0/);
  });

  test('an upgrade that widens permissions stays disabled until the admin approves again', async () => {
    await running!.stop();
    writePlugin(dir, '2.0.0', ['api.example.com', 'uploads.example.net']);
    running = await boot(db, entry());
    reconnect(running);
    const p = running.kernel.plugins.get('grower')!;
    assert.equal(p.status, 'needs-approval');
    assert.match(p.reason!, /version 2\.0\.0 asks for more: net: uploads\.example\.net/);
    assert.equal((await admin.get('/p/grower/')).status, 404);
    const page = await admin.get('/admin/plugins');
    assert.match(page.text, /New since version 1\.0\.0: <code>net: uploads.example.net<\/code>/);
    await admin.form('/admin/plugins/grower/approve', { permissions: JSON.stringify(p.requested) });
    assert.match((await admin.get('/p/grower/')).text, /grower 2\.0\.0/);
    const [row] = await running.kernel.db.admin`select approved_version, approved_via, approved_by is not null as by_someone from kernel.plugins where id = 'grower'`;
    assert.deepEqual({ ...row }, { approved_version: '2.0.0', approved_via: 'admin', by_someone: true });
  });

  test('an upgrade that adds a public route (and a package) stays disabled until re-approved; the page shows both', async () => {
    await running!.stop();
    // A fresh directory: the process keeps the modules it imported, so new code needs a new path.
    const upgraded = mkdtempSync(join(tmpdir(), 'mff-grower-'));
    writePlugin(upgraded, '2.1.0', ['api.example.com', 'uploads.example.net'], { publicRoutes: ['/webhook'], packages: ['semver'] });
    running = await boot(db, [{ id: 'grower', from: upgraded, mode: 'in-process' }]);
    reconnect(running);
    const p = running.kernel.plugins.get('grower')!;
    assert.equal(p.status, 'needs-approval');
    assert.match(p.reason!, /version 2\.1\.0 asks for more: publicRoutes: \/webhook, packages: semver/);
    const household = (await admin.api('GET', '/api/v1/households')).json().items[0].id;
    const hook = () => fetch(`${running!.baseUrl}/hooks/grower/${household}/webhook`, { method: 'POST', body: '{}' });
    assert.equal((await hook()).status, 404, 'no public route before approval');
    const page = await admin.get('/admin/plugins');
    assert.match(page.text, /Answer anyone, without sign-in, at<\/dt>\s*<dd><code>\/hooks\/grower\/&lt;household&gt;\/webhook<\/code>/);
    assert.match(page.text, /Import npm packages<\/dt>\s*<dd><code>semver<\/code>/);
    assert.match(page.text, /New since version 2\.0\.0: <code>publicRoutes: \/webhook<\/code> <code>packages: semver<\/code>/);
    assert.equal((await admin.form('/admin/plugins/grower/approve', { permissions: JSON.stringify(p.requested) })).status, 303);
    const res = await hook();
    assert.equal(res.status, 200);
    assert.equal(await res.text(), 'hooked');
    // Only the declared path answers, whatever else the plugin's public app has.
    assert.equal((await fetch(`${running!.baseUrl}/hooks/grower/${household}/undeclared`, { method: 'POST', body: '{}' })).status, 404);
  });

  test('a plugin with publicRoutes its manifest does not name fails to load, saying what to declare', async () => {
    const other = mkdtempSync(join(tmpdir(), 'mff-undeclared-'));
    writePlugin(other, '1.0.0', [], { publicRoutes: ['/webhook'] });
    writeFileSync(join(other, 'plugin.json'), JSON.stringify({ id: 'grower', version: '1.0.0', sdk: '^1.0.0', description: 'Grows.' }));
    const copy = await createTestDatabase();
    const booted = await boot(copy, [{ id: 'grower', from: other, mode: 'in-process' }]);
    try {
      const p = booted.kernel.plugins.get('grower')!;
      assert.equal(p.status, 'failed');
      assert.match(p.error!, /definePlugin has publicRoutes but the manifest's permissions\.publicRoutes names no path/);
    } finally {
      await booted.stop();
      await copy.drop();
    }
  });

  test('disabled stays disabled across restarts; enabling needs no new approval', async () => {
    await admin.get('/admin/plugins');
    assert.equal((await admin.form('/admin/plugins/grower/disable', {})).status, 303);
    await running!.stop();
    running = await boot(db, entry());
    reconnect(running);
    assert.equal(running.kernel.plugins.get('grower')!.status, 'disabled');
    assert.equal((await admin.get('/p/grower/')).status, 404);
    await admin.get('/admin/plugins');
    assert.equal((await admin.form('/admin/plugins/grower/enable', {})).status, 303);
    assert.equal((await admin.get('/p/grower/')).status, 200);
  });

  test("another process on the same database follows the admin's decisions", async () => {
    const other = await boot(db, entry());
    try {
      assert.equal(other.kernel.plugins.get('grower')!.status, 'active');
      await admin.get('/admin/plugins');
      await admin.form('/admin/plugins/grower/disable', {});
      for (let i = 0; i < 600 && other.kernel.plugins.get('grower')!.status === 'active'; i++) await new Promise((r) => setTimeout(r, 25));
      assert.equal(other.kernel.plugins.get('grower')!.status, 'disabled');
      assert.equal((await fetch(`${other.baseUrl}/p/grower/`, { redirect: 'manual' })).status, 404);
    } finally {
      await other.stop();
    }
  });

  test('a first-party in-process plugin (in <root>/plugins) is approved by configuration at first start', async () => {
    await running!.stop();
    // An instance root whose plugins/ directory ships a plugin, as mff's first-party plugins ship.
    const fake = mkdtempSync(join(tmpdir(), 'mff-root-'));
    for (const item of ['views', 'migrations', 'package.json']) cpSync(join(root, item), join(fake, item), { recursive: true });
    const firsty = join(fake, 'plugins', 'firsty');
    cpSync(dir, firsty, { recursive: true });
    writeFileSync(join(firsty, 'plugin.json'), JSON.stringify({ id: 'firsty', version: '1.0.0', sdk: '^1.0.0', description: 'First party.', permissions: { net: ['api.example.com'] } }));
    const config = { ...(await loadConfig(root)), rootDir: fake, PORT: 0, HOST: '127.0.0.1', plugins: [{ id: 'firsty', from: './plugins/firsty', mode: 'in-process' as const }] } as Config;
    const kernel = await createKernel(config, { databaseUrl: db.url, startJobs: false, poolSize: 2 });
    try {
      const p = kernel.plugins.get('firsty')!;
      assert.equal(p.status, 'active');
      assert.equal(p.row.approvedVia, 'config');
    } finally {
      await kernel.stop();
      running = undefined;
    }
  });
});
