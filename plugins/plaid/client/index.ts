// The official Plaid SDK, configured for a household: credentials in headers as Plaid documents,
// requests through ctx.fetch (client/transport.ts), so it runs the same in-process and sandboxed.
import { Configuration, PlaidApi } from 'plaid';
import type { PluginContext } from '../../../plugin-sdk/index.ts';
import { plaidConfig, type PlaidConfig } from '../config.ts';
import { fetchTransport, type TransportOptions } from './transport.ts';

export function plaidApi(ctx: PluginContext, config: PlaidConfig, opts: TransportOptions = {}): PlaidApi {
  const configuration = new Configuration({
    basePath: config.baseUrl,
    baseOptions: { headers: { 'PLAID-CLIENT-ID': config.clientId, 'PLAID-SECRET': config.secret } },
  });
  const transport = fetchTransport((url, init) => ctx.fetch(url, init), {
    onRetry: ({ status, attempt, delayMs, path }) => ctx.log.info('plaid request retried', { path, status, attempt, delayMs }),
    ...opts,
  });
  return new PlaidApi(configuration, config.baseUrl, transport as never);
}

/** The household's configuration and a client for it. */
export async function plaidClient(ctx: PluginContext): Promise<{ config: PlaidConfig; api: PlaidApi }> {
  const config = await plaidConfig(ctx);
  return { config, api: plaidApi(ctx, config) };
}
