// Migrations: SQL files applied in name order, each in its own transaction as the owner role,
// recorded with a checksum. An advisory lock makes concurrent runs apply each file exactly once;
// a file changed after it was applied stops everything.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ReservedSql, Sql } from 'postgres';
import { log } from '../log.ts';
import { APP_ROLE, OWNER_ROLE, ident } from './roles.ts';

export type MigrationSource = {
  scope: string; // 'kernel' or a plugin id
  dir: string;
  schema: string; // search_path while the files run; created (owned by the owner role) if missing
};

export type MigrationFile = { scope: string; name: string; sql: string; checksum: string };

export class MigrationError extends Error {}

const LOCK_KEY = 0x6d6666; // 'mff'

export function readMigrations(source: MigrationSource): MigrationFile[] {
  if (!existsSync(source.dir)) return [];
  return readdirSync(source.dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((name) => {
      const sql = readFileSync(join(source.dir, name), 'utf8');
      return { scope: source.scope, name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

/**
 * Applies pending migrations of every source. `admin` is either the owner role itself or a
 * superuser, in which case each file runs under `SET LOCAL ROLE mff_owner` so the owner owns all.
 */
export async function migrate(admin: Sql, sources: MigrationSource[]): Promise<string[]> {
  const applied: string[] = [];
  const conn = await admin.reserve();
  try {
    await conn`select pg_advisory_lock(${LOCK_KEY})`;
    const [{ rolsuper }] = await conn`select rolsuper from pg_roles where rolname = current_user`;
    const asOwner = rolsuper ? `set local role ${OWNER_ROLE}` : 'select 1';
    await inTransaction(conn, async () => {
      await conn.unsafe(asOwner);
      await conn.unsafe(`create schema if not exists kernel`);
      await conn.unsafe(`create table if not exists kernel.migrations (
        scope text not null, name text not null, checksum text not null,
        applied_at timestamptz not null default now(), primary key (scope, name))`);
    });
    const done = new Map<string, string>();
    for (const r of await conn`select scope, name, checksum from kernel.migrations`) done.set(`${r.scope}/${r.name}`, r.checksum);

    for (const source of sources) {
      for (const file of readMigrations(source)) {
        const key = `${file.scope}/${file.name}`;
        const previous = done.get(key);
        if (previous) {
          if (previous !== file.checksum) throw changed(key);
          continue;
        }
        await inTransaction(conn, async () => {
          const tx = conn;
          await tx.unsafe(asOwner);
          await tx.unsafe(`create schema if not exists ${ident(source.schema)}`);
          await tx.unsafe(`grant usage on schema ${ident(source.schema)} to ${APP_ROLE}`);
          await tx.unsafe(`set local search_path = ${ident(source.schema)}, pg_catalog`);
          await tx.unsafe(file.sql).catch((err: Error) => {
            throw new MigrationError(`migration ${key} failed: ${err.message}`);
          });
          // In-process plugins run as the app role, so it may read and write the plugin's own tables
          // (row-level security still binds every household row).
          if (source.scope !== 'kernel') {
            await tx.unsafe(`grant select, insert, update, delete on all tables in schema ${ident(source.schema)} to ${APP_ROLE}`);
            await tx.unsafe(`grant usage on all sequences in schema ${ident(source.schema)} to ${APP_ROLE}`);
          }
          await tx`insert into kernel.migrations (scope, name, checksum) values (${file.scope}, ${file.name}, ${file.checksum})`;
        });
        log.info('migration applied', { migration: key });
        applied.push(key);
      }
    }
  } finally {
    await conn`select pg_advisory_unlock(${LOCK_KEY})`.catch(() => {});
    conn.release();
  }
  return applied;
}

/** Start-up check without the lock: refuses if any applied file changed, reports pending ones. */
export async function verifyMigrations(sql: Sql, sources: MigrationSource[]): Promise<{ pending: string[] }> {
  const rows = await sql`select scope, name, checksum from kernel.migrations`;
  const done = new Map(rows.map((r) => [`${r.scope}/${r.name}`, r.checksum as string]));
  const pending: string[] = [];
  for (const source of sources) {
    for (const file of readMigrations(source)) {
      const key = `${file.scope}/${file.name}`;
      const previous = done.get(key);
      if (previous === undefined) pending.push(key);
      else if (previous !== file.checksum) throw changed(key);
    }
  }
  return { pending };
}

// A reserved connection keeps the advisory lock; transactions on it are plain BEGIN / COMMIT.
async function inTransaction(conn: ReservedSql, fn: () => Promise<void>): Promise<void> {
  await conn.unsafe('begin');
  try {
    await fn();
    await conn.unsafe('commit');
  } catch (err) {
    await conn.unsafe('rollback').catch(() => {});
    throw err;
  }
}

const changed = (key: string) =>
  new MigrationError(`migration ${key} was changed after it was applied; restore the original file and add a new migration instead`);
