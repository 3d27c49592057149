// What several ledger pages show: category options for selects, account type labels, the
// transactions table with its "Load more" link, and who may write.
import { canWrite, type PluginContext } from '../../../plugin-sdk/index.ts';
import { ACCOUNT_TYPES, type AccountT, type AccountTypeT } from '../schemas/accounts.ts';
import type { CategoryT } from '../schemas/categories.ts';
import type { TransactionPage } from '../service/index.ts';

export const TYPE_LABELS: Record<AccountTypeT, string> = {
  depository: 'Cash', credit: 'Credit cards', loan: 'Loans', investment: 'Investments', property: 'Property',
  vehicle: 'Vehicles', crypto: 'Crypto', other_asset: 'Other assets', other_liability: 'Other liabilities',
};
export const accountTypes = ACCOUNT_TYPES.map((value) => ({ value, label: TYPE_LABELS[value] }));

/** Accounts grouped by type (Cash, Credit cards, ...), groups in the order their first account comes. */
export function accountGroups(accounts: AccountT[]): { label: string; accounts: AccountT[] }[] {
  const groups = new Map<string, { label: string; accounts: AccountT[] }>();
  for (const a of accounts) {
    const g = groups.get(a.type) ?? { label: TYPE_LABELS[a.type], accounts: [] };
    g.accounts.push(a);
    groups.set(a.type, g);
  }
  return [...groups.values()];
}

export { canWrite };

export type CategoryGroup = { id: string; name: string; options: { id: string; name: string }[] };

/** Groups with their categories, in list order, for <optgroup>s. */
export function categoryGroups(all: CategoryT[]): CategoryGroup[] {
  const groups = new Map<string, CategoryGroup>();
  for (const c of all) if (c.isGroup || !c.parentId) groups.set(c.id, { id: c.id, name: c.name, options: [] });
  for (const c of all) if (c.parentId) groups.get(c.parentId)?.options.push({ id: c.id, name: c.name });
  return [...groups.values()];
}

/** The data of views/tx-table.eta: `filters` are the page's query, reused by the "Load more" link. */
export function txTable(ctx: PluginContext, page: TransactionPage, categories: CategoryGroup[], filters: URLSearchParams, empty: string) {
  let moreUrl: string | null = null;
  if (page.nextCursor) {
    const next = new URLSearchParams(filters);
    next.set('cursor', page.nextCursor);
    moreUrl = `${ctx.url('/transactions')}?${next}`;
  }
  const back = filters.size ? `${ctx.url('/transactions')}?${filters}` : ctx.url('/transactions');
  return {
    ctx, items: page.items, categories, moreUrl, searchedBackTo: page.searchedBackTo, canWrite: canWrite(ctx), back, empty,
  };
}
