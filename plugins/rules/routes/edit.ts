// Creating and editing a rule. The form posts back to itself: row buttons ("Add condition",
// "Remove", "Update") re-render it with the change, "Save" validates and stores. Works without
// JavaScript; with htmx the form swaps itself in place. /new?from=<transactionId> starts from a
// transaction (the ledger's transactions page links here: "Create a rule from this transaction").
import type { Context } from 'hono';
import { ctxOf, type PluginApp, type PluginContext, type PluginEnv } from '../../../plugin-sdk/index.ts';
import { RuleInputSchema } from '../engine/schema.ts';
import { applyOp, draftFromForm, draftFromRule, draftToInput, emptyDraft, placeErrors, type Draft, type DraftErrors } from '../form/draft.ts';
import { ACTION_KINDS, KINDS, kindOf } from '../form/kinds.ts';
import { draftFromTransaction } from '../form/prefill.ts';
import { accountOptions, categoryOptions, pfcCodes } from '../ledger/names.ts';
import { readTransaction } from '../ledger/transactions.ts';
import { referenceIssues } from '../store/references.ts';
import { createRule, getRule, inputOf, isUuid, updateRule } from '../store/rules.ts';
import { done, invalidStatus, isHtmx, page, readForm } from './http.ts';

const NO_ERRORS: DraftErrors = { form: [], conditions: {}, actions: {} };

async function renderForm(ctx: PluginContext, opts: { draft: Draft; action: string; title: string; errors?: DraftErrors; fromTransaction?: string | null }) {
  const { sql } = ctx.db;
  const [accounts, categories, codes] = await Promise.all([accountOptions(sql), categoryOptions(sql), pfcCodes(sql)]);
  const conditions = opts.draft.conditions.map((c) => ({ ...c, input: kindOf(c.kind)?.input ?? 'text' }));
  return ctx.render('form', {
    draft: { ...opts.draft, conditions },
    action: opts.action,
    title: opts.title,
    errors: opts.errors ?? NO_ERRORS,
    kinds: KINDS,
    actionKinds: ACTION_KINDS,
    accounts,
    categories,
    codes,
    fromTransaction: opts.fromTransaction ?? null,
  });
}

/** The form alone for htmx, or the form page. */
async function answerForm(c: Context<PluginEnv>, ctx: PluginContext, opts: Parameters<typeof renderForm>[1], status = 200) {
  const html = await renderForm(ctx, opts);
  if (isHtmx(c.req.raw)) return c.html(html, status as 200);
  return page(c, await ctx.render('edit', { form: html, title: opts.title }), opts.title, status);
}

/** Handles a post of the form: a row button, or Save (validate, then store via `save`). */
async function post(c: Context<PluginEnv>, action: string, title: string, save: (input: never) => Promise<unknown>) {
  const ctx = ctxOf(c);
  const form = await readForm(c.req.raw);
  const op = form.get('_op') ?? 'save';
  const draft = draftFromForm(form);
  if (op !== 'save') return answerForm(c, ctx, { draft: applyOp(draft, op), action, title });
  const parsed = RuleInputSchema.safeParse(draftToInput(draft));
  const issues = parsed.success ? await referenceIssues(ctx.db.sql, parsed.data) : parsed.error.issues;
  if (issues.length) return answerForm(c, ctx, { draft, action, title, errors: placeErrors(issues) }, invalidStatus(c.req.raw));
  await save(parsed.data as never);
  return done(c, ctx.url('/'));
}

export function editRoutes(app: PluginApp): void {
  app.get('/new', async (c) => {
    const ctx = ctxOf(c);
    const from = c.req.query('from') ?? null;
    let draft = emptyDraft();
    if (from) {
      const t = isUuid(from) ? await readTransaction(ctx.db.sql, from) : null;
      if (!t) return c.html(await ctx.render('missing', { what: 'That transaction was not found in this household.' }), 404);
      draft = draftFromTransaction(t);
    }
    return answerForm(c, ctx, { draft, action: ctx.url('/new'), title: 'New rule', fromTransaction: from });
  });

  app.post('/new', (c) => post(c, ctxOf(c).url('/new'), 'New rule', (input) => createRule(ctxOf(c).db.sql, input)));

  app.get('/:id/edit', async (c) => {
    const ctx = ctxOf(c);
    const rule = await getRule(ctx.db.sql, c.req.param('id'));
    return answerForm(c, ctx, { draft: draftFromRule(inputOf(rule)), action: ctx.url(`/${rule.id}/edit`), title: `Edit rule: ${rule.name}` });
  });

  app.post('/:id/edit', async (c) => {
    const ctx = ctxOf(c);
    const rule = await getRule(ctx.db.sql, c.req.param('id'));
    return post(c, ctx.url(`/${rule.id}/edit`), `Edit rule: ${rule.name}`, (input) => updateRule(ctx.db.sql, rule.id, input));
  });
}
