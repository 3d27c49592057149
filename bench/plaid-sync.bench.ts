// Plaid sync: an item with 50,000 historical transactions (100 pages of 500) from the fake Plaid,
// synced by the plaid plugin through the official SDK (its HTTP over ctx.fetch), staged page by page
// and written to the ledger through its service, run by the plugin's own `sync` job until done. In
// the sandbox (the default) and in-process, beside the ledger ingest of the very same 50,000 rows
// (applyTransactionBatch alone, 5,000 a batch as the sync writes them), so the sync's overhead
// (Plaid's wire format, the SDK, staging, the sandbox boundary) is a ratio.
import type { Config } from '../core/config.ts';
import { createKernel, type Kernel } from '../core/kernel.ts';
import { writeSecret } from '../core/plugins/secret-store.ts';
import { saveInstanceSettings } from '../core/plugins/instance-settings-store.ts';
import { applyTransactionBatch } from '../plugins/ledger/service/batch.ts';
import { seedCategories } from '../plugins/ledger/service/category-seed.ts';
import { upsertAccounts } from '../plugins/ledger/service/source-accounts.ts';
import { ledgerTx } from '../plugins/ledger/test/ledger-tx.ts';
import { FakePlaid } from '../plugins/plaid/fake/index.ts';
import type { SourceTransaction } from '../plugins/plaid/sync/convert.ts';
import type { Bench, BenchContext } from './framework.ts';

const TOTAL = 50_000;
const PAGE = 500;

async function pluginKernel(ctx: BenchContext, mode: 'sandboxed' | 'in-process'): Promise<Kernel> {
  const root = ctx.config.rootDir;
  const config = {
    ...ctx.config,
    MFF_PLUGIN_FETCH_ALLOW_PRIVATE: true,
    plugins: [
      { id: 'ledger', from: `${root}/plugins/ledger`, mode: 'in-process' },
      { id: 'plaid', from: `${root}/plugins/plaid`, mode },
    ],
  } as Config;
  const k = await createKernel(config, { databaseUrl: ctx.db.adminUrl, startJobs: false, poolSize: 6 });
  const p = k.plugins.get('plaid')!;
  if (p.status === 'needs-approval') await k.plugins.approve('plaid', null, p.requested);
  if (k.plugins.get('plaid')?.status !== 'active') throw new Error(`plaid did not start: ${p.reason ?? p.error}`);
  return k;
}

/** An instance with Plaid pointed at the fake, a household with one item of 50,000 transactions, not yet synced. */
async function connectedHousehold(k: Kernel, fake: FakePlaid, household: string): Promise<string> {
  const item = fake.connect({ institutionId: 'ins_mff_basic', history: { count: TOTAL, days: 1500, seed: 'bench' } });
  // Plaid's keys are the instance's (what the admin's form stores).
  await saveInstanceSettings(k.db.app, k.keys.encryption, 'plaid', k.plugins.get('plaid')!.manifest.instanceSettings!,
    { clientId: fake.clientId, environment: 'sandbox', baseUrl: fake.url, secret: fake.secret }, [], null);
  await k.db.withHousehold({ householdId: household }, (tx) =>
    writeSecret(tx, k.keys.encryption, household, 'plaid', 'access_tokens', JSON.stringify({ [item.itemId]: item.accessToken })));
  // The app role has no rights on a sandboxed plugin's tables (core/plugins/db-role.ts): the item row
  // is written by the database owner, as the plugin's link flow would have left it.
  await k.db.admin`insert into plaid.items (household_id, item_id, institution_id, institution_name, products)
           values (${household}, ${item.itemId}, 'ins_mff_basic', 'Prairie Basic Bank', ${['transactions']})`;
  await ledgerTx(k.db, household, (tx) => seedCategories(tx));
  return item.itemId;
}

/** Runs the plugin's sync job (each run pages for up to its time budget) until the item is synced. */
async function syncToEnd(k: Kernel, household: string, itemId: string): Promise<number> {
  const p = k.plugins.get('plaid')!;
  const started = performance.now();
  for (let run = 0; ; run++) {
    const call = await k.plugins.bus.jobCall(p, household, null);
    await p.runtime!.job('sync', { itemId, pageSize: PAGE }, { ...call, requestId: `bench-${run}` });
    // As the owner (the app role has no rights on a sandboxed plugin's tables), so by household explicitly.
    const [s] = await k.db.admin`
      select i.sync_state, i.last_success_at, (select count(*)::int from plaid.sync_pages p where p.household_id = ${household}) as staged
      from plaid.items i where i.household_id = ${household} and i.item_id = ${itemId}`;
    if (s.sync_state === 'idle' && s.staged === 0 && s.last_success_at) break;
    if (run > 50) throw new Error(`sync did not finish: ${JSON.stringify(s)}`);
  }
  return performance.now() - started;
}

export const plaidSync: Bench = async (ctx) => {
  const fake = await FakePlaid.start({ seed: 'bench' });
  const results = [];
  let rows: SourceTransaction[] = [];
  try {
    for (const mode of ['sandboxed', 'in-process'] as const) {
      const k = await pluginKernel(ctx, mode);
      try {
        const [household] = await ctx.households(1);
        const itemId = await connectedHousehold(k, fake, household);
        const syncs = fake.requests.length;
        const ms = await syncToEnd(k, household, itemId);
        const pages = fake.requests.slice(syncs).filter((r) => r.path === '/transactions/sync').length;
        const [{ n }] = await k.db.withHousehold({ householdId: household }, (tx) => tx`select count(*)::int as n from ledger.transactions`);
        if (n !== TOTAL) throw new Error(`expected ${TOTAL} transactions in the ledger, found ${n}`);
        results.push({ mode, perSecond: TOTAL / (ms / 1000), pages, ms });
        if (!rows.length) {
          rows = (await k.db.withHousehold({ householdId: household }, (tx) => tx`
            select a.external_id as account, t.external_id, t.date::text, t.amount::text, t.currency, t.payee, t.description, t.pending,
                   t.provider_category_primary, t.provider_category_detailed
            from ledger.transactions t join ledger.accounts a on a.id = t.account_id`)).map((r) => ({
            accountId: r.account, externalId: r.external_id, date: r.date, authorizedDate: null, amount: r.amount, currency: r.currency,
            payee: r.payee, description: r.description, pending: r.pending, pendingExternalId: null,
            providerCategory: { primary: r.provider_category_primary, detailed: r.provider_category_detailed },
          }));
        }
      } finally {
        await k.stop();
      }
    }
  } finally {
    await fake.close();
  }

  // The ledger alone, the same rows: applyTransactionBatch in batches of 5,000 in bound transactions.
  const [household] = await ctx.households(1);
  const ids = await ledgerTx(ctx.db, household, async (tx) => {
    await seedCategories(tx);
    return upsertAccounts(tx, 'plaid', [...new Set(rows.map((r) => r.accountId))].map((externalId) => ({ externalId, name: externalId, type: 'depository', currency: 'USD' })));
  });
  const mapped = rows.map((r) => ({ ...r, accountId: ids.get(r.accountId)! }));
  const started = performance.now();
  for (let i = 0; i < mapped.length; i += 5000) await ledgerTx(ctx.db, household, (tx) => applyTransactionBatch(tx, { source: 'plaid', added: mapped.slice(i, i + 5000) }));
  const ledgerPerSecond = TOTAL / ((performance.now() - started) / 1000);

  const [sandboxed, inProcess] = results;
  return [
    { metric: `sync ${TOTAL.toLocaleString('en')} transactions, sandboxed`, value: sandboxed.perSecond, unit: 'tx/s', better: 'higher',
      note: `${sandboxed.pages} pages of ${PAGE} from the fake through the official SDK, staged, then written to the ledger; ${(sandboxed.ms / 1000).toFixed(1)} s` },
    { metric: `sync ${TOTAL.toLocaleString('en')} transactions, in-process`, value: inProcess.perSecond, unit: 'tx/s', better: 'higher',
      note: `same, plugin in the kernel's process; ${(inProcess.ms / 1000).toFixed(1)} s` },
    { metric: `ledger ingest of the same ${TOTAL.toLocaleString('en')} rows`, value: ledgerPerSecond, unit: 'tx/s', better: 'higher',
      note: 'applyTransactionBatch alone, 5,000 a batch (as the sync writes them)' },
    { metric: 'sync time ÷ ledger ingest time, sandboxed', value: ledgerPerSecond / sandboxed.perSecond, unit: 'x', better: 'lower',
      note: 'the whole sync against writing its rows' },
    { metric: 'sync time ÷ ledger ingest time, in-process', value: ledgerPerSecond / inProcess.perSecond, unit: 'x', better: 'lower' },
  ];
};
