// The nightly snapshot: each goal's saved amount today, also in the household's currency.
import type { PluginContext } from '../../plugin-sdk/index.ts';
import { rateTo } from './rates.ts';

export async function snapshot(ctx: PluginContext): Promise<void> {
  const { sql } = ctx.db;
  const currencies = await sql`select distinct currency from goals`;
  const rates = new Map<string, string | null>();
  for (const { currency } of currencies) rates.set(currency as string, await rateTo(ctx, currency as string, ctx.household.baseCurrency));
  const today = sql`(now() at time zone ${ctx.household.timeZone})::date`;
  for (const [currency, rate] of rates) {
    await sql`insert into snapshots (household_id, goal_id, taken_on, saved, saved_base)
      select household_id, id, ${today}, saved, case when ${rate}::numeric is null then null else round(saved * ${rate}::numeric, 2) end
      from goals where currency = ${currency}
      on conflict (household_id, goal_id, taken_on) do update set saved = excluded.saved, saved_base = excluded.saved_base`;
  }
  ctx.log.info('snapshot taken', { currencies: rates.size });
}
