// UI slots (home cards, account tabs, settings sections): the kernel renders a placeholder per
// active plugin that fills the slot, and htmx loads each fragment on its own (hx-trigger="load").
// A failing plugin shows an inline error in its own box; the page and the other plugins render.
import type { Context } from 'hono';
import type { Kernel } from '../kernel.ts';
import type { AppEnv } from '../http/env.ts';
import { SLOT_TAG } from '../../plugin-sdk/slots.ts';
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

// Slots a plugin page may show (the SDK's slot() placeholder); nav is the kernel layout's alone.
const PAGE_SLOTS = new Set<string>(['home.card', 'account.tab', 'settings.section']);
const PLACEHOLDER = new RegExp(`<${SLOT_TAG}\\b([^>]*)>(?:\\s*</${SLOT_TAG}>)?`, 'gi');
const ATTRIBUTE = /([a-z-]+)\s*=\s*"([^"]*)"/gi;
const MAX_PROPS = 2048;

const NAMED: Record<string, string> = { amp: '&', quot: '"', lt: '<', gt: '>', apos: "'" };
const unescapeAttr = (v: string) =>
  v.replace(/&(?:#x([0-9a-f]+)|#([0-9]+)|([a-z]+));/gi, (m, hex?: string, dec?: string, name?: string) =>
    hex || dec ? String.fromCodePoint(Math.min(parseInt(hex ?? dec!, hex ? 16 : 10), 0x10ffff)) : (NAMED[name!.toLowerCase()] ?? m));

/**
 * Expands the SDK's slot placeholders in a plugin's HTML (`<mff-slot name="account.tab"
 * props="accountId=…">`) into the kernel's own placeholders, so one plugin's page shows other
 * plugins' fragments (the ledger's account page, their account tabs) without the kernel knowing
 * what an account is, and without the page itself pointing at another plugin's prefix (which the
 * sandbox's fragment guard refuses). Runs after the guard, on markup the kernel then owns. An
 * unknown slot or oversized props expand to nothing.
 */
export function expandSlots(k: Kernel, html: string): string {
  if (!html.includes(`<${SLOT_TAG}`)) return html;
  return html.replace(PLACEHOLDER, (_m, attrs: string) => {
    const a: Record<string, string> = {};
    for (const [, name, value] of attrs.matchAll(ATTRIBUTE)) a[name.toLowerCase()] = unescapeAttr(value);
    if (!PAGE_SLOTS.has(a.name ?? '') || (a.props ?? '').length > MAX_PROPS) return '';
    const props = Object.fromEntries(new URLSearchParams(a.props ?? ''));
    return renderSlot(k, a.name as SlotName, props).join('');
  });
}

/** What a failed fragment is answered with: 200 (so htmx swaps it in) and an inline error. */
export function slotError(c: Context<AppEnv>, k: Kernel, p: HostedPlugin, err: unknown): Response {
  const requestId = c.get('requestId');
  c.get('log')?.error('plugin fragment failed', { plugin: p.id, err });
  return c.html(k.views.render('plugins/slot-error', { plugin: p.manifest.name ?? p.id, requestId }), 200);
}
