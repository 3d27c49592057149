// Removing a connection: Plaid stops billing and pulling data (/item/remove), the access token is
// forgotten, and the ledger keeps the history (its accounts closed) or loses it (accounts deleted,
// their transactions and balances with them), as the household chose.
import type { PluginContext } from '../../../plugin-sdk/index.ts';
import { HttpError } from '../../../plugin-sdk/index.ts';
import { plaidClient } from '../client/index.ts';
import { isTransient, plaidErrorOf } from '../client/errors.ts';
import { deleteItem, getItem } from '../store/items.ts';
import { NoAccessToken, accessToken, forgetAccessToken } from '../tokens.ts';
import { SOURCE, ledgerSources } from '../sync/ledger.ts';

export type HistoryChoice = 'keep' | 'delete';

export async function removeConnection(ctx: PluginContext, itemId: string, history: HistoryChoice): Promise<{ accounts: number }> {
  const item = await getItem(ctx, itemId);
  if (!item) throw new HttpError(404, 'This connection does not exist (any more).');
  try {
    const { api } = await plaidClient(ctx);
    await api.itemRemove({ access_token: await accessToken(ctx, itemId) });
  } catch (err) {
    const name = (err as Error)?.name;
    const gone = name === 'NotConfigured' || name === 'NoAccessToken' || err instanceof NoAccessToken || ['ITEM_NOT_FOUND', 'INVALID_ACCESS_TOKEN'].includes(plaidErrorOf(err).code);
    if (!gone) {
      const f = plaidErrorOf(err);
      throw new HttpError(502, isTransient(f)
        ? 'Plaid could not be reached, so nothing was removed. Try again in a moment.'
        : `Plaid refused to remove the connection (${f.code}), so nothing was removed.`);
    }
  }
  const externalIds = (await ctx.db.sql<{ id: string }>`select account_id as id from accounts where item_id = ${itemId}`).map((r) => r.id);
  const result = externalIds.length
    ? await ledgerSources(ctx).removeSourceAccounts(SOURCE, externalIds, { keepHistory: history === 'keep' })
    : { accounts: 0, transactions: 0 };
  await forgetAccessToken(ctx, itemId);
  await deleteItem(ctx, itemId);
  ctx.log.info('plaid connection removed', { itemId, history, ...result });
  return { accounts: result.accounts };
}
