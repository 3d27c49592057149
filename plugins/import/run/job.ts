// The import job: writes a confirmed import into the ledger in batches, reporting progress.
//
// Why batches and not one transaction: the ledger takes rows through its `ledger.sources` service,
// one ledger transaction per call (a service runs in its own plugin's transaction), and a batch is
// capped at 50,000 rows. So each batch commits on its own, together with the ledger-kept cursor
// `import:<id>` naming the next batch. Every row carries a stable external id (FITID or derived),
// so re-applying a batch can never duplicate it, and the plan (which rows, in which batches) is
// fixed at the first run: a job that crashes or fails is retried by the job bus (or by the user)
// and resumes after the last committed batch, completing the import exactly once.
import type { PluginContext } from '../../../plugin-sdk/index.ts';
import { existingTransactions } from '../ledger/existing.ts';
import { householdCategories, importableAccounts, ledgerSources, SOURCE } from '../ledger/services.ts';
import { analyse, type Entry } from '../plan/analyse.ts';
import { categoryResolver, namesCategories } from '../plan/categories.ts';
import { readStatement } from '../plan/read-file.ts';
import { getFile, getImport, type ImportRecord } from '../store/imports.ts';
import { claimRun, failRun, finishRun, readPlan, readProgress, recordProgress, savePlan } from '../store/runs.ts';
import { importSettings } from '../flow/settings.ts';
import { balanceAfterImport, householdToday } from './balance.ts';
import { makePlan, type Plan, type PlanAccount } from './plan.ts';
import { reportProgress } from './progress.ts';
import type { ImportResult } from './result.ts';

export const BATCH_ROWS = 5000;

type Item = { account: PlanAccount; entry: Entry };

export async function runImport(ctx: PluginContext, importId: string, opts: { batchRows?: number } = {}): Promise<void> {
  const sql = ctx.db.sql;
  const imp = await getImport(sql, importId);
  // Discarded, not confirmed, or already complete (a repeated delivery): nothing to do.
  if (!imp || imp.status === 'done' || imp.status === 'mapping' || imp.status === 'ready') return;
  // Thrown (not returned) so the bus tries again later, should the other run die meanwhile.
  if (!(await claimRun(sql, importId))) throw new Error(`import ${importId} is being written by another run`);
  try {
    await execute(ctx, imp, opts.batchRows ?? BATCH_ROWS);
  } catch (err) {
    const settings = await importSettings(ctx);
    await failRun(sql, importId, (err as Error).message ?? String(err), settings.keepUploadHours);
    throw err;
  }
}

async function execute(ctx: PluginContext, imp: ImportRecord, batchRows: number): Promise<void> {
  const sql = ctx.db.sql;
  const bytes = await getFile(sql, imp.id);
  if (!bytes) throw new Error('the uploaded file is no longer kept; upload it again');
  await reportProgress(ctx, { done: 0, total: null, message: 'Reading the file and checking for duplicates' });
  const statement = readStatement(imp, bytes);
  // The file's categories are matched again now: one the user created after the preview counts.
  const [ledgerAccounts, categories, settings] = await Promise.all([
    importableAccounts(ctx), namesCategories(statement.accounts) ? householdCategories(ctx) : undefined, importSettings(ctx),
  ]);
  let plan = await readPlan(sql, imp.id);
  const analysis = await analyse(statement, imp.targets ?? [], {
    ledgerAccounts,
    // A retry keeps its plan: comparing again would find this import's own earlier batches.
    existing: plan ? async () => [] : (accountId, range, ids) => existingTransactions(sql, accountId, range, ids),
    toleranceDays: settings.duplicateDays,
    forced: new Set(imp.forcedLines),
    ...(categories ? { category: categoryResolver(categories) } : {}),
  });
  if (!plan) {
    const created = new Set((imp.targets ?? []).flatMap((t) => ('accountId' in t && t.created ? [t.accountId] : [])));
    plan = makePlan(analysis, created);
    await savePlan(sql, imp.id, plan);
  }
  const batches = batchesOf(plan, analysis.accounts.map((a) => new Map(a.entries.map((e) => [e.t.line, e]))), batchRows);
  const removals = plan.accounts.flatMap((a) => a.removals.map((externalId) => ({ accountId: a.accountId, externalId })));
  if (removals.length && !batches.length) batches.push([]);

  const sources = ledgerSources(ctx);
  const key = `import:${imp.id}`;
  const cursor = await sources.getSourceCursor(SOURCE, key);
  const next = cursor ? Number(JSON.parse(cursor).next) : 0;
  let state = await readProgress(sql, imp.id);
  // Batches the ledger committed that this table did not count (a crash in between): every row of
  // the plan was absent when it was made, and no other import writes these accounts meanwhile.
  const committed = batches.slice(0, next).reduce((n, b) => n + b.length, 0);
  if (state.done < committed) {
    state = { done: committed, added: state.added + committed - state.done, removed: state.removed };
    await recordProgress(sql, imp.id, state);
  }
  await reportProgress(ctx, { done: state.done, total: plan.total, message: 'Importing' });
  for (let b = next; b < batches.length; b++) {
    const rows = batches[b].map(({ account, entry }) => ({ ...entry.row, accountId: account.accountId }));
    const r = await sources.applyTransactionBatch({
      source: SOURCE, added: rows, removed: b === 0 ? removals : [], cursor: { key, value: JSON.stringify({ next: b + 1 }) },
    });
    state = { done: state.done + rows.length, added: state.added + r.inserted.length, removed: state.removed + r.removed.length };
    await recordProgress(sql, imp.id, state);
    await reportProgress(ctx, { done: state.done, total: plan.total, message: 'Importing' });
  }
  const result = await finish(ctx, plan, state);
  await finishRun(sql, imp.id, result);
  ctx.log.info('statement imported', { importId: imp.id, added: result.added, duplicates: result.duplicates, failed: result.failed });
}

function batchesOf(plan: Plan, entries: Map<number, Entry>[], size: number): Item[][] {
  const items: Item[] = [];
  for (const account of plan.accounts) {
    const byLine = entries[account.index];
    for (const line of account.lines) {
      const entry = byLine?.get(line);
      if (!entry) throw new Error(`line ${line} of the plan is not in the file any more`);
      items.push({ account, entry });
    }
  }
  const out: Item[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

async function finish(ctx: PluginContext, plan: Plan, state: { added: number; removed: number }): Promise<ImportResult> {
  const today = householdToday(ctx.household.timeZone);
  const balances = plan.accounts.map((a) => balanceAfterImport(a, a.lines.length, today));
  const records = balances.filter((b) => b !== null);
  if (records.length) await ledgerSources(ctx).recordBalances(records);
  return {
    added: state.added,
    duplicates: plan.duplicates,
    removed: state.removed,
    failed: plan.failed,
    failures: plan.failures,
    accounts: plan.accounts.map((a, i) => ({
      index: a.index, accountId: a.accountId, name: a.name, created: a.created, added: a.lines.length,
      duplicates: a.duplicates, removed: a.removals.length, balance: balances[i]?.balance ?? null,
    })),
    skipped: plan.skipped,
  };
}
