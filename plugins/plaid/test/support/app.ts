// The Plaid plugin under test: a real kernel (ledger + plaid in the mode asked for) on its own
// database, a fake Plaid on loopback that the official SDK inside the plugin talks to, and an
// instance whose Plaid settings (entered by the admin, alice) point at the fake (the base-URL
// override; loopback needs the instance flag MFF_PLUGIN_FETCH_ALLOW_PRIVATE).
import { resolve } from 'node:path';
import type { Mode } from '../../../../plugin-sdk/types.ts';
import { createTestKernel, type TestKernel, type TestSession } from '../../../../plugin-sdk/testing.ts';
import { FakePlaid, type FakePlaidOptions } from '../../fake/index.ts';

export const PLAID_DIR = resolve(import.meta.dirname, '../..');
export const LEDGER_DIR = resolve(import.meta.dirname, '../../../ledger');

export type PlaidApp = { t: TestKernel; fake: FakePlaid; alice: TestSession; close(): Promise<void> };

export type AppOptions = {
  /** Run job handlers in the test's kernel (default true); false when another process runs syncs. */
  jobs?: boolean;
  /** Where ctx.fetch to a declared host really goes (the real-Link tests send sandbox.plaid.com to the fake). */
  hosts?: (fake: FakePlaid) => Record<string, string>;
  /** The household's base-URL override (default: the fake's URL); '' for Plaid's own address. */
  baseUrl?: (fake: FakePlaid) => string;
};

export async function startPlaidApp(mode: Mode, fakeOpts: FakePlaidOptions = {}, opts: AppOptions = {}): Promise<PlaidApp> {
  const fake = await FakePlaid.start({ seed: 'plaid-plugin', ...fakeOpts });
  // A kernel that fails to start must not leave the fake listening (the test file would never end).
  const t = await createTestKernel({
    plugins: [{ dir: LEDGER_DIR, mode: 'in-process' }, { dir: PLAID_DIR, mode }],
    config: { MFF_PLUGIN_FETCH_ALLOW_PRIVATE: true },
    jobs: opts.jobs ?? true,
    hosts: opts.hosts?.(fake),
  }).catch(async (err) => {
    await fake.close();
    throw err;
  });
  const alice = await t.signUp({ household: { name: 'Alice & Bob', baseCurrency: 'USD', timeZone: 'America/New_York' } });
  await configure(t, alice, fake, opts.baseUrl?.(fake));
  return {
    t,
    fake,
    alice,
    async close() {
      await t.close();
      await fake.close();
    },
  };
}

/**
 * What the instance admin does once: Plaid's keys, environment and addresses on the kernel's form for
 * the plugin's instance settings (`s` must be the instance admin: the first user signed up).
 */
export async function configure(t: TestKernel, s: TestSession, fake: FakePlaid, baseUrl = fake.url): Promise<void> {
  const res = await s.form('/admin/plugins/plaid/settings', { clientId: fake.clientId, secret: fake.secret, environment: 'sandbox', webhookUrl: t.baseUrl, baseUrl });
  if (res.status !== 303) throw new Error(`plaid instance settings: ${res.status} ${res.text.slice(0, 300)}`);
}

/** Connects a bank the way a user does with the stand-in Link page; returns the new item's id. */
export async function connectBank(app: PlaidApp, institutionId = 'ins_109508', s: TestSession = app.alice): Promise<string> {
  const before = new Set(await itemIds(app, s));
  const page = await s.get('/p/plaid/link');
  if (page.status !== 200) throw new Error(`link page: ${page.status} ${page.text.slice(0, 500)}`);
  const linkToken = page.text.match(/name="link_token" value="([^"]+)"/)?.[1];
  if (!linkToken) throw new Error(`no link token on the stand-in page: ${page.text.slice(0, 500)}`);
  const done = await s.form('/p/plaid/link/stand-in', { link_token: linkToken, institution_id: institutionId, item: '' });
  if (done.status !== 303) throw new Error(`stand-in link: ${done.status} ${done.text.slice(0, 500)}`);
  const added = (await itemIds(app, s)).filter((id) => !before.has(id));
  if (added.length !== 1) throw new Error(`expected one new item, got ${added.length}`);
  return added[0];
}

export async function itemIds(app: PlaidApp, s: TestSession = app.alice): Promise<string[]> {
  const rows = await app.t.asHousehold(s.householdId, (tx) => tx`select item_id from plaid.items order by created_at`);
  return rows.map((r) => r.item_id as string);
}

export async function itemRow(app: PlaidApp, itemId: string, s: TestSession = app.alice): Promise<Record<string, any>> {
  const [row] = await app.t.asHousehold(s.householdId, (tx) => tx`select * from plaid.items where item_id = ${itemId}`);
  return row;
}

/** Waits until the item's sync has settled (no run queued or running) after `since`. */
export async function syncSettled(app: PlaidApp, itemId: string, opts: { s?: TestSession; timeoutMs?: number } = {}): Promise<Record<string, any>> {
  const until = Date.now() + (opts.timeoutMs ?? 60_000);
  for (;;) {
    const row = await itemRow(app, itemId, opts.s);
    const jobs = await app.t.kernel.db.admin`
      select count(*)::int as n from pgboss.job where name = 'plugin.plaid.sync' and state in ('created', 'retry', 'active')`.catch(() => [{ n: 0 }]);
    if (row && (row.sync_state === 'idle' || row.sync_state === 'waiting') && jobs[0].n === 0) return row;
    if (Date.now() > until) throw new Error(`sync of ${itemId} did not settle: ${JSON.stringify({ state: row?.sync_state, error: row?.last_error_code, jobs: jobs[0].n })}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The household's Plaid transactions in the ledger, by external id. */
export async function ledgerTransactions(app: PlaidApp, s: TestSession = app.alice): Promise<Map<string, Record<string, any>>> {
  const rows = await app.t.asHousehold(s.householdId, (tx) => tx`
    select t.external_id, t.amount::text, t.date::text, t.pending, t.payee, t.category_id, t.category_source, t.notes, t.tags,
           t.provider_category_detailed, a.external_id as account
    from ledger.transactions t join ledger.accounts a on a.id = t.account_id where t.source = 'plaid'`);
  return new Map(rows.map((r) => [r.external_id as string, r]));
}

/** Runs the plugin's `sync` job once, here and now (for tests whose kernel runs no job workers). */
export async function runSyncOnce(app: PlaidApp, itemId: string, data: { pageSize?: number; budgetMs?: number } = {}): Promise<void> {
  const p = app.t.kernel.plugins.get('plaid')!;
  const call = await app.t.kernel.plugins.bus.jobCall(p, app.alice.householdId, null);
  await p.runtime!.job('sync', { itemId, ...data }, { ...call, requestId: `test-${Date.now()}` });
}
