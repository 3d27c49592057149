// What the rules plugin decided for transactions (its `enrich` answer), for applyRuleChanges.
import { z } from 'zod';
import { Id, OptionalText, Tags } from './common.ts';

export const RuleChange = z
  .object({
    categoryId: Id.nullable().optional(),
    payee: OptionalText(500),
    tags: Tags.optional(),
    notes: OptionalText(10000),
    excluded: z.boolean().optional(),
    isTransfer: z.boolean().optional(),
  })
  .strict();

export const RuleChanges = z.array(z.object({ id: Id, change: RuleChange }).passthrough()).max(50_000);
export type RuleChangesT = z.input<typeof RuleChanges>;
