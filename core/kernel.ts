// The kernel: configuration, keys, database, job bus, views and the API registry, wired once.
// It knows no finance; plugins add everything about money through plugin-sdk/.
import { join } from 'node:path';
import type { Config } from './config.ts';
import { openDatabase, kernelMigrations, resolveDatabaseUrl, type Database } from './db/database.ts';
import type { EmbeddedServer } from './db/embedded.ts';
import type { MigrationSource } from './db/migrate.ts';
import { ApiRegistry } from './http/api.ts';
import { createRenderer, type NavItem, type Renderer } from './http/render.ts';
import { assetUrl, loadAssets } from './http/static.ts';
import { createShell } from './http/shell.ts';
import { createJobBus, type JobBus } from './jobs/bus.ts';
import { registerJobApi } from './jobs/api.ts';
import { registerInstanceSettingsApi } from './plugins/instance-settings-api.ts';
import { loadKeys, type Keys } from './keys.ts';
import { registerPluginApi } from './plugins/api-routes.ts';
import { startPluginHost, type PluginHost } from './plugins/host.ts';
import { log, type Logger } from './log.ts';

export type Kernel = {
  config: Config;
  keys: Keys;
  db: Database;
  jobs: JobBus;
  log: Logger;
  api: ApiRegistry;
  views: Renderer;
  assets: ReturnType<typeof loadAssets>;
  nav: NavItem[];
  /** Plugins listed in mff.config.ts, their status and runtimes (core/plugins/host.ts). */
  plugins: PluginHost;
  stop(): Promise<void>;
};

export type KernelOptions = {
  /** Apply pending migrations at start (the default); otherwise refuse to start while any are pending. */
  migrate?: boolean;
  /** Extra migration sources (plugins). */
  sources?: MigrationSource[];
  /** Use this database URL instead of DATABASE_URL / the embedded server (tests). */
  databaseUrl?: string;
  startJobs?: boolean;
  /** Size of the app role's connection pool (default 10). */
  poolSize?: number;
};

export async function createKernel(config: Config, opts: KernelOptions = {}): Promise<Kernel> {
  const keys = loadKeys(config);
  let embedded: EmbeddedServer | undefined;
  let url = opts.databaseUrl;
  if (!url) ({ url, embedded } = await resolveDatabaseUrl(config));
  let db: Database;
  try {
    db = await openDatabase(config, { url, sources: [kernelMigrations(config), ...(opts.sources ?? [])], migrate: opts.migrate ?? true, poolSize: opts.poolSize });
  } catch (err) {
    await embedded?.stop();
    throw err;
  }
  const jobs = createJobBus(db, log);
  try {
    // Every role can enqueue; only workers (not MFF_ROLE=web) run handlers, schedules and maintenance.
    await jobs.start({ work: opts.startJobs ?? config.MFF_ROLE !== 'web' });
  } catch (err) {
    await db.close();
    await embedded?.stop();
    throw err;
  }
  const assets = loadAssets(config.rootDir);
  const assetUrls = Object.fromEntries(Object.keys(assets).map((n) => [n, assetUrl(assets, n)]));
  const kernel: Kernel = {
    config,
    keys,
    db,
    jobs,
    log,
    api: new ApiRegistry(),
    views: undefined as unknown as Renderer,
    assets,
    nav: [],
    plugins: undefined as unknown as PluginHost,
    async stop() {
      await kernel.plugins?.stop();
      await jobs.stop();
      await db.close();
      await embedded?.stop();
    },
  };
  kernel.views = createRenderer(join(config.rootDir, 'views'), createShell(kernel, assetUrls));
  registerJobApi(kernel);
  try {
    kernel.plugins = await startPluginHost(kernel);
    registerPluginApi(kernel, kernel.plugins);
    registerInstanceSettingsApi(kernel, kernel.plugins);
  } catch (err) {
    await kernel.stop();
    throw err;
  }
  return kernel;
}
