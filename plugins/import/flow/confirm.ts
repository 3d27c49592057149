// Confirming an import: the accounts to create are created (keyed by the file's account, so doing it
// twice makes one), the import moves from ready to queued exactly once, and the job is enqueued.
// Under an Idempotency-Key (the API) the move is made in the key's transaction and the job enqueued
// after it commits: a job started earlier would find the import not yet queued.
import { conflict, type PluginContext } from '../../../plugin-sdk/index.ts';
import { importableAccounts, ledgerSources, SOURCE } from '../ledger/services.ts';
import type { TargetChoice } from '../plan/targets.ts';
import { busyAccounts, getImport, markQueued, type ImportRecord } from '../store/imports.ts';
import { enqueueRun } from './enqueue.ts';
import { unprocessable } from './errors.ts';
import { prepare, type PrepareInput, type Using } from './prepare.ts';

type Changes = Pick<PrepareInput, 'targets' | 'forcedLines'>;

export async function confirmImport(ctx: PluginContext, imp: ImportRecord, changes: Changes = {}): Promise<ImportRecord> {
  await queueImport(ctx, imp, changes);
  await enqueueRun(ctx, imp.id);
  return (await getImport(ctx.db.sql, imp.id))!;
}

/** Everything confirming does but start the job (enqueueRun, once this is committed). */
export async function queueImport(ctx: PluginContext, imp: ImportRecord, changes: Changes = {}, using: Using = {}): Promise<void> {
  const sql = using.sql ?? ctx.db.sql;
  if (imp.status !== 'ready') throw conflict(imp.status === 'mapping' ? 'choose the CSV columns first' : `this import is already ${imp.status}`);
  if (changes.targets || changes.forcedLines) {
    await prepare(ctx, imp, changes, using);
    imp = (await getImport(sql, imp.id))!;
  }
  const targets = imp.targets ?? [];
  const preview = imp.preview!;
  const importing = preview.accounts.filter((a) => a.target.kind !== 'skip');
  if (!importing.length) {
    const reasons = preview.accounts.map((a) => (a.target.kind === 'skip' ? a.target.reason : '')).filter(Boolean);
    throw unprocessable(`Nothing to import. ${reasons.join(' ')}`.trim());
  }
  const ledgerAccounts = using.ledger?.accounts ?? (await importableAccounts(ctx));
  const busy = await busyAccounts(sql, imp.id);
  for (const t of targets) {
    if ('accountId' in t && busy.has(t.accountId)) {
      const name = ledgerAccounts.find((a) => a.id === t.accountId)?.name ?? 'this account';
      throw conflict(`another import into ${name} is still running; confirm this one when it has finished`);
    }
  }
  // Through the ledger's service, committed on its own: upsertAccounts is keyed by the file's
  // account, so a confirmation rolled back after it leaves accounts a second one finds again. Under
  // an Idempotency-Key that is a second transaction slot (core/plugins/tx-slots.ts) taken while the
  // key's is held: as many such confirms at once as there are slots would wait on each other until
  // the transaction deadline (known, left: it needs all of them creating accounts at once).
  const final = await createAccounts(ctx, targets);
  if (!(await markQueued(sql, imp.id, final))) throw conflict('this import was confirmed already');
}

async function createAccounts(ctx: PluginContext, targets: TargetChoice[]): Promise<TargetChoice[]> {
  const creates = targets.flatMap((t) => ('create' in t ? [t.create] : []));
  if (!creates.length) return targets;
  const ids = await ledgerSources(ctx).upsertAccounts(SOURCE, creates.map((c) => ({
    externalId: c.externalId, name: c.name, type: c.type, subtype: c.subtype ?? null, currency: c.currency, mask: c.mask ?? null,
  })));
  return targets.map((t) => ('create' in t ? { index: t.index, accountId: ids[t.create.externalId], created: true } : t));
}
