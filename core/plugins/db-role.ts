// Database roles of a sandboxed plugin. Two per plugin (and per database, so instances sharing a
// cluster never collide):
//   mff_po_<schema>_<db>  NOLOGIN, owns the plugin's schema; the plugin's migrations run as it, so
//                         they can create and change tables there and touch nothing else.
//   mff_p_<schema>_<db>   LOGIN, what ctx.db connects as: DML on the plugin's own tables plus the
//                         manifest's permissions.db grants. It owns nothing (so it cannot turn off
//                         row-level security) and is a member of no role (so SET ROLE fails); the
//                         household binding still comes only from the kernel's HMAC.
import { createHash, createHmac } from 'node:crypto';
import postgres, { type Sql } from 'postgres';
import type { Manifest } from '../../plugin-sdk/types.ts';
import { APP_ROLE, ident, literal } from '../db/roles.ts';
import { readMigrations, type MigrationSource } from '../db/migrate.ts';
import type { Logger } from '../log.ts';

export type PluginRoles = { owner: string; runtime: string; password: string; ownerPassword: string };

const LOCK_KEY = 0x6d6666; // the same lock core/db/migrate.ts takes: migrations never interleave

/** The suffix naming one database's plugin roles (test cleanup drops roles by it). */
export const roleSuffix = (database: string) => createHash('sha256').update(database).digest('hex').slice(0, 8);

export function pluginRoles(schema: string, database: string, secret: Buffer): PluginRoles {
  const db = roleSuffix(database);
  const runtime = `mff_p_${schema}_${db}`;
  const owner = `mff_po_${schema}_${db}`;
  const password = (role: string) => createHmac('sha256', secret).update(`plugin-db-role:${role}`).digest('base64url');
  return { owner, runtime, password: password(runtime), ownerPassword: password(owner) };
}

// Roles are cluster-wide while advisory locks are per database: two databases (test runs) may race
// to create the same names. A lost race shows as one of these errors and is simply retried.
const RACE = /already exists|tuple concurrently updated|duplicate key/;

async function retrying<T>(fn: () => Promise<T>): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await fn();
    } catch (err) {
      if (i >= 5 || !RACE.test((err as Error).message)) throw err;
      await new Promise((r) => setTimeout(r, 20 + Math.random() * 80));
    }
  }
}

/** Creates (or updates) both roles and the schema the owner role owns. Needs a superuser or CREATEROLE admin. */
export async function ensurePluginRoles(admin: Sql, schema: string, database: string, roles: PluginRoles): Promise<void> {
  await retrying(() =>
    admin.begin(async (tx) => {
      await tx.unsafe(`do $$ begin
        if not exists (select from pg_roles where rolname = ${literal(roles.owner)}) then
          create role ${ident(roles.owner)} login nosuperuser nocreatedb nocreaterole nobypassrls noinherit connection limit 2;
        end if;
        if not exists (select from pg_roles where rolname = ${literal(roles.runtime)}) then
          create role ${ident(roles.runtime)} login nosuperuser nocreatedb nocreaterole nobypassrls noinherit connection limit 20;
        end if;
      end $$`);
      await tx.unsafe(`alter role ${ident(roles.runtime)} password ${literal(roles.password)}`);
      // The owner logs in for migrations only: they run on its own connection, never under SET ROLE
      // on the kernel's, where the migration's SQL could simply RESET ROLE back to the superuser.
      await tx.unsafe(`alter role ${ident(roles.owner)} login connection limit 2 password ${literal(roles.ownerPassword)}`);
      await tx.unsafe(`grant connect on database ${ident(database)} to ${ident(roles.runtime)}, ${ident(roles.owner)}`);
      await tx.unsafe(`create schema if not exists ${ident(schema)} authorization ${ident(roles.owner)}`);
    }),
  );
  await adoptSchema(admin, schema, roles.owner);
}

/**
 * Makes `role` the owner of the schema and everything in it (a plugin that changed mode keeps its
 * data). With `routines`, its functions too, as plain invokers again (back to in-process, where a
 * plugin's triggers run as the app role; a sandboxed start makes them its runtime role's instead).
 */
export async function adoptSchema(admin: Sql, schema: string, role: string, opts: { routines?: boolean } = {}): Promise<void> {
  const objects = await admin`
    select c.relname as name, c.relkind as kind from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = ${schema} and c.relkind in ('r', 'p', 'v', 'm', 'S') and pg_get_userbyid(c.relowner) <> ${role}
      and not exists (select from pg_depend d where d.objid = c.oid and d.deptype in ('a', 'i'))`;
  const [{ owner }] = await admin`select pg_get_userbyid(nspowner) as owner from pg_namespace where nspname = ${schema}`;
  if (owner !== role) await admin.unsafe(`alter schema ${ident(schema)} owner to ${ident(role)}`);
  for (const o of objects) {
    const kind = o.kind === 'S' ? 'sequence' : o.kind === 'v' ? 'view' : o.kind === 'm' ? 'materialized view' : 'table';
    await admin.unsafe(`alter ${kind} ${ident(schema)}.${ident(o.name)} owner to ${ident(role)}`);
  }
  if (opts.routines) await makeInvokers(admin, schema, role);
}

/** Applies the plugin's pending migrations as its owner role; records them as the kernel does. */
export async function migrateAsOwner(admin: Sql, source: MigrationSource, roles: PluginRoles, log: Logger): Promise<string[]> {
  const applied: string[] = [];
  const conn = await admin.reserve();
  // The owner connects to the kernel's server(s). postgres's Options types host and port as single
  // values, though it takes the arrays of its parsed options (several hosts) as they are.
  const { host, port, database, ssl } = admin.options;
  const servers = { host, port } as unknown as Pick<postgres.Options<{}>, 'host' | 'port'>;
  const owner = postgres({ ...servers, database, ssl, username: roles.owner, password: roles.ownerPassword, max: 1, onnotice: () => {} });
  try {
    await conn`select pg_advisory_lock(${LOCK_KEY})`;
    const done = new Map((await conn`select name, checksum from kernel.migrations where scope = ${source.scope}`).map((r) => [r.name as string, r.checksum as string]));
    const files = readMigrations(source);
    // The plugin's functions run as its runtime role (runAsRuntime below); while new migrations run
    // they are the owner's again, plain invokers, so a migration may replace them.
    if (files.some((f) => !done.has(f.name))) await makeInvokers(conn, source.schema, roles.owner);
    for (const file of files) {
      const previous = done.get(file.name);
      if (previous) {
        if (previous !== file.checksum) throw new Error(`migration ${source.scope}/${file.name} was changed after it was applied; add a new migration instead`);
        continue;
      }
      // Untrusted SQL: on a connection logged in as the owner role (RESET ROLE leads nowhere).
      await owner.begin(async (tx) => {
        await tx.unsafe(`set local search_path = ${ident(source.schema)}, pg_catalog`);
        await tx.unsafe(file.sql).catch((err: Error) => {
          throw new Error(`migration ${source.scope}/${file.name} failed: ${err.message}`);
        });
      });
      // Recorded (and granted) by the kernel's connection, which holds the migration lock.
      await conn.unsafe('begin');
      try {
        await grantSchemaDml(conn, source.schema, roles.runtime);
        await conn`insert into kernel.migrations (scope, name, checksum) values (${source.scope}, ${file.name}, ${file.checksum})`;
        await conn.unsafe('commit');
      } catch (err) {
        await conn.unsafe('rollback').catch(() => {});
        throw err;
      }
      log.info('migration applied', { migration: `${source.scope}/${file.name}`, role: roles.owner });
      applied.push(file.name);
    }
    // The app role gets nothing here (and loses what earlier versions granted it): a trigger,
    // default or check of the plugin's would run its code with the app role's rights, which reach
    // kernel.users. Household deletion deletes these rows as the runtime role (host.ts).
    await conn.unsafe(`revoke all on all tables in schema ${ident(source.schema)} from ${ident(APP_ROLE)}`);
    await conn.unsafe(`revoke all on all sequences in schema ${ident(source.schema)} from ${ident(APP_ROLE)}`);
    await conn.unsafe(`revoke all on schema ${ident(source.schema)} from ${ident(APP_ROLE)}`);
    // A SECURITY DEFINER function would run the runtime role's calls as the owner, who may alter
    // its tables (and so switch off row-level security).
    // (Functions the runtime role owns were made definers by runAsRuntime at an earlier start.)
    const definers = await conn`select p.proname from pg_proc p join pg_namespace n on n.oid = p.pronamespace
      where n.nspname = ${source.schema} and p.prosecdef and pg_get_userbyid(p.proowner) <> ${roles.runtime}`;
    if (definers.length) throw new Error(`plugin ${source.scope}: security definer functions are not allowed in sandboxed plugins (${definers.map((r) => r.proname).join(', ')})`);
    await runAsRuntime(conn, source.schema, roles);
  } finally {
    await conn`select pg_advisory_unlock(${LOCK_KEY})`.catch(() => {});
    conn.release();
    await owner.end({ timeout: 5 });
  }
  return applied;
}

type Routine = { f: string; owner: string; definer: boolean; pinned: boolean };

/** The functions and procedures in `schema`: signature, owner, security definer, own search_path. */
async function routines(conn: Sql, schema: string): Promise<Routine[]> {
  const rows = await conn`
    select p.oid::regprocedure::text as f, pg_get_userbyid(p.proowner) as owner, p.prosecdef as definer,
      exists (select from unnest(p.proconfig) c where c like 'search_path=%') as pinned
    from pg_proc p join pg_namespace n on n.oid = p.pronamespace
    where n.nspname = ${schema} and p.prokind in ('f', 'p')`;
  return rows as unknown as Routine[];
}

/** Gives the schema's routines to `role` as plain invokers (that role's migrations may replace them). */
async function makeInvokers(conn: Sql, schema: string, role: string): Promise<void> {
  for (const r of await routines(conn, schema)) {
    if (r.owner !== role) await conn.unsafe(`alter routine ${r.f} owner to ${ident(role)}`);
    if (r.definer) await conn.unsafe(`alter routine ${r.f} security invoker`);
  }
}

/**
 * The plugin's functions (its triggers, defaults, checks, policies' helpers) run as its runtime role
 * whoever sets them off: owned by it, security definer. Otherwise another plugin granted writes on
 * one of its tables would run this plugin's trigger code with that other plugin's rights (a
 * confused deputy). The runtime role owns nothing else, so its definer rights are exactly what the
 * plugin's own queries have; a search_path is pinned unless the function sets its own.
 */
async function runAsRuntime(conn: Sql, schema: string, roles: PluginRoles): Promise<void> {
  for (const r of await routines(conn, schema)) {
    if (r.owner === roles.runtime && r.definer) continue; // so made at an earlier start
    await conn.unsafe(`alter routine ${r.f} owner to ${ident(roles.runtime)}`);
    await conn.unsafe(`alter routine ${r.f} security definer`);
    if (!r.pinned) await conn.unsafe(`alter routine ${r.f} set search_path = ${ident(schema)}, pg_catalog`);
  }
}

/** DML on every table (and use of every sequence) in `schema`, for `role`. */
async function grantSchemaDml(conn: Sql, schema: string, role: string): Promise<void> {
  await conn.unsafe(`grant usage on schema ${ident(schema)} to ${ident(role)}`);
  await conn.unsafe(`grant select, insert, update, delete on all tables in schema ${ident(schema)} to ${ident(role)}`);
  await conn.unsafe(`grant usage on all sequences in schema ${ident(schema)} to ${ident(role)}`);
}

/**
 * The runtime role's grants on its own schema (again, for tables of an earlier mode) and on other
 * plugins' tables its manifest declares. A declared table that does not exist yet is logged and skipped.
 */
export async function grantDeclared(admin: Sql, schema: string, m: Manifest, roles: PluginRoles, log: Logger): Promise<void> {
  const r = ident(roles.runtime);
  await grantSchemaDml(admin, schema, roles.runtime);
  const grants = [
    ...(m.permissions?.db?.read ?? []).map((t) => [t, 'select'] as const),
    ...(m.permissions?.db?.write ?? []).map((t) => [t, 'select, insert, update, delete'] as const),
  ];
  for (const [table, privileges] of grants) {
    const [plugin, name] = table.split('.');
    const other = plugin.replaceAll('-', '_');
    try {
      await admin.unsafe(`grant usage on schema ${ident(other)} to ${r}`);
      await admin.unsafe(`grant ${privileges} on ${ident(other)}.${ident(name)} to ${r}`);
    } catch (err) {
      log.warn('declared table grant skipped', { plugin: m.id, table, err: (err as Error).message });
    }
  }
}

/**
 * The app role's rights on an in-process plugin's schema (it runs as the app role). Given again at
 * every start: a plugin that ran sandboxed before had them revoked (migrateAsOwner).
 */
export async function grantAppRole(admin: Sql, schema: string): Promise<void> {
  const [exists] = await admin`select from pg_namespace where nspname = ${schema}`;
  if (exists) await grantSchemaDml(admin, schema, APP_ROLE);
}

/** A small pool connecting as the plugin's runtime role. */
export function pluginPool(adminUrl: string, roles: PluginRoles, max = 4): Sql {
  const u = new URL(adminUrl);
  u.username = roles.runtime;
  u.password = roles.password;
  return postgres(u.toString(), { max, onnotice: () => {}, connection: { application_name: `mff-plugin` } });
}
