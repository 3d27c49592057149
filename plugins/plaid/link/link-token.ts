// Link tokens: one per Link session, for a new connection or (with the item's access token) update
// mode, when the bank wants the user to sign in again or new accounts can be shared.
import type { CountryCode, LinkTokenCreateRequest, Products } from 'plaid';
import type { PluginContext } from '../../../plugin-sdk/index.ts';
import { plaidClient } from '../client/index.ts';
import { accessToken } from '../tokens.ts';

export type LinkSession = { linkToken: string; standIn: boolean; environment: string; baseUrl: string; update: boolean };

export async function createLinkToken(ctx: PluginContext, opts: { itemId?: string; accountSelection?: boolean } = {}): Promise<LinkSession> {
  const { api, config } = await plaidClient(ctx);
  const request: LinkTokenCreateRequest = {
    client_name: 'mff',
    language: 'en',
    country_codes: ['US', 'CA'] as CountryCode[],
    // Plaid's user id: stable per household, and not personal data.
    user: { client_user_id: `household-${ctx.household.id}` },
    ...(config.webhook ? { webhook: config.webhook } : {}),
  };
  if (opts.itemId) {
    request.access_token = await accessToken(ctx, opts.itemId);
    if (opts.accountSelection) request.update = { account_selection_enabled: true };
  } else {
    request.products = ['transactions'] as Products[];
    // Holdings and liabilities too, where the bank has them.
    request.required_if_supported_products = ['investments', 'liabilities'] as Products[];
  }
  const { data } = await api.linkTokenCreate(request);
  return { linkToken: data.link_token, standIn: config.standIn, environment: config.environment, baseUrl: config.baseUrl, update: !!opts.itemId };
}
