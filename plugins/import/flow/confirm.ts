// Confirming an import: the accounts to create are created (keyed by the file's account, so doing it
// twice makes one), the import moves from ready to queued exactly once, and the job is enqueued.
import { conflict, type PluginContext } from '../../../plugin-sdk/index.ts';
import { importableAccounts, ledgerSources, SOURCE } from '../ledger/services.ts';
import type { TargetChoice } from '../plan/targets.ts';
import { busyAccounts, getImport, markQueued, type ImportRecord } from '../store/imports.ts';
import { enqueueRun } from './enqueue.ts';
import { unprocessable } from './errors.ts';
import { prepare, type PrepareInput } from './prepare.ts';

export async function confirmImport(ctx: PluginContext, imp: ImportRecord, changes: Pick<PrepareInput, 'targets' | 'forcedLines'> = {}): Promise<ImportRecord> {
  if (imp.status !== 'ready') throw conflict(imp.status === 'mapping' ? 'choose the CSV columns first' : `this import is already ${imp.status}`);
  if (changes.targets || changes.forcedLines) {
    await prepare(ctx, imp, changes);
    imp = (await getImport(ctx.db.sql, imp.id))!;
  }
  const targets = imp.targets ?? [];
  const preview = imp.preview!;
  const importing = preview.accounts.filter((a) => a.target.kind !== 'skip');
  if (!importing.length) {
    const reasons = preview.accounts.map((a) => (a.target.kind === 'skip' ? a.target.reason : '')).filter(Boolean);
    throw unprocessable(`Nothing to import. ${reasons.join(' ')}`.trim());
  }
  const ledgerAccounts = await importableAccounts(ctx);
  const busy = await busyAccounts(ctx.db.sql, imp.id);
  for (const t of targets) {
    if ('accountId' in t && busy.has(t.accountId)) {
      const name = ledgerAccounts.find((a) => a.id === t.accountId)?.name ?? 'this account';
      throw conflict(`another import into ${name} is still running; confirm this one when it has finished`);
    }
  }
  const final = await createAccounts(ctx, targets);
  if (!(await markQueued(ctx.db.sql, imp.id, final))) throw conflict('this import was confirmed already');
  await enqueueRun(ctx, imp.id);
  return (await getImport(ctx.db.sql, imp.id))!;
}

async function createAccounts(ctx: PluginContext, targets: TargetChoice[]): Promise<TargetChoice[]> {
  const creates = targets.flatMap((t) => ('create' in t ? [t.create] : []));
  if (!creates.length) return targets;
  const ids = await ledgerSources(ctx).upsertAccounts(SOURCE, creates.map((c) => ({
    externalId: c.externalId, name: c.name, type: c.type, subtype: c.subtype ?? null, currency: c.currency, mask: c.mask ?? null,
  })));
  return targets.map((t) => ('create' in t ? { index: t.index, accountId: ids[t.create.externalId], created: true } : t));
}
