// A manifest's permissions in one normalized, comparable form: what the admin approves, what an
// upgrade is checked against (anything new = widened = needs approval again), what the page shows.
import type { Manifest } from '../../plugin-sdk/types.ts';

export type Permissions = {
  net: string[];
  secrets: string[];
  dbRead: string[];
  dbWrite: string[];
  services: string[];
  /** Paths anyone may call without signing in (public routes: webhooks), under /hooks/<id>/<household>. */
  publicRoutes: string[];
  /** npm packages the plugin imports besides hono, zod and eta (more code it can run). */
  packages: string[];
};

const sorted = (xs: readonly string[] | undefined) => [...new Set(xs ?? [])].sort();

export function requestedPermissions(m: Manifest): Permissions {
  return {
    net: sorted(m.permissions?.net),
    secrets: sorted(m.permissions?.secrets),
    dbRead: sorted(m.permissions?.db?.read),
    dbWrite: sorted(m.permissions?.db?.write),
    services: sorted([...(m.requires ?? []), ...(m.permissions?.services ?? [])]),
    publicRoutes: sorted(m.permissions?.publicRoutes),
    packages: sorted(m.packages),
  };
}

export const LABELS: Record<keyof Permissions, string> = {
  net: 'Connect to',
  secrets: 'Store secrets',
  dbRead: 'Read tables of other plugins',
  dbWrite: 'Change tables of other plugins',
  services: 'Use services',
  publicRoutes: 'Answer anyone, without sign-in, at',
  packages: 'Import npm packages',
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

/** Rows for the consent page: label and items, only for kinds the plugin asks for. Public routes as their full URL path. */
export function describePermissions(p: Permissions, pluginId: string): { label: string; items: string[] }[] {
  const shown = (k: keyof Permissions, item: string) => (k === 'publicRoutes' ? `/hooks/${pluginId}/<household>${item}` : item);
  return (Object.keys(LABELS) as (keyof Permissions)[])
    .filter((k) => p[k]?.length)
    .map((k) => ({ label: LABELS[k], items: p[k].map((item) => shown(k, item)) }));
}

/** Whether a public route's path (under /hooks/<id>/<household>) is one the manifest declares. */
export function publicRouteDeclared(declared: readonly string[] | undefined, path: string): boolean {
  return (declared ?? []).some((d) => (d.endsWith('/*') ? path === d.slice(0, -2) || path.startsWith(d.slice(0, -1)) : path === d));
}
