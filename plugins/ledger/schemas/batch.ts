// What a source (plaid, import, ...) hands to applyTransactionBatch.
import { z } from 'zod';
import { Currency, Decimal, ExternalId, Id, IsoDate, OptionalText, SourceId, Tags } from './common.ts';

const PfcCode = z.string().regex(/^[A-Z][A-Z_]{1,99}$/);

export const SourceTransaction = z
  .object({
    accountId: Id,
    externalId: ExternalId,
    date: IsoDate,
    authorizedDate: IsoDate.nullable().optional(),
    amount: Decimal,
    currency: Currency,
    payee: OptionalText(500),
    description: OptionalText(2000),
    /** Initial notes (e.g. a statement memo). Only used when the row is first inserted. */
    notes: OptionalText(10000),
    pending: z.boolean().default(false),
    /** For a posted transaction: the source's id of the pending one it replaces. */
    pendingExternalId: ExternalId.nullable().optional(),
    /** Plaid personal finance category (v1 or v2 codes). */
    providerCategory: z.object({ primary: PfcCode.nullable().optional(), detailed: PfcCode.nullable().optional() }).strict().nullable().optional(),
    /**
     * The source's own suggestion of a category of this household (e.g. an imported file's category,
     * resolved by name). Only used when the row is first inserted, as category_source 'provider':
     * rules and the user may change it, and later deliveries of the row leave the category as it is.
     * An id that is not one of the household's categories (another household's, or deleted since) is
     * ignored: the row is inserted uncategorized. A source gives this or providerCategory, not both.
     */
    categoryId: Id.nullable().optional(),
    /** Initial tags. Only used when the row is first inserted. */
    tags: Tags.optional(),
  })
  .strict()
  .refine((t) => !t.categoryId || !(t.providerCategory?.primary || t.providerCategory?.detailed), {
    message: 'give categoryId or providerCategory, not both',
    path: ['categoryId'],
  });
export type SourceTransactionT = z.input<typeof SourceTransaction>;

export const RemovedTransaction = z.object({ accountId: Id, externalId: ExternalId }).strict();

export const TransactionBatch = z
  .object({
    source: SourceId,
    added: z.array(SourceTransaction).max(50_000).default([]),
    modified: z.array(SourceTransaction).max(50_000).default([]),
    removed: z.array(RemovedTransaction).max(50_000).default([]),
    /** The source's sync position after this batch, committed with the rows (see getSourceCursor). */
    cursor: z.object({ key: z.string().min(1).max(255), value: z.string().max(10_000) }).strict().optional(),
  })
  .strict();
export type TransactionBatchT = z.input<typeof TransactionBatch>;

export type BatchResult = {
  /** Ids of rows inserted, updated (something actually changed) and deleted. */
  inserted: string[];
  updated: string[];
  removed: string[];
  /** Rows delivered again without any change. */
  unchanged: number;
};
