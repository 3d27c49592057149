// The import API under /api/v1/import: upload (→ preview), the CSV mapping step, preview changes,
// confirm (→ job), status and result, discard. Every route reads and writes only the caller's
// household's imports (row-level security): another household's id is a 404.
//
// The POSTs that make something (an upload makes an import, a confirm or a retry a job run) honour
// Idempotency-Key (plugin-sdk idempotent(): the first answer is kept in the transaction that made
// it; the same key with another request is a 422). An upload's retry gets the very answer of the
// first; a confirm's or retry's gets the import as it is now (its job id is known only once the job
// is enqueued, after the commit), with no second job.
import { conflict, idempotent, notFound, z, type PluginApiRoute, type PluginContext, type PluginSql } from '../../../plugin-sdk/index.ts';
import { queueImport } from '../flow/confirm.ts';
import { csvStep } from '../flow/csv-step.ts';
import { enqueueRun } from '../flow/enqueue.ts';
import { gone, statementProblem } from '../flow/errors.ts';
import { prepare } from '../flow/prepare.ts';
import { receiveUpload } from '../flow/upload.ts';
import { ledgerView } from '../ledger/services.ts';
import { discardImport, getFile, getImport, listImports, type ImportRecord } from '../store/imports.ts';
import { requeue } from '../store/runs.ts';
import { presentImport } from './present.ts';
import { ConfirmIn, CsvMappingIn, CsvStepOut, ImportId, ImportOut, PrepareIn, UploadIn } from './schemas.ts';

async function load(ctx: PluginContext, id: string, sql: PluginSql = ctx.db.sql): Promise<ImportRecord> {
  const imp = await getImport(sql, id);
  if (!imp) throw notFound('no such import in this household');
  return imp;
}

/**
 * Runs `make` once per Idempotency-Key, in the key's transaction, and `after` once it committed
 * (first run only). Without a key, as before: each statement on its own, no transaction held while
 * a large file is read.
 */
async function once<T>(
  ctx: PluginContext, route: string, request: unknown, make: (sql: PluginSql) => Promise<T>, after?: (made: T) => Promise<unknown>,
): Promise<T> {
  if (!ctx.idempotencyKey) {
    const made = await make(ctx.db.sql);
    if (after) await after(made);
    return made;
  }
  return idempotent(ctx, route, request, make, after);
}

/** An import's id, kept as the answer of a confirm or a retry: replaying one answers the import as it is now. */
type Made = { id: string };

export const api: PluginApiRoute[] = [
  {
    method: 'post',
    path: '/imports',
    summary: 'Upload a statement (OFX, QFX, QIF or CSV): returns the import with its preview, or waiting for its CSV mapping',
    body: UploadIn,
    response: ImportOut,
    idempotent: true,
    handler: async ({ body, ctx }) => {
      const upload = {
        filename: body.filename, bytes: Buffer.from(body.content, 'base64'), accountId: body.accountId ?? null,
        encoding: body.encoding ?? null, csvMapping: body.csvMapping ?? null,
      };
      const ledger = ctx.idempotencyKey ? await ledgerView(ctx) : undefined;
      return once(ctx, 'imports.create', body, async (sql) => presentImport(await receiveUpload(ctx, upload, ctx.idempotencyKey ? { sql, ledger } : {})));
    },
  },
  {
    method: 'get',
    path: '/imports',
    summary: "The household's recent imports, newest first",
    query: z.object({ limit: z.coerce.number().int().min(1).max(100).default(20) }).strict(),
    response: z.object({ imports: z.array(ImportOut) }),
    handler: async ({ query, ctx }) => ({ imports: (await listImports(ctx.db.sql, query.limit)).map(presentImport) }),
  },
  {
    method: 'get',
    path: '/imports/:id',
    summary: 'An import: its preview, progress and result',
    params: ImportId,
    response: ImportOut,
    handler: async ({ params, ctx }) => presentImport(await load(ctx, params.id)),
  },
  {
    method: 'post',
    path: '/imports/:id/csv',
    summary: 'CSV mapping step: the first records, a suggested mapping, and the first rows as a mapping (given, or the suggestion) reads them',
    params: ImportId,
    body: z.object({ csvMapping: CsvMappingIn.optional() }).strict(),
    response: CsvStepOut,
    status: 200,
    handler: async ({ params, body, ctx }) => {
      const imp = await load(ctx, params.id);
      if (imp.format !== 'csv') throw conflict('this import is not a CSV file');
      const bytes = await getFile(ctx.db.sql, imp.id);
      if (!bytes) throw gone();
      let step;
      try {
        step = csvStep(bytes, body.csvMapping ?? imp.csvMapping);
      } catch (err) {
        statementProblem(err);
      }
      return {
        encoding: step.sample.encoding, delimiter: step.sample.delimiter, skipLines: step.sample.skipLines,
        headers: step.sample.headers, sampleRows: step.sample.sampleRows, suggestion: step.suggestion, mapping: step.mapping,
        rows: (step.preview?.rows ?? []).map((r) => ({
          line: r.line, fields: r.fields, ...(r.error ? { error: r.error } : {}),
          ...(r.transaction ? { transaction: { date: r.transaction.date, amount: r.transaction.amount, payee: r.transaction.payee, memo: r.transaction.memo } } : {}),
        })),
        error: step.error,
      };
    },
  },
  {
    method: 'post',
    path: '/imports/:id/preview',
    summary: 'Set the CSV mapping, the target accounts or the duplicates to import anyway, and compute the preview again',
    params: ImportId,
    body: PrepareIn,
    response: ImportOut,
    status: 200,
    handler: async ({ params, body, ctx }) => {
      const imp = await load(ctx, params.id);
      await prepare(ctx, imp, body);
      return presentImport(await load(ctx, params.id));
    },
  },
  {
    method: 'post',
    path: '/imports/:id/confirm',
    summary: 'Confirm the previewed import: the rows are written by a background job (see jobId and progress)',
    params: ImportId,
    body: ConfirmIn,
    response: ImportOut,
    status: 202,
    idempotent: true,
    handler: async ({ params, body, ctx }) => {
      const ledger = ctx.idempotencyKey ? await ledgerView(ctx) : undefined;
      const made = await once<Made>(ctx, 'imports.confirm', { id: params.id, body }, async (sql) => {
        const imp = await load(ctx, params.id, sql);
        await queueImport(ctx, imp, body, ctx.idempotencyKey ? { sql, ledger } : {});
        return { id: imp.id };
      }, ({ id }) => enqueueRun(ctx, id));
      return presentImport(await load(ctx, made.id));
    },
  },
  {
    method: 'post',
    path: '/imports/:id/retry',
    summary: 'Retry a failed import: it resumes after the last batch the ledger committed',
    params: ImportId,
    response: ImportOut,
    status: 202,
    idempotent: true,
    handler: async ({ params, ctx }) => {
      const made = await once<Made>(ctx, 'imports.retry', { id: params.id }, async (sql) => {
        const imp = await load(ctx, params.id, sql);
        if (!(await requeue(sql, imp.id))) throw conflict(`only a failed import whose file is still kept can be retried (this one is ${imp.status})`);
        return { id: imp.id };
      }, ({ id }) => enqueueRun(ctx, id));
      return presentImport(await load(ctx, made.id));
    },
  },
  {
    method: 'delete',
    path: '/imports/:id',
    summary: 'Discard an import that has not been confirmed (or failed): its file is deleted',
    params: ImportId,
    status: 204,
    handler: async ({ params, ctx }) => {
      const imp = await load(ctx, params.id);
      if (!(await discardImport(ctx.db.sql, imp.id))) throw conflict(`an import that is ${imp.status} cannot be discarded`);
    },
  },
];
