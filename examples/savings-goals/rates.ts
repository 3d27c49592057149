// Exchange rates from the ECB via api.frankfurter.app (declared in plugin.json permissions.net;
// ctx.fetch refuses any other host). Rates stay decimal strings so SQL multiplies exactly.
import type { PluginContext } from '../../plugin-sdk/index.ts';

export async function rateTo(ctx: PluginContext, from: string, to: string): Promise<string | null> {
  if (from === to) return '1';
  const res = await ctx.fetch(`https://api.frankfurter.app/latest?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`);
  if (!res.ok) {
    ctx.log.warn('exchange rate unavailable', { from, to, status: res.status });
    return null;
  }
  const body = (await res.json()) as { rates?: Record<string, number> };
  const rate = body.rates?.[to];
  return typeof rate === 'number' && rate > 0 ? String(rate) : null;
}
