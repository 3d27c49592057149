// Input shapes shared by the pages and the API.
import { z } from '../../plugin-sdk/index.ts';

export const Amount = z.string().regex(/^\d{1,12}(\.\d{1,2})?$/, 'must be an amount like 250 or 99.50');
export const Currency = z.string().regex(/^[A-Z]{3}$/, 'must be a three-letter currency code');

export const GoalInput = z
  .object({
    name: z.string().trim().min(1, 'is required').max(100),
    target: Amount.refine((v) => Number(v) > 0, 'must be more than zero'),
    currency: Currency.optional(),
    targetDate: z.iso.date().nullable().optional(),
  })
  .strict();

export const DepositInput = z.object({ amount: Amount.refine((v) => Number(v) > 0, 'must be more than zero') }).strict();

export const GoalOut = z.object({
  id: z.uuid(),
  name: z.string(),
  target: z.string(),
  saved: z.string(),
  currency: z.string(),
  targetDate: z.string().nullable(),
  reachedAt: z.string().nullable(),
  progress: z.int(),
});

export const GoalId = z.object({ id: z.uuid() }).strict();
