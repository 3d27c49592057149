// The end of Link: the public token becomes an access token (sealed at once, never logged), the item
// and its accounts appear (in plaid.items and in the ledger), and the first sync is queued.
import type { PluginContext } from '../../../plugin-sdk/index.ts';
import { plaidClient } from '../client/index.ts';
import { insertItem, markQueued, setItemStatus, setNewAccountsAvailable } from '../store/items.ts';
import { refreshAccounts } from '../sync/accounts.ts';
import { syncJobKey } from '../sync/run.ts';
import { accessToken, saveAccessToken } from '../tokens.ts';

export async function exchangePublicToken(ctx: PluginContext, publicToken: string): Promise<{ itemId: string; institution: string }> {
  const { api } = await plaidClient(ctx);
  const { data } = await api.itemPublicTokenExchange({ public_token: publicToken });
  const itemId = data.item_id;
  await saveAccessToken(ctx, itemId, data.access_token);
  const item = (await api.itemGet({ access_token: data.access_token })).data.item;
  const institution = item.institution_name ?? (await institutionName(api, item.institution_id)) ?? 'Your bank';
  await insertItem(ctx, { itemId, institutionId: item.institution_id ?? null, institutionName: institution, products: [...(item.products ?? []), ...(item.billed_products ?? [])].filter((p, i, all) => all.indexOf(p) === i) });
  await refreshAccounts(ctx, api, data.access_token, itemId, institution);
  await queueSync(ctx, itemId);
  return { itemId, institution };
}

async function institutionName(api: Awaited<ReturnType<typeof plaidClient>>['api'], id: string | null | undefined): Promise<string | null> {
  if (!id) return null;
  try {
    return (await api.institutionsGetById({ institution_id: id, country_codes: ['US', 'CA'] as never })).data.institution.name;
  } catch {
    return null;
  }
}

/** After update mode: the item works again; new accounts the user shared appear; a sync catches up. */
export async function itemRepaired(ctx: PluginContext, itemId: string): Promise<void> {
  const { api } = await plaidClient(ctx);
  const token = await accessToken(ctx, itemId);
  await setItemStatus(ctx, itemId, 'active', null);
  await setNewAccountsAvailable(ctx, itemId, false);
  const item = (await api.itemGet({ access_token: token })).data.item;
  await refreshAccounts(ctx, api, token, itemId, item.institution_name ?? 'Your bank');
  await queueSync(ctx, itemId);
}

export async function queueSync(ctx: PluginContext, itemId: string, opts: { delaySeconds?: number } = {}): Promise<string | null> {
  const id = await ctx.jobs.enqueue('sync', { itemId }, { singletonKey: syncJobKey(itemId), ...opts });
  await markQueued(ctx, itemId);
  return id;
}
