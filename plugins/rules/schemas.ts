// API shapes of the rules plugin (inputs validated by the kernel with these zod schemas, and the
// OpenAPI document generated from them). The rule itself is engine/schema.ts's RuleInputSchema.
import { z } from '../../plugin-sdk/index.ts';
import { ActionSchema, ConditionSchema } from './engine/schema.ts';

export const RuleId = z.object({ id: z.uuid() }).strict();

export const RuleOut = z.object({
  id: z.uuid(),
  name: z.string(),
  stage: z.enum(['pre', 'default', 'post']),
  position: z.int(),
  match: z.enum(['all', 'any']),
  enabled: z.boolean(),
  conditions: z.array(ConditionSchema),
  actions: z.array(ActionSchema),
  firedCount: z.int().meta({ description: 'Transactions the rule was applied to' }),
  lastFiredAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

/** A partial update: the result is validated as a whole rule. */
export const RulePatch = z
  .object({
    name: z.string(),
    stage: z.enum(['pre', 'default', 'post']),
    match: z.enum(['all', 'any']),
    enabled: z.boolean(),
    conditions: z.array(ConditionSchema),
    actions: z.array(ActionSchema),
  })
  .partial()
  .strict();

export const MoveInput = z.object({ direction: z.enum(['up', 'down']) }).strict();

export const ReorderInput = z
  .object({ stage: z.enum(['pre', 'default', 'post']), ids: z.array(z.uuid()).max(1000).meta({ description: "All the stage's rules, first to last" }) })
  .strict();

const Decimal = z.string().regex(/^-?\d{1,18}(\.\d{1,10})?$/, 'must be a decimal string such as "-12.34"');

export const TryInput = z.union([
  z.object({ transactionId: z.uuid() }).strict(),
  z.object({
    transaction: z.object({
      payee: z.string().max(500).nullable().optional(),
      description: z.string().max(2000).nullable().optional(),
      notes: z.string().max(10000).nullable().optional(),
      amount: Decimal,
      date: z.iso.date(),
      accountId: z.uuid().nullable().optional(),
      pending: z.boolean().optional(),
      tags: z.array(z.string().max(50)).max(50).optional(),
      pfcPrimary: z.string().max(100).nullable().optional(),
      pfcDetailed: z.string().max(100).nullable().optional(),
    }).strict(),
  }).strict(),
]);

const Change = z.object({ field: z.string(), before: z.unknown(), after: z.unknown() });

export const TryOut = z.object({
  fired: z.array(z.object({ id: z.uuid(), name: z.string() })).meta({ description: 'Rules that would fire, in run order' }),
  changes: z.array(Change),
});

export const ApplyInput = z
  .object({
    ruleIds: z.array(z.uuid()).max(1000).optional().meta({ description: 'Only these rules (in their run order); default: every enabled rule' }),
    from: z.iso.date().optional(),
    to: z.iso.date().optional(),
  })
  .strict()
  .refine((v) => !v.from || !v.to || v.from <= v.to, { message: 'from must not be after to', path: ['to'] });

export const ConfirmApplyInput = z
  .object({
    ruleIds: z.array(z.uuid()).max(1000).optional(),
    from: z.iso.date().optional(),
    to: z.iso.date().optional(),
    previewed: z.int().min(0).optional().meta({ description: 'The count the preview showed, kept with the run for comparison' }),
  })
  .strict()
  .refine((v) => !v.from || !v.to || v.from <= v.to, { message: 'from must not be after to', path: ['to'] });

export const PreviewOut = z.object({
  scanned: z.int(),
  matched: z.int().meta({ description: 'Transactions the rules would change' }),
  sample: z.array(z.object({
    id: z.uuid(), date: z.string(), amount: z.string(), payee: z.string().nullable(), rules: z.array(z.string()), changes: z.array(Change),
  })),
});

export const RunOut = z.object({
  id: z.uuid(),
  status: z.enum(['queued', 'running', 'done', 'failed']),
  ruleIds: z.array(z.uuid()).nullable(),
  from: z.string().nullable(),
  to: z.string().nullable(),
  previewed: z.int().nullable(),
  total: z.int().nullable(),
  done: z.int(),
  changed: z.int(),
  error: z.string().nullable(),
  jobId: z.string().nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
