// Renders an import's page for its status: the CSV mapping step, the preview, progress, result.
import type { PluginContext } from '../../../plugin-sdk/index.ts';
import { csvStep, type CsvStep } from '../flow/csv-step.ts';
import { importableAccounts } from '../ledger/services.ts';
import { StatementError } from '../parsers/index.ts';
import { LEDGER_TYPE_LABELS, LEDGER_TYPES } from '../plan/targets.ts';
import { getFile, type ImportRecord } from '../store/imports.ts';
import { dateFormats, DELIMITER_CHOICES, ENCODINGS, mappingToFields } from './mapping-form.ts';
import { localTime } from '../../../plugin-sdk/index.ts';

/** Column choices for the mapping selects: "1 · Date" (header) or "Column 1 (2024-01-03)" (no header). */
function columnChoices(step: CsvStep): { value: string; label: string }[] {
  const width = Math.max(step.sample.headers.length, ...step.sample.sampleRows.slice(0, 20).map((r) => r.length));
  return Array.from({ length: width }, (_, i) => {
    const head = step.sample.headers[i] ?? '';
    const label = step.mapping.hasHeader ? `${i + 1} · ${head || '(no name)'}` : `Column ${i + 1}${head ? ` (${head.slice(0, 30)})` : ''}`;
    return { value: String(i), label };
  });
}

export async function mappingRows(ctx: PluginContext, step: CsvStep): Promise<string> {
  return ctx.render('csv-rows', { step });
}

export async function mappingSection(ctx: PluginContext, imp: ImportRecord): Promise<string> {
  const bytes = await getFile(ctx.db.sql, imp.id);
  if (!bytes) return ctx.render('gone', { imp });
  let step: CsvStep;
  try {
    step = csvStep(bytes, imp.csvMapping);
  } catch (err) {
    if (err instanceof StatementError) return ctx.render('gone', { imp, error: err.message });
    throw err;
  }
  return ctx.render('mapping', {
    imp, step, fields: mappingToFields(step.mapping, step.sample.headers), columns: columnChoices(step),
    dateFormats, encodings: ENCODINGS, delimiters: DELIMITER_CHOICES,
  });
}

export async function progressFragment(ctx: PluginContext, imp: ImportRecord): Promise<string> {
  return ctx.render('progress', { imp });
}

export async function importPage(ctx: PluginContext, imp: ImportRecord, error: string | null = null, opts: { columns?: boolean } = {}): Promise<string> {
  let body: string;
  if (imp.status === 'mapping' || (opts.columns && imp.status === 'ready' && imp.format === 'csv')) body = await mappingSection(ctx, imp);
  else if (imp.status === 'ready') {
    const accounts = await importableAccounts(ctx);
    body = await ctx.render('preview', { imp, preview: imp.preview, accounts, types: LEDGER_TYPES.map((value) => ({ value, label: LEDGER_TYPE_LABELS[value] })), forced: new Set(imp.forcedLines) });
  } else body = await progressFragment(ctx, imp);
  return ctx.render('import', { imp, body, error, uploaded: localTime(imp.createdAt, ctx.household.timeZone) });
}
