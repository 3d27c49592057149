// The home page card: how many banks are connected, and which need the household's attention.
import type { PluginContext } from '../../../plugin-sdk/index.ts';
import { adviceFor } from '../messages.ts';
import { listItems } from '../store/items.ts';
import { formatTime } from './view-model.ts';

export async function homeCard(ctx: PluginContext): Promise<string> {
  const items = await listItems(ctx);
  const attention = items.map((item) => ({ item, advice: adviceFor(item) })).filter((x) => x.advice.tone === 'error' || x.advice.tone === 'warn' || x.advice.tone === 'info');
  const last = items.map((i) => i.last_success_at).filter(Boolean).map((v) => new Date(v!)).sort((a, b) => b.getTime() - a.getTime())[0] ?? null;
  return ctx.render('card', { count: items.length, attention, lastSync: formatTime(ctx, last) });
}
