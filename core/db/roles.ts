// The two database roles the kernel runs with. `mff_owner` owns every schema and table and runs
// migrations; `mff_app` is what request and job code connects as: it owns nothing, is not superuser,
// cannot bypass row-level security and is a member of no role, so `SET ROLE` cannot lift it.
import type { Sql } from 'postgres';

export const OWNER_ROLE = 'mff_owner';
export const APP_ROLE = 'mff_app';

/** Idempotent; needs a superuser (or CREATEROLE) connection. Used by `mff db:setup` and by start-up on a superuser URL. */
export async function ensureRoles(admin: Sql, database: string, appPassword: string): Promise<void> {
  // Roles are cluster-wide; a lock keeps two processes (or test runs) from racing to create them.
  await admin.begin(async (tx) => {
  await tx`select pg_advisory_xact_lock(${0x6d666672})`;
  await tx.unsafe(`
    do $$ begin
      if not exists (select from pg_roles where rolname = '${OWNER_ROLE}') then
        create role ${OWNER_ROLE} login nosuperuser nocreatedb nocreaterole nobypassrls;
      end if;
      if not exists (select from pg_roles where rolname = '${APP_ROLE}') then
        create role ${APP_ROLE} login nosuperuser nocreatedb nocreaterole nobypassrls noinherit;
      end if;
    end $$`);
  await tx.unsafe(`alter role ${APP_ROLE} password ${literal(appPassword)}`);
  await tx.unsafe(`grant connect, create, temporary on database ${ident(database)} to ${OWNER_ROLE}`);
  await tx.unsafe(`grant connect on database ${ident(database)} to ${APP_ROLE}`);
  await tx.unsafe(`revoke create on schema public from public`);
  });
}

export async function isSuperuser(sql: Sql): Promise<boolean> {
  const [row] = await sql`select rolsuper from pg_roles where rolname = current_user`;
  return row.rolsuper;
}

export const ident = (s: string) => '"' + s.replaceAll('"', '""') + '"';
export const literal = (s: string) => "'" + s.replaceAll("'", "''") + "'";
