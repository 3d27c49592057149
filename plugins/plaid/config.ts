// The instance's Plaid account, set once by the instance admin on /admin/plugins/plaid/settings (the
// manifest's `instanceSettings`; the kernel seals the secret and never shows it again): client id,
// secret, environment, this mff's public address for webhooks, and an API base-URL override for
// tests and the demo. Nothing here is per household: every household connects through the
// instance's Plaid account, and its items and access tokens are its own.
import type { PluginContext } from '../../plugin-sdk/index.ts';

export type PlaidSettings = { clientId: string; secret: string; environment: 'sandbox' | 'production'; webhookUrl: string; baseUrl: string };

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

/** Where the instance admin enters the keys (the kernel's form for the manifest's instanceSettings). */
export const SETTINGS_PATH = '/admin/plugins/plaid/settings';

export class NotConfigured extends Error {
  override name = 'NotConfigured';
}

const trimSlash = (s: string) => s.trim().replace(/\/+$/, '');

export async function readSettings(ctx: PluginContext): Promise<PlaidSettings> {
  const s = await ctx.instanceSettings.get<Partial<Record<keyof PlaidSettings, unknown>>>();
  return {
    clientId: String(s.clientId ?? '').trim(),
    secret: String(s.secret ?? '').trim(),
    environment: s.environment === 'production' ? 'production' : 'sandbox',
    webhookUrl: trimSlash(String(s.webhookUrl ?? '')),
    baseUrl: trimSlash(String(s.baseUrl ?? '')),
  };
}

/** The instance's Plaid configuration; throws NotConfigured (with what is missing) when incomplete. */
export async function plaidConfig(ctx: PluginContext): Promise<PlaidConfig> {
  const s = await readSettings(ctx);
  const missing = [!s.clientId && 'the client ID', !s.secret && 'the secret'].filter(Boolean);
  if (missing.length) {
    throw new NotConfigured(`Plaid is not set up on this instance yet: ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} missing. The instance admin enters them in Plugins → Bank connections → Settings.`);
  }
  const baseUrl = s.baseUrl || ENVIRONMENTS[s.environment];
  const standIn = !/^https:\/\/(sandbox|production)\.plaid\.com$/.test(baseUrl);
  return {
    clientId: s.clientId,
    secret: s.secret,
    environment: s.environment,
    baseUrl,
    standIn,
    webhook: s.webhookUrl ? `${s.webhookUrl}/hooks/plaid/${ctx.household.id}/webhook` : null,
  };
}
