// slot(): a placeholder for other plugins' fragments on one of your pages (e.g. the ledger's
// account page shows the `account.tab` fragments of every plugin that fills it). The kernel
// replaces it, in both modes, with one htmx-loaded box per active plugin filling the slot; `props`
// reach each fragment's render(ctx, props). No capability call: it is markup the kernel expands.
import type { SlotName } from './types.ts';

export const SLOT_TAG = 'mff-slot';

const escapeAttr = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** HTML to output raw (eta: `<%~ it.tabs %>`): `slot('account.tab', { accountId })`. */
export function slot(name: Exclude<SlotName, 'nav'>, props: Record<string, string> = {}): string {
  const query = new URLSearchParams(props).toString();
  return `<${SLOT_TAG} name="${escapeAttr(name)}"${query ? ` props="${escapeAttr(query)}"` : ''}></${SLOT_TAG}>`;
}
