// An item's accounts and balances, from /accounts/get into the ledger (upsertAccounts records the
// balances too) and into plaid.accounts, which maps Plaid's account ids to the ledger's.
import type { PlaidApi } from 'plaid';
import type { PluginContext } from '../../../plugin-sdk/index.ts';
import { toSourceAccount } from './convert.ts';
import { SOURCE, ledgerSources } from './ledger.ts';

export type AccountMap = Map<string, string>;

export async function accountMap(ctx: PluginContext, itemId: string): Promise<AccountMap> {
  const rows = await ctx.db.sql<{ account_id: string; ledger_account_id: string }>`
    select account_id, ledger_account_id::text from accounts where item_id = ${itemId}`;
  return new Map(rows.map((r) => [r.account_id, r.ledger_account_id]));
}

export async function refreshAccounts(ctx: PluginContext, api: PlaidApi, token: string, itemId: string, institution: string): Promise<AccountMap> {
  const { accounts } = (await api.accountsGet({ access_token: token })).data;
  const source = accounts.map((a) => toSourceAccount(a, institution, ctx.household.baseCurrency));
  const ids = await ledgerSources(ctx).upsertAccounts(SOURCE, source);
  const rows = accounts.map((a) => ({
    account_id: a.account_id, ledger_account_id: ids[a.account_id], name: (a.name || a.official_name || 'Account').slice(0, 200),
    mask: a.mask ?? null, type: a.type, subtype: a.subtype ?? null,
  }));
  await ctx.db.sql`
    insert into accounts (account_id, item_id, ledger_account_id, name, mask, type, subtype)
    select r.account_id, ${itemId}, r.ledger_account_id, r.name, r.mask, r.type, r.subtype
    from jsonb_to_recordset(${JSON.stringify(rows)}::text::jsonb) as r(account_id text, ledger_account_id uuid, name text, mask text, type text, subtype text)
    on conflict (household_id, account_id) do update set
      ledger_account_id = excluded.ledger_account_id, name = excluded.name, mask = excluded.mask, type = excluded.type, subtype = excluded.subtype`;
  return new Map(rows.map((r) => [r.account_id, r.ledger_account_id]));
}
