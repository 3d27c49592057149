// Start-up refuses to serve if isolation is not enforced by PostgreSQL itself.
import type { Sql } from 'postgres';
import { APP_ROLE } from './roles.ts';

export class IsolationError extends Error {}

export async function auditIsolation(sql: Sql): Promise<void> {
  const unprotected = await sql`
    select n.nspname as schema, c.relname as table
    from pg_class c
    join pg_namespace n on n.oid = c.relnamespace
    join pg_attribute a on a.attrelid = c.oid and a.attname = 'household_id' and not a.attisdropped
    where c.relkind in ('r', 'p')
      and n.nspname not in ('pg_catalog', 'information_schema')
      and not (c.relrowsecurity and c.relforcerowsecurity)`;
  if (unprotected.length) {
    const names = unprotected.map((r) => `${r.schema}.${r.table}`).join(', ');
    throw new IsolationError(`refusing to serve: tables with household_id lack forced row-level security: ${names}`);
  }
  const [role] = await sql`
    select r.rolsuper, r.rolbypassrls,
      (select count(*) from pg_class c where c.relowner = r.oid)::int as owned,
      (select count(*) from pg_auth_members m where m.member = r.oid)::int as memberships
    from pg_roles r where r.rolname = ${APP_ROLE}`;
  if (!role) throw new IsolationError(`refusing to serve: role ${APP_ROLE} does not exist (run mff db:setup)`);
  if (role.rolsuper || role.rolbypassrls || role.owned > 0 || role.memberships > 0) {
    throw new IsolationError(`refusing to serve: role ${APP_ROLE} must not be superuser, bypass RLS, own tables or belong to roles`);
  }
}
