// The import pages under /p/import/: upload, the CSV mapping step with a live preview, the
// preview with duplicates and target accounts, confirmation, progress (htmx polling) and result.
// Every page works without JavaScript; htmx only makes the mapping preview and progress live.
import { ctxOf, HttpError, notFound, router, type PluginContext } from '../../../plugin-sdk/index.ts';
import { confirmImport } from '../flow/confirm.ts';
import { csvStep } from '../flow/csv-step.ts';
import { enqueueRun } from '../flow/enqueue.ts';
import { statementProblem } from '../flow/errors.ts';
import { prepare } from '../flow/prepare.ts';
import { receiveUpload } from '../flow/upload.ts';
import { importableAccounts } from '../ledger/services.ts';
import { discardImport, getFile, getImport, listImports, type ImportRecord } from '../store/imports.ts';
import { requeue } from '../store/runs.ts';
import { fieldsToMapping } from './mapping-form.ts';
import { page, readForm, redirect } from './http.ts';
import { importPage, mappingRows, progressFragment } from './pages.ts';
import { formTargets, forcedLines } from './preview-form.ts';
import { localTime } from '../../../plugin-sdk/index.ts';

export const routes = router();

async function load(ctx: PluginContext, id: string): Promise<ImportRecord> {
  const imp = await getImport(ctx.db.sql, id);
  if (!imp) throw notFound('There is no such import in this household.');
  return imp;
}

/** A problem the user can fix (unreadable file, nothing to import): the page again, with the message. */
async function withProblem<T>(fn: () => Promise<T>, onProblem: (message: string, status: number) => Promise<Response>): Promise<T | Response> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof HttpError && err.status >= 400 && err.status < 500 && err.status !== 404) return onProblem(err.message, err.status);
    throw err;
  }
}

async function indexPage(ctx: PluginContext, values: { accountId?: string; encoding?: string } = {}, error: string | null = null) {
  const [accounts, imports] = await Promise.all([importableAccounts(ctx), listImports(ctx.db.sql, 20)]);
  const tz = ctx.household.timeZone;
  return ctx.render('index', { accounts, imports: imports.map((i) => ({ ...i, uploaded: localTime(i.createdAt, tz) })), values, error });
}

routes.get('/', async (c) => page(c, await indexPage(ctxOf(c)), 'Import'));

routes.post('/imports', async (c) => {
  const ctx = ctxOf(c);
  const form = await readForm(c);
  const file = form.file('file');
  const values = { accountId: form.get('accountId'), encoding: form.get('encoding') };
  // A form sent with no file chosen still has a file part: empty, and without a name. A chosen file
  // that is empty goes on to receiveUpload, which says so.
  if (!file || (file.size === 0 && !file.name)) return page(c, await indexPage(ctx, values, 'Choose a statement file to upload.'), 'Import', 422);
  // Any account given is checked by receiveUpload: an unknown one is refused, never ignored.
  const accountId = values.accountId.trim() || null;
  const result = await withProblem(
    async () => receiveUpload(ctx, { filename: file.name, bytes: new Uint8Array(await file.arrayBuffer()), accountId, encoding: values.encoding || 'auto' }),
    async (message, status) => page(c, await indexPage(ctx, values, message), 'Import', status),
  );
  if (result instanceof Response) return result;
  return redirect(c, ctx.url(`/imports/${result.id}`));
});

routes.get('/imports/:id', async (c) => {
  const ctx = ctxOf(c);
  const imp = await load(ctx, c.req.param('id'));
  return page(c, await importPage(ctx, imp), `Import ${imp.filename}`);
});

// Back to the CSV mapping step from the preview.
routes.get('/imports/:id/columns', async (c) => {
  const ctx = ctxOf(c);
  const imp = await load(ctx, c.req.param('id'));
  return page(c, await importPage(ctx, imp, null, { columns: true }), `Import ${imp.filename}`);
});

// The mapping form's live preview: the first rows as the form's current mapping reads them.
routes.post('/imports/:id/csv-preview', async (c) => {
  const ctx = ctxOf(c);
  const imp = await load(ctx, c.req.param('id'));
  const bytes = await getFile(ctx.db.sql, imp.id);
  if (!bytes) throw new HttpError(410, 'The uploaded file is no longer kept.');
  const mapping = fieldsToMapping(await readForm(c));
  let step;
  try {
    step = csvStep(bytes, mapping);
  } catch (err) {
    statementProblem(err);
  }
  return c.html(await mappingRows(ctx, step));
});

routes.post('/imports/:id/mapping', async (c) => {
  const ctx = ctxOf(c);
  const imp = await load(ctx, c.req.param('id'));
  const mapping = fieldsToMapping(await readForm(c));
  const outcome = await withProblem(() => prepare(ctx, imp, { csvMapping: mapping }),
    async (message, status) => page(c, await importPage(ctx, imp, message), `Import ${imp.filename}`, status));
  if (outcome instanceof Response) return outcome;
  return redirect(c, ctx.url(`/imports/${imp.id}`));
});

routes.post('/imports/:id/preview', async (c) => {
  const ctx = ctxOf(c);
  const imp = await load(ctx, c.req.param('id'));
  const form = await readForm(c);
  const outcome = await withProblem(() => prepare(ctx, imp, { targets: formTargets(form, imp), forcedLines: forcedLines(form, imp.forcedLines) }),
    async (message, status) => page(c, await importPage(ctx, imp, message), `Import ${imp.filename}`, status));
  if (outcome instanceof Response) return outcome;
  return redirect(c, ctx.url(`/imports/${imp.id}`));
});

routes.post('/imports/:id/confirm', async (c) => {
  const ctx = ctxOf(c);
  const imp = await load(ctx, c.req.param('id'));
  const form = await readForm(c);
  const outcome = await withProblem(() => confirmImport(ctx, imp, { targets: formTargets(form, imp), forcedLines: forcedLines(form, imp.forcedLines) }),
    async (message, status) => page(c, await importPage(ctx, (await getImport(ctx.db.sql, imp.id)) ?? imp, message), `Import ${imp.filename}`, status));
  if (outcome instanceof Response) return outcome;
  return redirect(c, ctx.url(`/imports/${imp.id}`));
});

routes.get('/imports/:id/progress', async (c) => {
  const ctx = ctxOf(c);
  const imp = await load(ctx, c.req.param('id'));
  return c.html(await progressFragment(ctx, imp));
});

routes.post('/imports/:id/retry', async (c) => {
  const ctx = ctxOf(c);
  const imp = await load(ctx, c.req.param('id'));
  if (await requeue(ctx.db.sql, imp.id)) await enqueueRun(ctx, imp.id);
  return redirect(c, ctx.url(`/imports/${imp.id}`));
});

routes.post('/imports/:id/discard', async (c) => {
  const ctx = ctxOf(c);
  const imp = await load(ctx, c.req.param('id'));
  await discardImport(ctx.db.sql, imp.id);
  return redirect(c, ctx.url('/'));
});
