#!/usr/bin/env node
// mff command line: start (serve), migrate (apply migrations and exit), db:setup (create roles).
import { loadConfig, ConfigError } from './config.ts';
import { resolveDatabaseUrl } from './db/database.ts';
import { migrate } from './db/migrate.ts';
import { kernelMigrations } from './db/database.ts';
import { ensureRoles } from './db/roles.ts';
import { log, setLogLevel } from './log.ts';
import { startServer } from './server.ts';
import postgres from 'postgres';
import { randomBytes } from 'node:crypto';

const USAGE = `usage: mff <command>
  start      run migrations, start the job bus and serve the app (PORT, default 8080)
  migrate    apply pending migrations and exit
  db:setup   create the mff_owner and mff_app roles on DATABASE_URL (a superuser URL)`;

async function main(cmd = 'start'): Promise<number> {
  const config = await loadConfig();
  setLogLevel(config.MFF_LOG_LEVEL);
  switch (cmd) {
    case 'start': {
      // Listening before start-up: a signal during start-up stops everything once it is up, rather
      // than killing the process and leaving an embedded Postgres behind.
      let running: Awaited<ReturnType<typeof startServer>> | undefined;
      let stopRequested = false;
      const shutdown = () => {
        stopRequested = true;
        running?.stop().then(() => process.exit(0), (err) => { log.error('stop failed', { err }); process.exit(1); });
      };
      process.on('SIGINT', shutdown);
      process.on('SIGTERM', shutdown);
      running = await startServer(config);
      const shown = config.HOST === '0.0.0.0' || config.HOST === '::' ? 'localhost' : config.HOST;
      console.log(`mff is running at http://${shown}:${running.port}`);
      if (stopRequested) shutdown();
      return -1;
    }
    case 'migrate': {
      const { url, embedded } = await resolveDatabaseUrl(config);
      const admin = postgres(url, { max: 1, onnotice: () => {} });
      try {
        const { ensureAppRole } = await import('./db/app-role.ts');
        await ensureAppRole(config, admin, url);
        const applied = await migrate(admin, [kernelMigrations(config)]);
        const { installJobSchema } = await import('./jobs/schema.ts');
        await (await installJobSchema(admin, url, log))?.();
        console.log(applied.length ? `applied ${applied.length} kernel migration(s)` : 'kernel schema is up to date');
        // Plugin migrations run where the plugin host runs them (as the plugin's owner role when
        // sandboxed): start the kernel without serving or working jobs, then stop it.
        const { createKernel } = await import('./kernel.ts');
        const kernel = await createKernel(config, { databaseUrl: url, startJobs: false });
        try {
          for (const p of kernel.plugins.list()) console.log(`plugin ${p.id}: ${p.migrated ? 'migrated' : p.status}${p.error ? ` (${p.error})` : ''}`);
        } finally {
          await kernel.stop();
        }
      } finally {
        await admin.end();
        await embedded?.stop();
      }
      return 0;
    }
    case 'db:setup': {
      if (!config.DATABASE_URL) throw new ConfigError('DATABASE_URL must name a superuser connection for db:setup');
      const admin = postgres(config.DATABASE_URL, { max: 1, onnotice: () => {} });
      const password = process.env.MFF_APP_DB_PASSWORD || randomBytes(24).toString('base64url');
      try {
        await ensureRoles(admin, new URL(config.DATABASE_URL).pathname.slice(1), password);
      } finally {
        await admin.end();
      }
      console.log(`roles mff_owner and mff_app are ready. Set MFF_APP_DATABASE_URL with user mff_app and the password in MFF_APP_DB_PASSWORD${process.env.MFF_APP_DB_PASSWORD ? '' : ' (generated; printed once): ' + password}`);
      return 0;
    }
    default:
      console.error(USAGE);
      return 2;
  }
}

main(process.argv[2]).then(
  (code) => { if (code >= 0) process.exit(code); },
  (err) => {
    console.error(err instanceof ConfigError ? err.message : `mff: ${err?.message ?? err}`);
    process.exit(1);
  },
);
