// kernel.plugins: which plugins the instance has seen, what the admin approved, whether each is
// enabled. Instance-wide rows (no household), read and written by kernel code only.
import type { Sql } from 'postgres';
import type { Mode } from '../../plugin-sdk/types.ts';
import { widening, type Permissions } from './permissions.ts';

export type RegistryRow = {
  id: string;
  version: string;
  mode: Mode;
  enabled: boolean;
  requested: Permissions;
  approved: Permissions | null;
  approvedVersion: string | null;
  approvedAt: Date | null;
  approvedBy: string | null;
  approvedVia: 'admin' | 'config' | null;
};

const toRow = (r: Record<string, any>): RegistryRow => ({
  id: r.id,
  version: r.version,
  mode: r.mode,
  enabled: r.enabled,
  requested: r.requested_permissions,
  approved: r.approved_permissions,
  approvedVersion: r.approved_version,
  approvedAt: r.approved_at,
  approvedBy: r.approved_by,
  approvedVia: r.approved_via,
});

/** Whether the admin's approval covers everything the current manifest asks for. */
export const isApproved = (row: RegistryRow) => row.approved !== null && widening(row.requested, row.approved).length === 0;

/**
 * Records the plugin as the instance now runs it. Approval is never widened here, except with
 * `autoApprove` (first-party, in-process plugins listed in mff.config.ts): those are approved at
 * first sight and on upgrades, as they ship with mff itself. An admin's disable is kept.
 */
export async function syncPlugin(sql: Sql, p: { id: string; version: string; mode: Mode; requested: Permissions; autoApprove: boolean }): Promise<{ row: RegistryRow; firstSeen: boolean }> {
  const requested = sql.json(p.requested as never);
  const [r] = await sql`
    insert into kernel.plugins (id, version, mode, enabled, requested_permissions, approved_permissions, approved_version, approved_at, approved_via)
    values (${p.id}, ${p.version}, ${p.mode}, ${p.autoApprove}, ${requested},
            ${p.autoApprove ? requested : null}, ${p.autoApprove ? p.version : null}, ${p.autoApprove ? new Date() : null}, ${p.autoApprove ? 'config' : null})
    on conflict (id) do update
      set version = excluded.version, mode = excluded.mode, requested_permissions = excluded.requested_permissions, updated_at = now()
    returning *, (xmax = 0) as inserted`;
  let row = toRow(r);
  if (!r.inserted && p.autoApprove && !isApproved(row)) {
    const [u] = await sql`
      update kernel.plugins set approved_permissions = requested_permissions, approved_version = version,
        approved_at = now(), approved_by = null, approved_via = 'config', updated_at = now()
      where id = ${p.id} returning *`;
    row = toRow(u);
  }
  return { row, firstSeen: r.inserted };
}

export async function readPlugin(sql: Sql, id: string): Promise<RegistryRow | null> {
  const [r] = await sql`select * from kernel.plugins where id = ${id}`;
  return r ? toRow(r) : null;
}

export async function readPlugins(sql: Sql, ids: string[]): Promise<RegistryRow[]> {
  return (await sql`select * from kernel.plugins where id = any(${ids})`).map(toRow);
}

/** The admin approves exactly what the current manifest asks for, and the plugin is enabled. */
export async function approvePlugin(sql: Sql, id: string, userId: string | null, expected: Permissions): Promise<RegistryRow | null> {
  // `expected` is what the admin was shown: if the manifest changed since, nothing is approved.
  const [r] = await sql`
    update kernel.plugins set approved_permissions = requested_permissions, approved_version = version,
      approved_at = now(), approved_by = ${userId}, approved_via = 'admin', enabled = true, updated_at = now()
    where id = ${id} and requested_permissions = ${sql.json(expected as never)}
    returning *`;
  return r ? toRow(r) : null;
}

export async function setEnabled(sql: Sql, id: string, enabled: boolean): Promise<RegistryRow | null> {
  const [r] = await sql`update kernel.plugins set enabled = ${enabled}, updated_at = now() where id = ${id} returning *`;
  return r ? toRow(r) : null;
}
