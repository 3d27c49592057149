// A transaction's source and currency are checked without regular expressions (migration 0010):
// the checks must accept and refuse exactly what 0001's regular expressions did. PostgreSQL's own
// regex operator is the oracle, so any string where the two disagree fails here.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createAccount } from '../service/accounts.ts';
import { ledgerTestDb, type LedgerTestDb } from './support.ts';

const SOURCE_RE = '^[a-z][a-z0-9-]{1,49}$';
const CURRENCY_RE = '^[A-Z][A-Z0-9]{2,9}$';

const sources = ['plaid', 'manual', 'snaptrade', 'my-bank-2', 'ab', 'a1', 'a-', 'a', '', '-ab', '1ab', 'Plaid', 'plAid', 'pla id',
  'plaid\n', 'plaid_x', 'éb', 'aé', 'z'.repeat(50), 'z'.repeat(51), `a${'-'.repeat(49)}`, 'ab{', 'a`b', 'a/b', 'a.b'];
const currencies = ['EUR', 'USD', 'BTC', 'USDC', 'X9Z', 'A'.repeat(10), 'A'.repeat(11), 'EU', 'eur', 'Eur', 'E1R', '1EU', 'EUR ',
  ' EUR', 'ÉUR', 'EUÉ', 'EU-R', 'EUR\n', 'E@R', 'E[R', 'A12', ''];

describe('transaction row checks (source, currency)', () => {
  let t: LedgerTestDb;
  before(async () => {
    t = await ledgerTestDb();
  });
  after(() => t?.close());

  const accepted = (hh: string, account: string, source: string, currency: string) =>
    t.as(hh, (tx) => tx`insert into ledger.transactions (household_id, account_id, source, external_id, date, amount, currency)
        values (kernel.current_household(), ${account}, ${source}, ${crypto.randomUUID()}, date '2025-01-01', -1, ${currency})`)
      .then(() => true, (err: { code?: string }) => {
        if (err.code !== '23514') throw err;
        return false;
      });
  const matches = async (hh: string, value: string, re: string) =>
    (await t.as(hh, (tx) => tx`select ${value}::text ~ ${re}::text as ok`))[0].ok as boolean;

  it('accept and refuse exactly what the regular expressions of 0001 did', async () => {
    const hh = await t.household();
    const account = (await t.as(hh, (tx) => createAccount(tx, { name: 'Cash', type: 'depository', currency: 'USD' }))).id;
    let refused = 0;
    for (const source of sources) {
      const expected = source === 'manual' || (await matches(hh, source, SOURCE_RE));
      assert.equal(await accepted(hh, account, source, 'EUR'), expected, `source ${JSON.stringify(source)}`);
      if (!expected) refused++;
    }
    for (const currency of currencies) {
      const expected = await matches(hh, currency, CURRENCY_RE);
      assert.equal(await accepted(hh, account, 'plaid', currency), expected, `currency ${JSON.stringify(currency)}`);
      if (!expected) refused++;
    }
    // The lists hold both kinds: a check that accepted everything (or nothing) would fail above.
    assert.ok(refused >= 20, `${refused} refused`);
    const [{ n }] = await t.as(hh, (tx) => tx`select count(*)::int as n from ledger.transactions`);
    assert.equal(n, sources.length + currencies.length - refused);
  });

  it('also on update: a row cannot be changed to a source or currency the checks refuse', async () => {
    const hh = await t.household();
    const account = (await t.as(hh, (tx) => createAccount(tx, { name: 'Cash', type: 'depository', currency: 'USD' }))).id;
    assert.equal(await accepted(hh, account, 'plaid', 'EUR'), true);
    const check = (err: { code?: string }) => err.code === '23514';
    await assert.rejects(t.as(hh, (tx) => tx`update ledger.transactions set currency = 'eur'`), check);
    await assert.rejects(t.as(hh, (tx) => tx`update ledger.transactions set source = 'Plaid'`), check);
    const [row] = await t.as(hh, (tx) => tx`select source, currency from ledger.transactions`);
    assert.deepEqual({ ...row }, { source: 'plaid', currency: 'EUR' });
  });
});
