// Webhook verification for this plugin: webhook-verify.ts's verifier, one per Plaid account (so its
// key cache survives between webhooks), with the key fetched through the household's own client and
// replays remembered in plaid.webhooks_seen (across restarts and processes). The verifier is shared
// across calls; AsyncLocalStorage hands it the current call's client and database.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { PlaidApi } from 'plaid';
import type { PluginContext } from '../../../plugin-sdk/index.ts';
import type { PlaidConfig } from '../config.ts';
import { PlaidWebhookVerifier, plaidKeyFetcher, type VerifyResult } from '../webhook-verify.ts';

type Current = { ctx: PluginContext; api: PlaidApi };
const current = new AsyncLocalStorage<Current>();
const verifiers = new Map<string, PlaidWebhookVerifier>();

const here = (): Current => {
  const c = current.getStore();
  if (!c) throw new Error('webhook verification outside a call');
  return c;
};

function verifierFor(config: PlaidConfig): PlaidWebhookVerifier {
  const key = `${config.baseUrl}|${config.clientId}`;
  let v = verifiers.get(key);
  if (!v) {
    v = new PlaidWebhookVerifier({
      fetchKey: (kid) => plaidKeyFetcher(here().api)(kid),
      replay: {
        async firstSeen(id, forgetAfterMs) {
          const { ctx } = here();
          const [row] = await ctx.db.tx(async (sql) => {
            await sql`delete from webhooks_seen where forget_after < now()`;
            return sql`insert into webhooks_seen (id, forget_after) values (${id}, to_timestamp(${forgetAfterMs / 1000}))
                       on conflict (household_id, id) do nothing returning id`;
          });
          return row !== undefined;
        },
      },
    });
    verifiers.set(key, v);
  }
  return v;
}

export function verifyWebhook(ctx: PluginContext, config: PlaidConfig, api: PlaidApi, rawBody: Uint8Array, header: string | null): Promise<VerifyResult> {
  return current.run({ ctx, api }, () => verifierFor(config).verify(rawBody, header));
}
