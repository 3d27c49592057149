// The ledger as a plugin: another plugin feeds it through `ledger.sources` (plain data over the
// kernel's service calls), its cursor commits with the rows, and ledger.transactions.changed
// reaches subscribers after the commit.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestKernel, pluginDir, type TestKernel, type TestSession } from '../../../plugin-sdk/testing.ts';

describe('ledger services (in-process)', () => {
  let t: TestKernel;
  let alice: TestSession;

  before(async () => {
    t = await createTestKernel({
      plugins: [
        { dir: pluginDir(import.meta.url), mode: 'in-process' },
        { dir: pluginDir(import.meta.url, './fixtures/ledger-probe'), mode: 'in-process' },
      ],
    });
    alice = await t.signUp();
  });
  after(() => t?.close());

  const heard = (name: string) =>
    t.asHousehold(alice.householdId, (tx) => tx`select payload from ledger_probe.heard where name = ${name} order by seq`).then((r) => r.map((x) => x.payload));

  async function until<T>(fn: () => Promise<T[]>, n: number): Promise<T[]> {
    for (let i = 0; i < 200; i++) {
      const rows = await fn();
      if (rows.length >= n) return rows;
      await new Promise((r) => setTimeout(r, 25));
    }
    return fn();
  }

  it('a source syncs through ledger.sources; its cursor is kept; subscribers hear the changed ids', async () => {
    await t.runJob('ledger-probe', 'sync', alice.householdId, { page: 1 });
    await t.runJob('ledger-probe', 'sync', alice.householdId, { page: 1 }); // the same page again
    const syncs = await heard('sync');
    assert.equal(syncs[0].cursorBefore, null);
    assert.equal(syncs[0].result.inserted.length, 3);
    assert.equal(syncs[1].cursorBefore, 'after-1');
    assert.deepEqual({ ...syncs[1].result }, { inserted: [], updated: [], removed: [], unchanged: 3 });

    const [event, ...more] = await until(() => heard('ledger.transactions.changed'), 1);
    assert.deepEqual(more, [], 'nothing changed the second time, so nothing was announced');
    assert.deepEqual(event, { source: 'ledger-probe', added: syncs[0].result.inserted, modified: [], removed: [] });

    const rows = await t.asHousehold(alice.householdId, (tx) => tx`
      select t.external_id, t.amount::text, a.balance::text from ledger.transactions t join ledger.accounts a on a.id = t.account_id order by 1`);
    assert.deepEqual(rows.map((r) => [r.external_id, r.amount, r.balance]), [['p1-1', '-1.00', '100.00'], ['p1-2', '-2.00', '100.00'], ['p1-3', '-3.00', '100.00']]);
  });

  it('a plugin feeds the ledger under its own id only: writing or reading as another source is refused', async () => {
    await t.runJob('ledger-probe', 'impersonate', alice.householdId, {});
    const answers = (await heard('impersonate')) as { method: string; answer: string }[];
    assert.deepEqual(answers.map((a) => a.method), ['upsertAccounts', 'getSourceCursor', 'applyTransactionBatch']);
    for (const a of answers) assert.equal(a.answer, "plugin ledger-probe feeds the ledger as source 'ledger-probe' only, not 'import'", a.method);
    const [{ n }] = await t.asHousehold(alice.householdId, (tx) => tx`select count(*)::int as n from ledger.accounts where source = 'import'`);
    assert.equal(n, 0);
  });
});
