// The preview of an import: the file read with its mapping (CSV), each file account matched to its
// target, rows checked against the ledger for duplicates, stored with the import. Run at upload,
// after the CSV mapping step, and whenever the user changes a target or marks a duplicate to import
// anyway. Nothing is written to the ledger here.
import { conflict, type PluginContext, type PluginSql } from '../../../plugin-sdk/index.ts';
import { StatementError, type CsvMapping, type ParsedStatement } from '../parsers/index.ts';
import { existingTransactions } from '../ledger/existing.ts';
import { householdCategories, importableAccounts, type LedgerView } from '../ledger/services.ts';
import { analyse } from '../plan/analyse.ts';
import { categoryResolver, namesCategories } from '../plan/categories.ts';
import { summarize, type Preview } from '../plan/preview.ts';
import { readStatement } from '../plan/read-file.ts';
import { defaultTargets, type TargetChoice } from '../plan/targets.ts';
import { getFile, previousTargets, saveMappingProblem, savePreview, type ImportRecord } from '../store/imports.ts';
import { gone, statementProblem } from './errors.ts';
import { importSettings } from './settings.ts';
import { checkTargets, type TargetInput } from './targets-input.ts';

export type PrepareInput = {
  bytes?: Uint8Array;
  statement?: ParsedStatement;
  csvMapping?: CsvMapping;
  targets?: TargetInput[];
  forcedLines?: number[];
};

/**
 * Where a request's work reads and writes the imports table: by default each statement on its own;
 * under an Idempotency-Key, the key's transaction (`sql`), with the ledger read before it opened.
 */
export type Using = { sql?: PluginSql; ledger?: LedgerView };

/** Returns the preview, or null when a CSV mapping does not fit the file (the reason is stored with the import). */
export async function prepare(ctx: PluginContext, imp: ImportRecord, input: PrepareInput = {}, using: Using = {}): Promise<Preview | null> {
  if (imp.status !== 'mapping' && imp.status !== 'ready') throw conflict(`this import is already ${imp.status}`);
  const sql = using.sql ?? ctx.db.sql;
  const bytes = input.bytes ?? (await getFile(sql, imp.id));
  if (!bytes) throw gone();
  const csvMapping = imp.format === 'csv' ? input.csvMapping ?? imp.csvMapping : null;
  let statement = input.statement;
  if (!statement) {
    if (imp.format === 'csv' && !csvMapping) return null;
    try {
      statement = readStatement({ ...imp, csvMapping }, bytes);
    } catch (err) {
      if (err instanceof StatementError && imp.format === 'csv' && csvMapping) {
        await saveMappingProblem(sql, imp.id, csvMapping, err.message);
        return null;
      }
      statementProblem(err);
    }
  }
  const categorized = namesCategories(statement.accounts);
  const [ledgerAccounts, categories, settings] = await Promise.all([
    using.ledger?.accounts ?? importableAccounts(ctx),
    categorized ? using.ledger?.categories ?? householdCategories(ctx) : undefined,
    importSettings(ctx),
  ]);
  const who = { importId: imp.id, filename: imp.filename, baseCurrency: ctx.household.baseCurrency };
  const sameShape = imp.targets && imp.targets.every((t) => t.index < statement.accounts.length);
  const base: TargetChoice[] = sameShape && imp.targets
    ? imp.targets
    : defaultTargets(statement.accounts, {
      ...who, ledgerAccounts, requestedAccountId: imp.requestedAccountId, previous: await previousTargets(sql, imp.sha256, imp.id),
    });
  const targets = input.targets ? checkTargets(input.targets, base, statement.accounts, ledgerAccounts, who) : base;
  const forcedLines = input.forcedLines ?? imp.forcedLines;
  const analysis = await analyse(statement, targets, {
    ledgerAccounts,
    existing: (accountId, range, ids) => existingTransactions(sql, accountId, range, ids),
    toleranceDays: settings.duplicateDays,
    forced: new Set(forcedLines),
    ...(categories ? { category: categoryResolver(categories) } : {}),
  });
  const preview = summarize(analysis);
  await savePreview(sql, imp.id, { csvMapping, targets, preview, forcedLines });
  return preview;
}
