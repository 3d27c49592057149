// Access tokens, one per item, kept in a single sealed secret (`access_tokens`, a JSON map of item id
// to token): the kernel encrypts it with AES-256-GCM under the instance's key, so the database never
// holds a token in the clear, and the plugin's own tables hold none at all. Changes take a
// household-wide advisory lock so two connections made at once cannot overwrite each other.
import type { PluginContext } from '../../plugin-sdk/index.ts';

const SECRET = 'access_tokens';

type TokenMap = Record<string, string>;

async function read(ctx: PluginContext): Promise<TokenMap> {
  const raw = await ctx.secrets.get(SECRET);
  if (!raw) return {};
  const parsed = JSON.parse(raw) as unknown;
  return parsed && typeof parsed === 'object' ? (parsed as TokenMap) : {};
}

async function change(ctx: PluginContext, fn: (map: TokenMap) => void): Promise<void> {
  await ctx.db.tx(async (sql) => {
    await sql`select pg_advisory_xact_lock(hashtextextended('plaid.tokens:' || kernel.current_household()::text, 0))`;
    const map = await read(ctx);
    fn(map);
    if (Object.keys(map).length) await ctx.secrets.set(SECRET, JSON.stringify(map));
    else await ctx.secrets.delete(SECRET);
  });
}

export class NoAccessToken extends Error {
  override name = 'NoAccessToken';
}

export async function accessToken(ctx: PluginContext, itemId: string): Promise<string> {
  const token = (await read(ctx))[itemId];
  if (!token) throw new NoAccessToken(`no access token for item ${itemId}`);
  return token;
}

export const saveAccessToken = (ctx: PluginContext, itemId: string, token: string) =>
  change(ctx, (map) => {
    map[itemId] = token;
  });

export const forgetAccessToken = (ctx: PluginContext, itemId: string) =>
  change(ctx, (map) => {
    delete map[itemId];
  });
