// Opens the instance's database: the embedded server when DATABASE_URL is unset, ensures roles,
// applies (or verifies) migrations as the owner, and connects as the unprivileged app role.
import { join } from 'node:path';
import postgres, { type Sql } from 'postgres';
import type { Config } from '../config.ts';
import { log } from '../log.ts';
import { startEmbedded, type EmbeddedServer } from './embedded.ts';
import { binder, type Binding, type Tx } from './household-binding.ts';
import { migrate, verifyMigrations, type MigrationSource } from './migrate.ts';
import { auditIsolation } from './rls-audit.ts';
import { ensureAppRole } from './app-role.ts';
import { ident } from './roles.ts';

export type Database = {
  /** DATABASE_URL's role (superuser or owner): migrations and the job bus's schema. Never request code. */
  admin: Sql;
  /** The app role. Outside withHousehold it sees no household rows at all. */
  app: Sql;
  adminUrl: string;
  appUrl: string;
  bindingKey: Buffer;
  withHousehold<T>(b: Binding & { householdId: string }, fn: (tx: Tx) => Promise<T>): Promise<T>;
  withUser<T>(userId: string, fn: (tx: Tx) => Promise<T>): Promise<T>;
  close(): Promise<void>;
};

export const kernelMigrations = (config: Config): MigrationSource => ({
  scope: 'kernel',
  dir: join(config.rootDir, 'migrations'),
  schema: 'kernel',
});

const quiet = { onnotice: () => {} };

/** Starts the embedded server if needed and returns a URL to the instance's database. */
export async function resolveDatabaseUrl(config: Config): Promise<{ url: string; embedded?: EmbeddedServer }> {
  if (config.DATABASE_URL) return { url: config.DATABASE_URL };
  const embedded = await startEmbedded(join(config.dataDir, 'pg'), config.MFF_EMBEDDED_PG_PORT);
  const server = postgres(embedded.url, { max: 1, ...quiet });
  try {
    const [exists] = await server`select 1 from pg_database where datname = 'mff'`;
    if (!exists) await server.unsafe('create database mff');
  } finally {
    await server.end();
  }
  return { url: embedded.url.replace(/\/postgres$/, '/mff'), embedded };
}

export async function openDatabase(
  config: Config,
  opts: { url: string; sources: MigrationSource[]; migrate: boolean; poolSize?: number },
): Promise<Database> {
  const admin = postgres(opts.url, { max: 4, ...quiet });
  const dbName = new URL(opts.url).pathname.slice(1);
  let appUrl: string;
  try {
    appUrl = await ensureAppRole(config, admin, opts.url);
    if (opts.migrate) await migrate(admin, opts.sources);
    const { pending } = await verifyMigrations(admin, opts.sources);
    if (pending.length) throw new Error(`pending migrations (run npm run migrate): ${pending.join(', ')}`);
    await auditIsolation(admin);
  } catch (err) {
    await admin.end();
    throw err;
  }
  const [{ key }] = await admin`select key from kernel.binding_key where id = 1`;
  const app = postgres(appUrl, { max: opts.poolSize ?? 10, ...quiet, connection: { application_name: 'mff' } });
  const withBinding = binder(app, key);
  log.debug('database ready', { database: dbName });
  return {
    admin,
    app,
    adminUrl: opts.url,
    appUrl,
    bindingKey: key,
    withHousehold: (b, fn) => withBinding(b, fn),
    withUser: (userId, fn) => withBinding({ userId }, fn),
    close: async () => {
      await Promise.all([app.end({ timeout: 5 }), admin.end({ timeout: 5 })]);
    },
  };
}

export { ident };
