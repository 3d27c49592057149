// UI slots (home cards, account tabs, settings sections): the kernel renders a placeholder per
// active plugin that fills the slot, and htmx loads each fragment on its own (hx-trigger="load").
// A failing plugin shows an inline error in its own box; the page and the other plugins render.
import type { Context } from 'hono';
import type { Kernel } from '../kernel.ts';
import type { AppEnv } from '../http/env.ts';
import type { SlotName } from '../../plugin-sdk/types.ts';
import type { HostedPlugin } from './host.ts';
import { pagePrefix } from './naming.ts';

export type SlotEntry = { plugin: string; title: string; src: string; href: string; order: number };

/** Active plugins filling `slot`, in order; `props` become the fragment's query (e.g. { accountId }). */
export function slotEntries(k: Kernel, slot: SlotName, props: Record<string, string> = {}): SlotEntry[] {
  const query = new URLSearchParams(props).toString();
  return k.plugins
    .list()
    .filter((p) => p.status === 'active' && p.runtime?.shape.fragments[slot])
    .map((p) => {
      const f = p.runtime!.shape.fragments[slot]!;
      return { plugin: p.id, title: f.title, order: f.order ?? 50, href: `${pagePrefix(p.id)}/`, src: `${pagePrefix(p.id)}/_slot/${slot}${query ? `?${query}` : ''}` };
    })
    .sort((a, b) => a.order - b.order || a.plugin.localeCompare(b.plugin));
}

/** HTML placeholders for a slot, one per plugin, for kernel templates to output as-is (e.g. home's it.cards). */
export function renderSlot(k: Kernel, slot: SlotName, props: Record<string, string> = {}): string[] {
  return slotEntries(k, slot, props).map((e) => k.views.render('plugins/slot', { entry: e, slot }));
}

/** What a failed fragment is answered with: 200 (so htmx swaps it in) and an inline error. */
export function slotError(c: Context<AppEnv>, k: Kernel, p: HostedPlugin, err: unknown): Response {
  const requestId = c.get('requestId');
  c.get('log')?.error('plugin fragment failed', { plugin: p.id, err });
  return c.html(k.views.render('plugins/slot-error', { plugin: p.manifest.name ?? p.id, requestId }), 200);
}
