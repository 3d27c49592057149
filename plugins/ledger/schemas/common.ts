// Building blocks shared by the ledger's input and output schemas. Money crosses every boundary as
// a decimal string; dates as YYYY-MM-DD.
import { z } from 'zod';

/** An exact amount: "-12.34". Negative = money leaving the account. */
export const Decimal = z
  .string()
  .regex(/^-?\d{1,18}(\.\d{1,10})?$/, 'a decimal number such as "-12.34"')
  .meta({ example: '-12.34' });

/**
 * A running total as answered (a balance: an opening balance plus every manual transaction since),
 * exact and of any size: the inputs are bounded (Decimal), their sums need not be.
 */
export const Total = z
  .string()
  .regex(/^-?\d+(\.\d+)?$/, 'a decimal number such as "-12.34"')
  .meta({ example: '1250.00' });

/** ISO 4217 code, or a crypto ticker such as BTC or USDC. */
export const Currency = z.string().regex(/^[A-Z][A-Z0-9]{2,9}$/, 'a currency code such as "USD"');

export const IsoDate = z.iso.date();
export const Id = z.uuid();

/** A plugin that feeds the ledger (not 'manual': that is the user). */
export const SourceId = z.string().regex(/^[a-z][a-z0-9-]{1,49}$/).refine((s) => s !== 'manual', 'reserved for the user');
export const ExternalId = z.string().min(1).max(255);

const trimmedOrNull = (max: number) =>
  z
    .string()
    .max(max)
    .transform((s) => s.trim() || null)
    .nullable();
export const OptionalText = (max: number) => trimmedOrNull(max).optional();

export const Tag = z.string().trim().min(1).max(50);
export const Tags = z.array(Tag).max(50).transform((tags) => [...new Set(tags)]);

/** Query-string friendly: accepts an array, a single value or "a,b,c". */
export const listOf = <T extends z.ZodType>(item: T) =>
  z.preprocess((v) => (typeof v === 'string' ? v.split(',').filter(Boolean) : v), z.array(item).max(100));

/** Query-string friendly boolean: true/false or "true"/"false"/"1"/"0". */
export const Flag = z.preprocess((v) => (v === 'true' || v === '1' ? true : v === 'false' || v === '0' ? false : v), z.boolean());
