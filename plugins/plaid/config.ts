// The Plaid account a household connects through. The SDK has no instance-wide store, so this is the
// household's own configuration: the client id, environment, public address and base-URL override
// are plugin settings (the kernel's settings form, owners only), the client secret a sealed
// ctx.secrets entry set on the Connections page. On a one-household instance that is the instance's.
import type { PluginContext } from '../../plugin-sdk/index.ts';

export type PlaidSettings = { clientId: string; environment: 'sandbox' | 'production'; webhookUrl: string; baseUrl: string };

export type PlaidConfig = {
  clientId: string;
  secret: string;
  environment: 'sandbox' | 'production';
  /** Where API calls go: Plaid's host for the environment, or the override. */
  baseUrl: string;
  /** The base URL is not Plaid's (tests, the demo's fake): Link is the fake's stand-in page. */
  standIn: boolean;
  /** Absolute webhook URL for this household's items, or null when the instance is not reachable. */
  webhook: string | null;
};

export const ENVIRONMENTS = { sandbox: 'https://sandbox.plaid.com', production: 'https://production.plaid.com' } as const;

export class NotConfigured extends Error {
  override name = 'NotConfigured';
}

const trimSlash = (s: string) => s.trim().replace(/\/+$/, '');

export async function readSettings(ctx: PluginContext): Promise<PlaidSettings> {
  const s = await ctx.settings.get<Partial<PlaidSettings>>();
  return {
    clientId: String(s.clientId ?? '').trim(),
    environment: s.environment === 'production' ? 'production' : 'sandbox',
    webhookUrl: trimSlash(String(s.webhookUrl ?? '')),
    baseUrl: trimSlash(String(s.baseUrl ?? '')),
  };
}

/** The household's Plaid configuration; throws NotConfigured (with what is missing) when incomplete. */
export async function plaidConfig(ctx: PluginContext): Promise<PlaidConfig> {
  const s = await readSettings(ctx);
  const secret = (await ctx.secrets.get('client_secret')) ?? '';
  const missing = [!s.clientId && 'the client ID', !secret && 'the secret'].filter(Boolean);
  if (missing.length) throw new NotConfigured(`Plaid is not set up yet: ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} missing.`);
  const baseUrl = s.baseUrl || ENVIRONMENTS[s.environment];
  const standIn = !/^https:\/\/(sandbox|production)\.plaid\.com$/.test(baseUrl);
  return {
    clientId: s.clientId,
    secret,
    environment: s.environment,
    baseUrl,
    standIn,
    webhook: s.webhookUrl ? `${s.webhookUrl}/hooks/plaid/${ctx.household.id}/webhook` : null,
  };
}
