// Transactions: manual entry, edits, list filters, and what the ledger answers.
import { z } from 'zod';
import { Currency, Decimal, Flag, Id, IsoDate, listOf, OptionalText, Tag, Tags } from './common.ts';

export const CATEGORY_SOURCES = ['user', 'rule', 'provider'] as const;

/** A transaction the user enters by hand (source 'manual'). Currency defaults to the account's. */
export const TransactionCreate = z
  .object({
    accountId: Id,
    date: IsoDate,
    amount: Decimal,
    currency: Currency.optional(),
    payee: OptionalText(500),
    description: OptionalText(2000),
    notes: OptionalText(10000),
    pending: z.boolean().default(false),
    categoryId: Id.nullable().optional(),
    tags: Tags.default([]),
    excluded: z.boolean().default(false),
    isTransfer: z.boolean().default(false),
  })
  .strict();
export type TransactionCreateT = z.input<typeof TransactionCreate>;

/**
 * Edits. Category, notes, tags, excluded and isTransfer are the user's on any transaction; the others
 * belong to the source, so they can be changed on manual transactions only.
 */
export const TransactionUpdate = z
  .object({
    categoryId: Id.nullable(),
    notes: OptionalText(10000),
    tags: Tags,
    excluded: z.boolean(),
    isTransfer: z.boolean(),
    date: IsoDate,
    amount: Decimal,
    payee: OptionalText(500),
    description: OptionalText(2000),
    pending: z.boolean(),
  })
  .partial()
  .strict();
export type TransactionUpdateT = z.input<typeof TransactionUpdate>;
export const SOURCE_OWNED_FIELDS = ['date', 'amount', 'payee', 'description', 'pending'] as const;

/** The bulk actions of the transactions page: set a category, add/remove tags, exclude. */
export const TransactionBulkUpdate = z
  .object({
    ids: z.array(Id).min(1).max(1000),
    categoryId: Id.nullable().optional(),
    addTags: z.array(Tag).max(50).optional(),
    removeTags: z.array(Tag).max(50).optional(),
    excluded: z.boolean().optional(),
    isTransfer: z.boolean().optional(),
  })
  .strict();
export type TransactionBulkUpdateT = z.input<typeof TransactionBulkUpdate>;

export const TransactionListQuery = z
  .object({
    from: IsoDate.optional(),
    to: IsoDate.optional(),
    accountId: listOf(Id).optional(),
    categoryId: listOf(Id).optional(),
    uncategorized: Flag.optional(),
    pending: Flag.optional(),
    excluded: Flag.optional(),
    isTransfer: Flag.optional(),
    /** Transactions carrying all of these tags. */
    tags: listOf(Tag).optional(),
    minAmount: Decimal.optional(),
    maxAmount: Decimal.optional(),
    /** Substring of payee, description or notes (case-insensitive). */
    q: z.string().trim().min(1).max(200).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    cursor: z.string().max(200).optional(),
  })
  .strict();
export type TransactionListQueryT = z.input<typeof TransactionListQuery>;

export const Transaction = z.object({
  id: Id,
  accountId: Id,
  accountName: z.string(),
  source: z.string(),
  externalId: z.string().nullable(),
  date: IsoDate,
  authorizedDate: IsoDate.nullable(),
  amount: Decimal,
  currency: z.string(),
  payee: z.string().nullable(),
  description: z.string().nullable(),
  notes: z.string().nullable(),
  pending: z.boolean(),
  pendingExternalId: z.string().nullable(),
  categoryId: Id.nullable(),
  categoryName: z.string().nullable(),
  categorySource: z.enum(CATEGORY_SOURCES).nullable(),
  providerCategory: z.object({ primary: z.string().nullable(), detailed: z.string().nullable() }).nullable(),
  tags: z.array(z.string()),
  excluded: z.boolean(),
  isTransfer: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type TransactionT = z.infer<typeof Transaction>;

export const page = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

/**
 * A page of transactions. Filters that need scanning (search, amounts, tags, excluded, transfer)
 * examine a bounded number of rows per request: a page may then hold fewer items than asked, with
 * searchedBackTo saying how far back it looked. Follow nextCursor until it is null.
 */
export const TransactionPage = page(Transaction).extend({ searchedBackTo: IsoDate.optional() });
