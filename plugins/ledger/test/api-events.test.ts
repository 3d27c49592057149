// What the API announces: a created, edited or deleted transaction is heard once by subscribers
// (ledger.transactions.changed), and a replayed Idempotency-Key answer announces nothing again.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestKernel, pluginDir, type TestKernel, type TestSession } from '../../../plugin-sdk/testing.ts';

const A = '/api/v1/ledger';
type Changed = { source: string; added: string[]; modified: string[]; removed: string[] };

describe('ledger API events', () => {
  let t: TestKernel;
  let alice: TestSession;

  before(async () => {
    t = await createTestKernel({
      plugins: [{ dir: pluginDir(import.meta.url) }, { dir: pluginDir(import.meta.url, './fixtures/ledger-probe') }],
    });
    alice = await t.signUp();
  });
  after(() => t?.close());

  const heard = () => t.asHousehold(alice.householdId, (tx) =>
    tx`select payload from ledger_probe.heard where name = 'ledger.transactions.changed' order by seq`).then((r) => r.map((x) => x.payload as Changed));
  async function until(n: number): Promise<Changed[]> {
    for (let i = 0; i < 200 && (await heard()).length < n; i++) await new Promise((r) => setTimeout(r, 25));
    return heard();
  }

  test('create (retried with its key), edit and delete are each heard once', async () => {
    const acct = (await alice.api('POST', `${A}/accounts`, { name: 'Evented', type: 'depository', currency: 'EUR' })).json();
    const body = { accountId: acct.id, date: '2026-04-01', amount: '-2.00' };
    const post = () => alice.client.api('POST', `${A}/transactions`, body, { headers: { 'x-csrf-token': alice.client.csrf, 'idempotency-key': 'evt-1' } });
    const first = (await post()).json();
    assert.equal((await post()).json().id, first.id);
    assert.equal((await alice.api('PATCH', `${A}/transactions/${first.id}`, { notes: 'edited' })).status, 200);
    assert.equal((await alice.api('DELETE', `${A}/transactions/${first.id}`)).status, 204);
    const events = await until(3);
    await new Promise((r) => setTimeout(r, 200)); // a late duplicate would show up here
    // Delivered through the job bus: the order of delivery is not promised, the set is.
    const shape = (e: Changed) => JSON.stringify([e.source, e.added, e.modified, e.removed]);
    assert.deepEqual((await heard()).map(shape).sort(), [
      ['manual', [first.id], [], []],
      ['manual', [], [first.id], []],
      ['manual', [], [], [first.id]],
    ].map(([source, added, modified, removed]) => shape({ source, added, modified, removed } as Changed)).sort());
    assert.equal(events.length, 3);
  });
});
