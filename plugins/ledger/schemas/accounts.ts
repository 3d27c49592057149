// Accounts: what the API and sources send, and what the ledger answers.
import { z } from 'zod';
import { Currency, Decimal, ExternalId, Id, IsoDate, OptionalText, Total } from './common.ts';

export const ACCOUNT_TYPES = [
  'depository', 'credit', 'loan', 'investment', 'property', 'vehicle', 'crypto', 'other_asset', 'other_liability',
] as const;
export const AccountType = z.enum(ACCOUNT_TYPES);
export const LIABILITY_TYPES: readonly AccountTypeT[] = ['credit', 'loan', 'other_liability'];
export type AccountTypeT = z.infer<typeof AccountType>;

const Name = z.string().trim().min(1).max(200);

/** A manual account the user creates. Its balance moves with the manual transactions entered in mff. */
export const AccountCreate = z
  .object({
    name: Name,
    type: AccountType,
    subtype: OptionalText(100),
    currency: Currency,
    institution: OptionalText(200),
    balance: Decimal.default('0'),
  })
  .strict();
export type AccountCreateT = z.input<typeof AccountCreate>;

export const AccountUpdate = z
  .object({
    name: Name,
    type: AccountType,
    subtype: OptionalText(100),
    institution: OptionalText(200),
    closed: z.boolean(),
    /** Manual accounts only: sets today's balance. */
    balance: Decimal,
  })
  .partial()
  .strict();
export type AccountUpdateT = z.input<typeof AccountUpdate>;

/** An account as a source (plaid, snaptrade, import...) reports it. */
export const SourceAccount = z
  .object({
    externalId: ExternalId,
    name: Name,
    type: AccountType,
    subtype: OptionalText(100),
    currency: Currency,
    institution: OptionalText(200),
    mask: OptionalText(10),
    balance: z
      .object({
        current: Decimal,
        available: Decimal.nullable().optional(),
        /** When the institution computed it; defaults to now. */
        asOf: z.iso.datetime({ offset: true }).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();
export type SourceAccountT = z.input<typeof SourceAccount>;

/** Daily balance history, e.g. a statement's ledger balance or a property valuation. */
export const BalanceRecord = z
  .object({
    accountId: Id,
    date: IsoDate,
    balance: Decimal,
    available: Decimal.nullable().optional(),
  })
  .strict();
export type BalanceRecordT = z.input<typeof BalanceRecord>;

export const Account = z.object({
  id: Id,
  name: z.string(),
  providerName: z.string().nullable(),
  type: AccountType,
  classification: z.enum(['asset', 'liability']),
  subtype: z.string().nullable(),
  currency: z.string(),
  institution: z.string().nullable(),
  mask: z.string().nullable(),
  source: z.string(),
  externalId: z.string().nullable(),
  closed: z.boolean(),
  balance: Total.meta({ description: 'Current balance; for liabilities, positive = owed.' }),
  availableBalance: Total.nullable(),
  balanceAsOf: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type AccountT = z.infer<typeof Account>;

export const Balance = z.object({ date: IsoDate, balance: Total, availableBalance: Total.nullable() });
