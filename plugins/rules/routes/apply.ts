// Apply to existing transactions: GET /apply shows the preview (how many would change, a sample) for
// all rules or one (?rule=<id>), optionally within dates; POST /apply confirms and starts the job;
// /runs/:id shows its progress (htmx polls it while it runs; without JS, reload the page).
import { badRequest, ctxOf, type PluginApp } from '../../../plugin-sdk/index.ts';
import { displayValue, fieldLabel } from '../form/describe.ts';
import { loadNames } from '../ledger/names.ts';
import { getRun, previewApply, startApply, type ApplyInput } from '../run/apply-existing.ts';
import { getRule, isUuid } from '../store/rules.ts';
import { isHtmx, page, readForm } from './http.ts';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function applyInput(get: (k: string) => string | undefined | null): ApplyInput {
  const rule = get('rule') ?? '';
  const from = get('from') ?? '';
  const to = get('to') ?? '';
  if (rule && !isUuid(rule)) throw badRequest('rule must be a rule id');
  if ((from && !DATE.test(from)) || (to && !DATE.test(to))) throw badRequest('dates must be YYYY-MM-DD');
  if (from && to && from > to) throw badRequest('from must not be after to');
  return { ruleIds: rule ? [rule] : null, from: from || null, to: to || null };
}

export function applyRoutes(app: PluginApp): void {
  app.get('/apply', async (c) => {
    const ctx = ctxOf(c);
    const input = applyInput((k) => c.req.query(k));
    const rule = input.ruleIds ? await getRule(ctx.db.sql, input.ruleIds[0]) : null;
    const [preview, names] = await Promise.all([previewApply(ctx, input), loadNames(ctx.db.sql)]);
    const sample = preview.sample.map((s) => ({
      ...s,
      changes: s.changes.map((ch) => ({ label: fieldLabel(ch.field), before: displayValue(ch.field, ch.before, names), after: displayValue(ch.field, ch.after, names) })),
    }));
    return page(c, await ctx.render('apply', { rule, input, preview: { ...preview, sample } }), 'Apply rules to existing transactions');
  });

  app.post('/apply', async (c) => {
    const ctx = ctxOf(c);
    const form = await readForm(c.req.raw);
    const input = applyInput((k) => form.get(k));
    const previewed = Number(form.get('previewed'));
    const run = await startApply(ctx, { ...input, previewed: Number.isInteger(previewed) && previewed >= 0 ? previewed : null });
    const to = ctx.url(`/runs/${run.id}`);
    if (isHtmx(c.req.raw)) return c.body(null, 200, { 'hx-redirect': to });
    return c.redirect(to, 303);
  });

  app.get('/runs/:id', async (c) => {
    const ctx = ctxOf(c);
    const run = await getRun(ctx.db.sql, c.req.param('id'));
    if (isHtmx(c.req.raw)) return c.html(await ctx.render('run', { run }));
    return page(c, await ctx.render('run-page', { run }), 'Applying rules');
  });
}
