// Accounts and balances: manual accounts, source accounts that keep the user's edits, balance
// history, manual transactions moving a manual balance, net worth.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createAccount, deleteAccount, getAccount, listAccounts, updateAccount } from '../service/accounts.ts';
import { balanceHistory, recordBalances } from '../service/balances.ts';
import { applyTransactionBatch } from '../service/batch.ts';
import { netWorth } from '../service/net-worth.ts';
import { upsertAccounts } from '../service/source-accounts.ts';
import { createTransaction, deleteTransaction, getTransaction, updateTransaction } from '../service/transactions.ts';
import { ledgerTestDb, type LedgerTestDb } from './support.ts';

const status = (code: number) => (err: Error & { status?: number }) => err.status === code;
const todayIn = (timeZone: string) => new Intl.DateTimeFormat('en-CA', { timeZone }).format(new Date());

describe('accounts and balances', () => {
  let t: LedgerTestDb;
  before(async () => {
    t = await ledgerTestDb();
  });
  after(() => t?.close());

  it("a manual account's balance moves with its manual transactions, recorded as today's balance", async () => {
    const tz = 'Pacific/Kiritimati'; // UTC+14: "today" differs from the server's for much of the day
    const hh = await t.household({ timeZone: tz });
    const cash = await t.as(hh, (tx) => createAccount(tx, { name: 'Wallet', type: 'depository', currency: 'USD', balance: '100.10' }));
    assert.deepEqual([cash.balance, cash.source, cash.classification], ['100.10', 'manual', 'asset']);
    const spent = await t.as(hh, (tx) => createTransaction(tx, { accountId: cash.id, date: '2025-01-02', amount: '-0.20', payee: 'Gum' }));
    assert.equal(spent.currency, 'USD');
    await t.as(hh, (tx) => updateTransaction(tx, spent.id, { amount: '-30.05' }));
    assert.equal((await t.as(hh, (tx) => getAccount(tx, cash.id))).balance, '70.05');
    await t.as(hh, (tx) => deleteTransaction(tx, spent.id));
    assert.equal((await t.as(hh, (tx) => getAccount(tx, cash.id))).balance, '100.10');
    assert.deepEqual(await t.as(hh, (tx) => balanceHistory(tx, cash.id)), [{ date: todayIn(tz), balance: '100.10', availableBalance: null }]);
    await t.as(hh, (tx) => updateAccount(tx, cash.id, { balance: '55' }));
    assert.equal((await t.as(hh, (tx) => getAccount(tx, cash.id))).balance, '55');
  });

  it('a manual credit card owes more after a purchase and less after a payment (a liability is what is owed)', async () => {
    const hh = await t.household({});
    const card = await t.as(hh, (tx) => createAccount(tx, { name: 'Visa', type: 'credit', currency: 'USD', balance: '450.10' }));
    assert.equal(card.classification, 'liability');
    const bought = await t.as(hh, (tx) => createTransaction(tx, { accountId: card.id, date: '2025-01-02', amount: '-82.13', payee: 'Grocer' }));
    assert.equal((await t.as(hh, (tx) => getAccount(tx, card.id))).balance, '532.23');
    await t.as(hh, (tx) => createTransaction(tx, { accountId: card.id, date: '2025-01-03', amount: '200.00', payee: 'Payment, thank you' }));
    assert.equal((await t.as(hh, (tx) => getAccount(tx, card.id))).balance, '332.23');
    await t.as(hh, (tx) => updateTransaction(tx, bought.id, { amount: '-100.00' }));
    assert.equal((await t.as(hh, (tx) => getAccount(tx, card.id))).balance, '350.10');
    await t.as(hh, (tx) => deleteTransaction(tx, bought.id));
    assert.equal((await t.as(hh, (tx) => getAccount(tx, card.id))).balance, '250.10');
    assert.equal((await t.as(hh, netWorth)).liabilities, '250.10');
  });

  it("a source's transactions and edits of source-owned fields leave balances and rows alone", async () => {
    const hh = await t.household();
    const ids = await t.as(hh, (tx) => upsertAccounts(tx, 'plaid', [{ externalId: 'p', name: 'Plaid Checking', type: 'depository', currency: 'USD', balance: { current: '500' } }]));
    const id = ids.get('p')!;
    const { inserted: [txn] } = await t.as(hh, (tx) => applyTransactionBatch(tx, { source: 'plaid', added: [{ accountId: id, externalId: 'x', date: '2025-01-01', amount: '-20', currency: 'USD' }] }));
    assert.equal((await t.as(hh, (tx) => getAccount(tx, id))).balance, '500');
    await assert.rejects(t.as(hh, (tx) => updateTransaction(tx, txn, { amount: '-1' })), status(400));
    await assert.rejects(t.as(hh, (tx) => updateAccount(tx, id, { balance: '1' })), status(400));
    assert.equal((await t.as(hh, (tx) => getTransaction(tx, txn))).amount, '-20');
  });

  it("re-syncing an account keeps the user's name, type and closed flag and refreshes the rest", async () => {
    const hh = await t.household();
    const sync = (name: string, mask: string) =>
      t.as(hh, (tx) => upsertAccounts(tx, 'plaid', [{ externalId: 'acc', name, type: 'credit', subtype: 'credit card', currency: 'USD', institution: 'Chase', mask }]));
    const id = (await sync('CHASE SAPPHIRE', '1111')).get('acc')!;
    await t.as(hh, (tx) => updateAccount(tx, id, { name: 'Travel card', type: 'other_liability', closed: true }));
    assert.equal((await sync('Chase Sapphire Preferred', '2222')).get('acc'), id);
    assert.equal((await sync('Chase Sapphire Preferred', '2222')).get('acc'), id); // unchanged re-sync still answers the id
    const a = await t.as(hh, (tx) => getAccount(tx, id));
    assert.deepEqual([a.name, a.providerName, a.type, a.closed, a.mask, a.institution], ['Travel card', 'Chase Sapphire Preferred', 'other_liability', true, '2222', 'Chase']);
    assert.equal((await t.as(hh, (tx) => listAccounts(tx))).length, 0);
    assert.equal((await t.as(hh, (tx) => listAccounts(tx, { includeClosed: true }))).length, 1);
  });

  it('source balances: a stale report does not replace a newer one; history keeps one entry per day', async () => {
    const hh = await t.household();
    const report = (current: string, asOf: string) =>
      t.as(hh, (tx) => upsertAccounts(tx, 'plaid', [{ externalId: 'a', name: 'Savings', type: 'depository', currency: 'USD', balance: { current, available: current, asOf } }]));
    const id = (await report('100', '2025-03-02T10:00:00Z')).get('a')!;
    await report('90', '2025-03-01T10:00:00Z');
    await report('120', '2025-03-02T18:00:00Z');
    await report('110', '2025-03-02T12:00:00Z'); // late, and older than the 18:00 report
    const a = await t.as(hh, (tx) => getAccount(tx, id));
    assert.deepEqual([a.balance, a.balanceAsOf], ['120', '2025-03-02T18:00:00.000Z']);
    assert.deepEqual(await t.as(hh, (tx) => balanceHistory(tx, id)), [
      { date: '2025-03-01', balance: '90', availableBalance: '90' },
      { date: '2025-03-02', balance: '120', availableBalance: '120' },
    ]);
  });

  it('recordBalances backfills history and moves the current balance only forward', async () => {
    const hh = await t.household();
    const house = await t.as(hh, (tx) => createAccount(tx, { name: 'House', type: 'property', currency: 'USD', balance: '400000' }));
    await t.as(hh, (tx) => recordBalances(tx, [
      { accountId: house.id, date: '2024-01-01', balance: '380000' },
      { accountId: house.id, date: '2024-06-01', balance: '390000.50' },
    ]));
    assert.equal((await t.as(hh, (tx) => getAccount(tx, house.id))).balance, '400000'); // today's value is newer
    const history = await t.as(hh, (tx) => balanceHistory(tx, house.id, { from: '2024-01-01', to: '2024-12-31' }));
    assert.deepEqual(history.map((h) => [h.date, h.balance]), [['2024-01-01', '380000'], ['2024-06-01', '390000.50']]);
    const later = new Date(Date.now() + 3 * 86400_000).toISOString().slice(0, 10);
    await t.as(hh, (tx) => recordBalances(tx, [{ accountId: house.id, date: later, balance: '410000' }]));
    assert.equal((await t.as(hh, (tx) => getAccount(tx, house.id))).balance, '410000');
    await assert.rejects(t.as(hh, (tx) => recordBalances(tx, [{ accountId: crypto.randomUUID(), date: '2024-01-01', balance: '1' }])), status(404));
  });

  it('net worth is assets minus liabilities of open accounts; other currencies are totalled beside it', async () => {
    const hh = await t.household({ baseCurrency: 'USD' });
    await t.as(hh, async (tx) => {
      await createAccount(tx, { name: 'Checking', type: 'depository', currency: 'USD', balance: '1500.25' });
      await createAccount(tx, { name: 'Brokerage', type: 'investment', currency: 'USD', balance: '10000.10' });
      await createAccount(tx, { name: 'Card', type: 'credit', currency: 'USD', balance: '700.30' });
      await createAccount(tx, { name: 'Car loan', type: 'loan', currency: 'USD', balance: '5000' });
      await createAccount(tx, { name: 'Euro account', type: 'depository', currency: 'EUR', balance: '300' });
      await createAccount(tx, { name: 'BTC', type: 'crypto', currency: 'BTC', balance: '0.00012345' });
      const old = await createAccount(tx, { name: 'Old', type: 'depository', currency: 'USD', balance: '99999' });
      await updateAccount(tx, old.id, { closed: true });
    });
    assert.deepEqual(await t.as(hh, netWorth), {
      currency: 'USD', assets: '11500.35', liabilities: '5700.30', netWorth: '5800.05',
      otherCurrencies: [
        { currency: 'BTC', assets: '0.00012345', liabilities: '0', netWorth: '0.00012345' },
        { currency: 'EUR', assets: '300', liabilities: '0', netWorth: '300' },
      ],
    });
  });

  it('deleting an account deletes its transactions and history', async () => {
    const hh = await t.household();
    const a = await t.as(hh, (tx) => createAccount(tx, { name: 'Temp', type: 'depository', currency: 'USD' }));
    const txn = await t.as(hh, (tx) => createTransaction(tx, { accountId: a.id, date: '2025-01-01', amount: '5' }));
    assert.deepEqual(await t.as(hh, (tx) => deleteAccount(tx, a.id)), { transactionIds: [txn.id] });
    await assert.rejects(t.as(hh, (tx) => getTransaction(tx, txn.id)), status(404));
    const [{ n }] = await t.as(hh, (tx) => tx`select count(*)::int as n from ledger.account_balances`);
    assert.equal(n, 0);
  });

  it('validates input: amounts are decimal strings, currencies codes, types from the list', async () => {
    const hh = await t.household();
    await assert.rejects(t.as(hh, (tx) => createAccount(tx, { name: 'X', type: 'depository', currency: 'usd' })), status(400));
    await assert.rejects(t.as(hh, (tx) => createAccount(tx, { name: 'X', type: 'savings' as never, currency: 'USD' })), status(400));
    await assert.rejects(t.as(hh, (tx) => createAccount(tx, { name: 'X', type: 'depository', currency: 'USD', balance: 12.5 as never })), status(400));
    await assert.rejects(t.as(hh, (tx) => createAccount(tx, { name: 'X', type: 'depository', currency: 'USD', extra: 1 } as never)), status(400));
  });
});
