// Ledger ingest: 100,000 transactions through applyTransactionBatch, in pages of 500 as a sync
// delivers them, each page its own household-bound transaction through the kernel's plugin db
// capability (as an in-process ledger runs). Then the same 100,000 delivered again (a re-sync:
// nothing changes, nothing is written), and 100,000 more arriving as two syncs at once (two bank
// connections of a household; one sync alternates between Node and PostgreSQL, so it keeps about
// one of the two cores busy), and 100,000 more in the import job's batches of 5,000 (a statement
// file: every row is at hand, so fewer, larger statements). Target: at least 20,000 transactions/s.
import type { SourceTransactionT } from '../plugins/ledger/schemas/batch.ts';
import { applyTransactionBatch } from '../plugins/ledger/service/batch.ts';
import { seedCategories } from '../plugins/ledger/service/category-seed.ts';
import { upsertAccounts } from '../plugins/ledger/service/source-accounts.ts';
import { BATCH_ROWS } from '../plugins/import/run/job.ts';
import { ledgerTx } from '../plugins/ledger/test/ledger-tx.ts';
import type { Bench } from './framework.ts';

const TOTAL = 100_000;
const PAGE = 500;
/** The import job's batch: a statement file's rows are all at hand. */
const IMPORT_BATCH = BATCH_ROWS;

const MERCHANTS: [string, string][] = [
  ['Whole Foods Market', 'FOOD_AND_DRINK_GROCERIES'], ['Starbucks', 'FOOD_AND_DRINK_COFFEE'],
  ['Shell', 'TRANSPORTATION_GAS'], ['Amazon', 'GENERAL_MERCHANDISE_ONLINE_MARKETPLACES'],
  ['Uber', 'TRANSPORTATION_TAXIS_AND_RIDE_SHARES'], ['Netflix', 'ENTERTAINMENT_TV_AND_MOVIES'],
  ['Comcast', 'RENT_AND_UTILITIES_INTERNET_AND_CABLE'], ['Chipotle', 'FOOD_AND_DRINK_FAST_FOOD'],
  ['CVS Pharmacy', 'MEDICAL_PHARMACIES_AND_SUPPLEMENTS'], ['Delta Air Lines', 'TRAVEL_FLIGHTS'],
  ['Acme Payroll', 'INCOME_SALARY'], ['Venmo', 'TRANSFER_OUT_ACCOUNT_TRANSFER'],
];

/** Deterministic, Plaid-like rows: merchant, original description, PFC category, a few pending. */
function makeTransactions(accountIds: string[], prefix: string): SourceTransactionT[] {
  const start = Date.UTC(2022, 0, 1);
  return Array.from({ length: TOTAL }, (_, i) => {
    const [payee, pfc] = MERCHANTS[(i * 7) % MERCHANTS.length];
    const cents = ((i * 7919) % 25_000) + 1;
    const income = pfc === 'INCOME_SALARY';
    return {
      accountId: accountIds[i % accountIds.length],
      externalId: `${prefix}_${i.toString(36).padStart(8, '0')}`,
      date: new Date(start + Math.floor(i / 90) * 86_400_000).toISOString().slice(0, 10),
      amount: `${income ? '' : '-'}${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`,
      currency: 'EUR',
      payee,
      description: `${payee.toUpperCase()} #${1000 + (i % 9000)} CARD ${4000 + (i % 17)}`,
      pending: i % 97 === 0,
      providerCategory: { primary: pfc.split('_').slice(0, -1).join('_'), detailed: pfc },
    };
  });
}

export const ledgerIngest: Bench = async ({ db, households }) => {
  const [household] = await households(1);
  const accountIds = await ledgerTx(db, household, async (tx) => {
    await seedCategories(tx);
    const ids = await upsertAccounts(tx, 'plaid', ['checking', 'savings', 'card', 'card2'].map((externalId) => ({
      externalId, name: externalId, type: externalId.startsWith('card') ? 'credit' : 'depository', currency: 'EUR',
    })));
    return [...ids.values()];
  });
  /** One sync: its pages one after another. Returns how many rows were written. */
  const sync = async (rows: SourceTransactionT[], page = PAGE) => {
    let written = 0;
    for (let i = 0; i < rows.length; i += page) {
      const r = await ledgerTx(db, household, (tx) => applyTransactionBatch(tx, { source: 'plaid', added: rows.slice(i, i + page) }));
      written += r.inserted.length + r.updated.length;
    }
    return written;
  };
  const timed = async (syncs: SourceTransactionT[][], expectWritten: number, page = PAGE) => {
    const started = performance.now();
    const written = (await Promise.all(syncs.map((rows) => sync(rows, page)))).reduce((a, b) => a + b, 0);
    if (written !== expectWritten) throw new Error(`expected ${expectWritten} rows written, got ${written}`);
    return TOTAL / ((performance.now() - started) / 1000);
  };

  const rows = makeTransactions(accountIds, 'a');
  const first = await timed([rows], TOTAL);
  const again = await timed([rows], 0);
  const more = makeTransactions(accountIds, 'b');
  const parallel = await timed([more.filter((_, i) => i % 2 === 0), more.filter((_, i) => i % 2 === 1)], TOTAL);
  const imported = await timed([makeTransactions(accountIds, 'c')], TOTAL, IMPORT_BATCH);
  const [{ n }] = await db.withHousehold({ householdId: household }, (tx) => tx`select count(*)::int as n from ledger.transactions`);
  if (n !== 3 * TOTAL) throw new Error(`expected ${3 * TOTAL} rows stored, found ${n}`);

  return [
    { metric: `ingest ${TOTAL.toLocaleString('en')} new transactions, one sync`, value: first, unit: 'tx/s', better: 'higher',
      note: `applyTransactionBatch, ${PAGE}/batch, one bound transaction each; target ≥ 20,000` },
    { metric: `re-deliver the same ${TOTAL.toLocaleString('en')} (no change)`, value: again, unit: 'tx/s', better: 'higher',
      note: 'idempotent re-sync: every row matched, nothing written' },
    { metric: `ingest ${TOTAL.toLocaleString('en')} more, two syncs at once`, value: parallel, unit: 'tx/s', better: 'higher',
      note: `two accounts' pages of ${PAGE} concurrently, onto the first 100,000` },
    { metric: `ingest ${TOTAL.toLocaleString('en')} more in batches of ${IMPORT_BATCH.toLocaleString('en')}`, value: imported, unit: 'tx/s', better: 'higher',
      note: 'as the import job writes a statement (plugins/import/run/job.ts), onto 200,000' },
  ];
};
