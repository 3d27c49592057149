// Creating a household through the kernel seeds the ledger's categories for it (via the kernel's
// household-created event), and only for it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestKernel, type TestKernel } from '../../../plugin-sdk/testing.ts';

describe('a new household gets its categories', () => {
  let t: TestKernel;
  before(async () => {
    t = await createTestKernel({ plugins: [{ dir: new URL('..', import.meta.url), mode: 'in-process' }] });
  });
  after(() => t?.close());

  const categoryCount = (householdId: string) =>
    t.kernel.db.withHousehold({ householdId }, async (tx) => {
      const [row] = await tx`select count(*)::int as n, count(*) filter (where parent_id is null)::int as groups from ledger.categories`;
      return row as { n: number; groups: number };
    });

  async function seeded(householdId: string) {
    for (let i = 0; i < 100; i++) {
      const c = await categoryCount(householdId);
      if (c.n > 0) return c;
      await new Promise((r) => setTimeout(r, 100));
    }
    return categoryCount(householdId);
  }

  it('seeds each household created through the kernel, once, and only its own rows', async () => {
    const alice = await t.signUp();
    const bob = await t.signUp();
    const a = await seeded(alice.householdId);
    const b = await seeded(bob.householdId);
    assert.deepEqual(a, { n: 141, groups: 18 });
    assert.deepEqual(b, a);
    const [{ groceries }] = await t.kernel.db.withHousehold({ householdId: alice.householdId }, (tx) =>
      tx`select count(*)::int as groceries from ledger.categories where name = 'Groceries'`);
    assert.equal(groceries, 1);
  });
});
