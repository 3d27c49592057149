// pg-boss keeps its tables in the `pgboss` schema of the instance's database. Installing and
// migrating them is DDL, so it runs as the owner role (like kernel migrations); the workers then
// run as the app role, which only needs DML grants: it creates no table (queues are rows in the
// shared job table, never partitions) and so keeps owning nothing, as the isolation audit demands.
import { createRequire } from 'node:module';
import { PgBoss } from 'pg-boss';
import type { Sql } from 'postgres';
import type { Logger } from '../log.ts';
import { APP_ROLE, OWNER_ROLE, isSuperuser } from '../db/roles.ts';

export const JOB_SCHEMA = 'pgboss';
const SCHEMA_VERSION: number = createRequire(import.meta.url)('pg-boss/package.json').pgboss.schema;
const GRANT_LOCK = 0x6d666a62; // 'mfjb'

/** pg-boss connection options shared by the owner and app instances. */
export const bossBase = { schema: JOB_SCHEMA, application_name: 'mff-jobs' } as const;

async function upToDate(admin: Sql): Promise<boolean> {
  const [{ installed }] = await admin`select to_regclass(${JOB_SCHEMA + '.version'}) is not null as installed`;
  if (!installed) return false;
  const [row] = await admin.unsafe(`select version from ${JOB_SCHEMA}.version`);
  if (Number(row?.version) !== SCHEMA_VERSION) return false;
  const [{ granted }] = await admin`select has_table_privilege(${APP_ROLE}, ${JOB_SCHEMA + '.job'}, 'insert') as granted`;
  // Background index builds left by an interrupted migration: an owner instance finishes them.
  const [{ pending }] = await admin.unsafe(`select count(*)::int as pending from ${JOB_SCHEMA}.bam where status in ('pending', 'in_progress')`);
  return granted && pending === 0;
}

/**
 * Installs or migrates pg-boss's schema as the owner and grants the app role what workers need.
 * Returns a stop function when pg-boss still has background index builds to finish (they need the
 * owner too), else undefined. Safe to run from several processes at once.
 */
export async function installJobSchema(admin: Sql, adminUrl: string, log: Logger): Promise<(() => Promise<void>) | undefined> {
  if (await upToDate(admin)) return undefined;
  // As superuser, act as the owner role so the owner owns pg-boss's objects, as it owns the kernel's.
  const asOwner = (await isSuperuser(admin)) ? { options: `-c role=${OWNER_ROLE}` } : {};
  const owner = new PgBoss({ ...bossBase, connectionString: adminUrl, ...asOwner, max: 2, supervise: false, schedule: false, registerInstance: false });
  owner.on('error', (err) => log.error('job schema', { err }));
  await owner.start();
  let keep = false;
  try {
    await admin.begin(async (tx) => {
      await tx`select pg_advisory_xact_lock(${GRANT_LOCK})`;
      if (asOwner.options) await tx.unsafe(`set local role ${OWNER_ROLE}`);
      await tx.unsafe(`grant usage on schema ${JOB_SCHEMA} to ${APP_ROLE}`);
      await tx.unsafe(`grant select, insert, update, delete on all tables in schema ${JOB_SCHEMA} to ${APP_ROLE}`);
      await tx.unsafe(`grant usage, select on all sequences in schema ${JOB_SCHEMA} to ${APP_ROLE}`);
      await tx.unsafe(`grant execute on all functions in schema ${JOB_SCHEMA} to ${APP_ROLE}`);
      // Tables a later pg-boss migration adds get the same grants.
      await tx.unsafe(`alter default privileges in schema ${JOB_SCHEMA} grant select, insert, update, delete on tables to ${APP_ROLE}`);
      await tx.unsafe(`alter default privileges in schema ${JOB_SCHEMA} grant usage, select on sequences to ${APP_ROLE}`);
    });
    const pending = (await owner.getBamStatus()).some((s) => s.status === 'pending' || s.status === 'in_progress');
    keep = pending;
    log.info('job schema ready', { schema: JOB_SCHEMA, version: SCHEMA_VERSION, backgroundMigrations: pending });
  } finally {
    if (!keep) await owner.stop({ graceful: false });
  }
  return keep ? () => owner.stop() : undefined;
}
