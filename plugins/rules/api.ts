// JSON API under /api/v1/rules: CRUD, order, the test box, and apply-to-existing (preview, then
// apply as a job whose progress GET /runs/:id reports). Every route is household-scoped: another
// household's rule id is simply not found.
import { idempotent, z, type PluginApiRoute } from '../../plugin-sdk/index.ts';
import { RuleInputSchema } from './engine/schema.ts';
import { getRun, previewApply, startApply } from './run/apply-existing.ts';
import { tryTransaction } from './run/try-transaction.ts';
import {
  ApplyInput, ConfirmApplyInput, MoveInput, PreviewOut, ReorderInput, RuleId, RuleOut, RulePatch, RunOut, TryInput, TryOut,
} from './schemas.ts';
import { moveRule, reorderStage } from './store/order.ts';
import { createRule, deleteRule, getRule, inputOf, listRules, updateRule } from './store/rules.ts';

export const api: PluginApiRoute[] = [
  {
    method: 'get',
    path: '/',
    summary: "The household's rules in run order (stage, then position), with how often each fired",
    response: z.object({ rules: z.array(RuleOut) }),
    handler: async ({ ctx }) => ({ rules: await listRules(ctx.db.sql) }),
  },
  {
    method: 'post',
    path: '/',
    summary: 'Create a rule (placed last in its stage). A malformed condition is refused with a message naming it',
    body: RuleInputSchema,
    response: RuleOut,
    idempotent: true,
    handler: ({ body, ctx }) => idempotent(ctx, 'rules.create', body, (sql) => createRule(sql, body)),
  },
  {
    method: 'get',
    path: '/:id',
    summary: 'One rule',
    params: RuleId,
    response: RuleOut,
    handler: async ({ params, ctx }) => getRule(ctx.db.sql, params.id),
  },
  {
    method: 'put',
    path: '/:id',
    summary: "Replace a rule's definition (a new stage places it last there)",
    params: RuleId,
    body: RuleInputSchema,
    response: RuleOut,
    handler: async ({ params, body, ctx }) => updateRule(ctx.db.sql, params.id, body),
  },
  {
    method: 'patch',
    path: '/:id',
    summary: 'Change some fields of a rule (enable/disable, rename...); the result is validated as a whole',
    params: RuleId,
    body: RulePatch,
    response: RuleOut,
    handler: async ({ params, body, ctx }) =>
      ctx.db.tx(async (sql) => updateRule(sql, params.id, { ...inputOf(await getRule(sql, params.id)), ...body } as never)),
  },
  {
    method: 'delete',
    path: '/:id',
    summary: 'Delete a rule',
    params: RuleId,
    status: 204,
    handler: async ({ params, ctx }) => {
      await deleteRule(ctx.db.sql, params.id);
    },
  },
  {
    method: 'post',
    path: '/:id/move',
    summary: 'Move a rule one place up or down inside its stage',
    params: RuleId,
    body: MoveInput,
    response: RuleOut,
    status: 200,
    handler: async ({ params, body, ctx }) => moveRule(ctx.db, params.id, body.direction),
  },
  {
    method: 'post',
    path: '/reorder',
    summary: "Set a stage's order: ids lists all of the stage's rules, first to last",
    body: ReorderInput,
    response: z.object({ rules: z.array(RuleOut) }),
    status: 200,
    handler: async ({ body, ctx }) => ({ rules: await reorderStage(ctx.db, body.stage, body.ids) }),
  },
  {
    method: 'post',
    path: '/test',
    // Writes nothing: a viewer and a read-only token may ask.
    scope: 'read',
    role: 'viewer',
    summary: 'Which enabled rules would fire on a transaction (by id, or a sample) and what they would change; writes nothing',
    body: TryInput,
    response: TryOut,
    status: 200,
    handler: async ({ body, ctx }) => {
      const r = await tryTransaction(ctx.db.sql, 'transactionId' in body ? { transactionId: body.transactionId } : { sample: body.transaction });
      return { fired: r.fired, changes: r.changes };
    },
  },
  {
    method: 'post',
    path: '/preview',
    // Writes nothing: a viewer and a read-only token may ask.
    scope: 'read',
    role: 'viewer',
    summary: 'Apply to existing, step 1: how many transactions the rules would change, with a sample; writes nothing',
    body: ApplyInput,
    response: PreviewOut,
    status: 200,
    handler: async ({ body, ctx }) => previewApply(ctx, body),
  },
  {
    method: 'post',
    path: '/apply',
    summary: 'Apply to existing, step 2: starts a job applying the rules; poll GET /runs/{id} for progress',
    body: ConfirmApplyInput,
    response: RunOut,
    status: 202,
    handler: async ({ body, ctx }) => startApply(ctx, body),
  },
  {
    method: 'get',
    path: '/runs/:id',
    summary: 'An apply-to-existing run: status, transactions done of total, and how many changed',
    params: RuleId,
    response: RunOut,
    handler: async ({ params, ctx }) => getRun(ctx.db.sql, params.id),
  },
];
