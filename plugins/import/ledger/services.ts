// The ledger as this plugin uses it: its `ledger` (reading) and `ledger.sources` (feeding)
// services, typed to the methods called here. Every call runs in a ledger transaction of its own,
// bound to the caller's household; plain data in and out.
import type { PluginContext } from '../../../plugin-sdk/index.ts';

export const SOURCE = 'import';

export type LedgerAccount = {
  id: string; name: string; type: string; classification: 'asset' | 'liability'; subtype: string | null;
  currency: string; institution: string | null; mask: string | null; source: string; externalId: string | null;
  closed: boolean; balance: string; availableBalance: string | null;
};

export type SourceAccount = {
  externalId: string; name: string; type: string; subtype?: string | null; currency: string;
  institution?: string | null; mask?: string | null;
};

/** A category of the household (the ledger's Category, the fields this plugin reads). */
export type LedgerCategory = { id: string; parentId: string | null; name: string; isGroup: boolean };

export type SourceTransaction = {
  accountId: string; externalId: string; date: string; authorizedDate?: string | null; amount: string; currency: string;
  payee?: string | null; description?: string | null;
  /** The household's category the file names: set when the row is first inserted, never after. */
  categoryId?: string | null;
};

export type BatchResult = { inserted: string[]; updated: string[]; removed: string[]; unchanged: number };

type Reader = {
  listAccounts(opts?: { includeClosed?: boolean }): Promise<LedgerAccount[]>;
  listCategories(opts?: { includeHidden?: boolean }): Promise<LedgerCategory[]>;
};

type Sources = {
  upsertAccounts(source: string, accounts: SourceAccount[]): Promise<Record<string, string>>;
  recordBalances(records: { accountId: string; date: string; balance: string; available?: string | null }[]): Promise<void>;
  getSourceCursor(source: string, key: string): Promise<string | null>;
  applyTransactionBatch(batch: {
    source: string; added?: SourceTransaction[]; removed?: { accountId: string; externalId: string }[];
    cursor?: { key: string; value: string };
  }): Promise<BatchResult>;
};

export const ledgerReader = (ctx: PluginContext) => ctx.services.get<Reader>('ledger');
export const ledgerSources = (ctx: PluginContext) => ctx.services.get<Sources>('ledger.sources');

/** Open accounts the user may import into. */
export async function importableAccounts(ctx: PluginContext): Promise<LedgerAccount[]> {
  return ledgerReader(ctx).listAccounts();
}

/**
 * The ledger as a request sees it, read up front by a request that then works in a transaction of
 * its own (Idempotency-Key): a ledger service call opens a transaction too, which is better not
 * waited on while one is held.
 */
export type LedgerView = { accounts: LedgerAccount[]; categories: LedgerCategory[] };

export async function ledgerView(ctx: PluginContext): Promise<LedgerView> {
  const [accounts, categories] = await Promise.all([importableAccounts(ctx), householdCategories(ctx)]);
  return { accounts, categories };
}

/** Every category of the household, hidden ones included: a file may name any of them. */
export async function householdCategories(ctx: PluginContext): Promise<LedgerCategory[]> {
  return (await ledgerReader(ctx).listCategories({ includeHidden: true }))
    .map((c) => ({ id: c.id, parentId: c.parentId, name: c.name, isGroup: c.isGroup }));
}
