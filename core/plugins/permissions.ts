// A manifest's permissions in one normalized, comparable form: what the admin approves, what an
// upgrade is checked against (anything new = widened = needs approval again), what the page shows.
import type { Manifest } from '../../plugin-sdk/types.ts';

export type Permissions = {
  net: string[];
  secrets: string[];
  dbRead: string[];
  dbWrite: string[];
  services: string[];
};

const sorted = (xs: readonly string[] | undefined) => [...new Set(xs ?? [])].sort();

export function requestedPermissions(m: Manifest): Permissions {
  return {
    net: sorted(m.permissions?.net),
    secrets: sorted(m.permissions?.secrets),
    dbRead: sorted(m.permissions?.db?.read),
    dbWrite: sorted(m.permissions?.db?.write),
    services: sorted([...(m.requires ?? []), ...(m.permissions?.services ?? [])]),
  };
}

export const LABELS: Record<keyof Permissions, string> = {
  net: 'Connect to',
  secrets: 'Store secrets',
  dbRead: 'Read tables of other plugins',
  dbWrite: 'Change tables of other plugins',
  services: 'Use services',
};

/** What `requested` asks beyond `approved` ("net: api.example.com"...). Empty: nothing new to approve. */
export function widening(requested: Permissions, approved: Permissions | null): string[] {
  const out: string[] = [];
  for (const key of Object.keys(LABELS) as (keyof Permissions)[]) {
    const have = new Set(approved?.[key] ?? []);
    for (const item of requested[key] ?? []) if (!have.has(item)) out.push(`${key}: ${item}`);
  }
  return out;
}

/** Rows for the consent page: label and items, only for kinds the plugin asks for. */
export function describePermissions(p: Permissions): { label: string; items: string[] }[] {
  return (Object.keys(LABELS) as (keyof Permissions)[]).filter((k) => p[k].length).map((k) => ({ label: LABELS[k], items: p[k] }));
}
