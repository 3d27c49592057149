// `npm test`: runs every test file with node:test against a real PostgreSQL. With DATABASE_URL unset
// it starts an embedded server under ./data/test-pg; either way it migrates a template database
// once, and each test file clones its own database from it (see support/database.ts).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import postgres from 'postgres';
import { loadConfig } from '../core/config.ts';
import { ensureAppRole } from '../core/db/app-role.ts';
import { kernelMigrations } from '../core/db/database.ts';
import { startEmbedded } from '../core/db/embedded.ts';
import { migrate } from '../core/db/migrate.ts';
import { log, setLogLevel } from '../core/log.ts';

const root = resolve(import.meta.dirname, '..');
process.env.MFF_DATA_DIR ??= join(root, 'data', 'test');
process.env.MFF_LOG_LEVEL ??= 'warn';
setLogLevel('warn');

function findTests(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) findTests(p, out);
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const filters = process.argv.slice(2);
const files = ['core', 'plugins', 'plugin-sdk', 'test', 'examples']
  .map((d) => join(root, d))
  .filter((d) => { try { return statSync(d).isDirectory(); } catch { return false; } })
  .flatMap((d) => findTests(d))
  .filter((f) => filters.length === 0 || filters.some((x) => relative(root, f).includes(x)))
  .sort();

const config = await loadConfig(root);
const embedded = config.DATABASE_URL ? undefined : await startEmbedded(join(root, 'data', 'test-pg'));
const serverUrl = config.DATABASE_URL ?? embedded!.url;
const runId = randomBytes(4).toString('hex');
const template = `mff_tpl_${runId}`;
const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
let code = 1;
try {
  await admin.unsafe(`create database ${template}`);
  const templateUrl = new URL(serverUrl);
  templateUrl.pathname = `/${template}`;
  const tpl = postgres(templateUrl.toString(), { max: 1, onnotice: () => {} });
  try {
    await ensureAppRole(config, tpl, templateUrl.toString());
    const { pluginMigrationSources } = await import('./support/plugins.ts');
    await migrate(tpl, [kernelMigrations(config), ...(await pluginMigrationSources(root))]);
    // pg-boss's schema too, so each cloned database starts with the job bus installed.
    const { installJobSchema } = await import('../core/jobs/schema.ts');
    await installJobSchema(tpl, templateUrl.toString(), log);
  } finally {
    await tpl.end();
  }
  console.log(`mff tests: ${files.length} file(s) against ${embedded ? 'embedded PostgreSQL' : 'DATABASE_URL'} (template ${template})`);
  code = await new Promise<number>((resolveCode) => {
    const child = spawn(process.execPath, ['--test', '--test-concurrency=2', '--test-timeout=300000', ...files], {
      stdio: 'inherit',
      env: { ...process.env, MFF_TEST_SERVER_URL: serverUrl, MFF_TEST_TEMPLATE: template, MFF_TEST_RUN: runId },
    });
    child.on('exit', (c, signal) => resolveCode(c ?? (signal ? 1 : 0)));
    // Ctrl-C / SIGTERM end the tests, then the cleanup below still drops the databases and stops Postgres.
    for (const s of ['SIGINT', 'SIGTERM'] as const) process.on(s, () => child.kill(s));
  });
} finally {
  const leftovers = await admin`select datname from pg_database where datname like ${`mff_%${runId}%`}`;
  for (const { datname } of leftovers) await admin.unsafe(`drop database if exists ${datname} with (force)`).catch(() => {});
  await admin.end();
  await embedded?.stop();
}
process.exit(code);
