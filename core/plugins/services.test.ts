// Services wire plugins in dependency order; wiring errors stop start-up with a clear message, and
// a plugin can call only the services its manifest names.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { join } from 'node:path';
import { ServiceGraphError, orderByServices } from './service-graph.ts';
import { startTestServer } from '../../test/support/server.ts';
import { createTestKernel, type TestKernel } from '../../plugin-sdk/testing.ts';

const fixture = (name: string) => join(import.meta.dirname, 'fixtures', name);

describe('service dependency order', () => {
  test('providers start before the plugins that require them, whatever the listing order', () => {
    const { order, providers } = orderByServices([
      { id: 'budgets', requires: ['ledger.accounts', 'rules.engine'], provides: [] },
      { id: 'rules', requires: ['ledger.accounts'], provides: ['rules.engine'] },
      { id: 'ledger', requires: [], provides: ['ledger.accounts'] },
    ]);
    assert.deepEqual(order, ['ledger', 'rules', 'budgets']);
    assert.equal(providers.get('rules.engine'), 'rules');
  });

  test('a missing provider names the plugin and the service', () => {
    assert.throws(
      () => orderByServices([{ id: 'budgets', requires: ['ledger.accounts'], provides: [] }]),
      new ServiceGraphError("plugin budgets requires service 'ledger.accounts', but no plugin listed in mff.config.ts provides it"),
    );
  });

  test('two providers of one service', () => {
    assert.throws(
      () => orderByServices([{ id: 'a', requires: [], provides: ['x.y'] }, { id: 'b', requires: [], provides: ['x.y'] }]),
      new ServiceGraphError("service 'x.y' is provided by both plugin a and plugin b; list only one of them in mff.config.ts"),
    );
  });

  test('a cycle is shown as a path', () => {
    assert.throws(
      () => orderByServices([
        { id: 'a', requires: ['b.s'], provides: ['a.s'] },
        { id: 'b', requires: ['c.s'], provides: ['b.s'] },
        { id: 'c', requires: ['a.s'], provides: ['c.s'] },
      ]),
      new ServiceGraphError('plugins require each other\'s services in a cycle: a → b → c → a'),
    );
  });

  test('the kernel does not start when a required service has no provider', async () => {
    await assert.rejects(
      startTestServer({ config: { plugins: [{ id: 'reader', from: fixture('reader'), mode: 'in-process' }] } }),
      /plugin reader requires service 'notes.count', but no plugin listed in mff.config.ts provides it/,
    );
  });
});

describe('services between running plugins', () => {
  let t: TestKernel;
  before(async () => {
    // Listed consumer first: the host still starts the provider first.
    t = await createTestKernel({ plugins: [{ dir: fixture('reader') }, { dir: fixture('notes') }] });
  });
  after(() => t?.close());

  test('start order follows the services', () => {
    assert.deepEqual(t.kernel.plugins.list().map((p) => p.id), ['notes', 'reader']);
  });

  test("a consumer calls the provider's service, for the caller's own household", async () => {
    const a = await t.signUp();
    const b = await t.signUp();
    await a.form('/p/notes/', { body: 'one' });
    await a.form('/p/notes/', { body: 'two' });
    await b.form('/p/notes/', { body: 'other household' });
    const res = await a.get('/p/reader/');
    assert.equal(res.status, 200);
    assert.deepEqual(res.json(), { count: 2, household: a.householdId });
    assert.equal((await b.get('/p/reader/')).json().count, 1);
  });

  test('a service the manifest does not name is refused', async () => {
    const a = await t.signUp();
    const res = await a.get('/p/reader/undeclared');
    assert.equal(res.status, 403);
    assert.equal(res.json().error, 'PermissionDenied');
    assert.match(res.json().message, /may not use service 'ledger.accounts': not in its manifest's requires or permissions.services/);
  });

  test('disabling the provider blocks the consumer, enabling it again restores both', async () => {
    const a = await t.signUp();
    await t.kernel.plugins.disable('notes');
    assert.equal(t.kernel.plugins.get('reader')!.status, 'blocked');
    assert.match(t.kernel.plugins.get('reader')!.reason!, /notes.count \(plugin notes\)/);
    assert.equal((await a.get('/p/reader/')).status, 404);
    await t.kernel.plugins.enable('notes');
    assert.equal(t.kernel.plugins.get('reader')!.status, 'active');
    assert.equal((await a.get('/p/reader/')).status, 200);
  });
});
