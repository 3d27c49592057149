// `npm run bench [-- <name filter>]`: runs every measurement exported by bench/*.bench.ts (the
// embedded PostgreSQL under ./data/bench-pg unless DATABASE_URL is set), prints a table and writes
// bench/results.json. The database is migrated once; each bench file then runs in a process of its
// own (bench/run-file.ts) on a clone of it of its own, dropped and checkpointed when the file is
// done, so no figure depends on which benches ran before it (their millions of rows in the same
// tables, their autovacuum and checkpoints still running, their heap).
import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import os from 'node:os';
import postgres from 'postgres';
import { loadConfig } from '../core/config.ts';
import { ensureAppRole } from '../core/db/app-role.ts';
import { kernelMigrations } from '../core/db/database.ts';
import { startEmbedded } from '../core/db/embedded.ts';
import { migrate } from '../core/db/migrate.ts';
import { installJobSchema } from '../core/jobs/schema.ts';
import { createLogger, setLogLevel } from '../core/log.ts';
import { dropDatabase } from '../test/support/database.ts';
import { pluginMigrationSources } from '../test/support/plugins.ts';
import { benchesOf, type BenchResult } from './framework.ts';

const root = resolve(import.meta.dirname, '..');
process.env.MFF_DATA_DIR ??= join(root, 'data', 'bench');
setLogLevel('warn');
const log = createLogger({ bench: true });
const filters = process.argv.slice(2);

const config = await loadConfig(root);
const embedded = config.DATABASE_URL ? undefined : await startEmbedded(join(root, 'data', 'bench-pg'));
const serverUrl = config.DATABASE_URL ?? embedded!.url;
const name = `mff_bench_${randomBytes(4).toString('hex')}`;
const server = postgres(serverUrl, { max: 1, onnotice: () => {} });
const rows: (BenchResult & { bench: string })[] = [];
let failed = false;

try {
  await server.unsafe(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const admin = postgres(url.toString(), { max: 1, onnotice: () => {} });
  const sources = [kernelMigrations(config), ...(await pluginMigrationSources(root))];
  try {
    await ensureAppRole(config, admin, url.toString());
    await migrate(admin, sources);
    await installJobSchema(admin, url.toString(), log);
  } finally {
    await admin.end();
  }
  const [{ version }] = await server`select current_setting('server_version') as version`;
  const files = readdirSync(import.meta.dirname).filter((f) => f.endsWith('.bench.ts')).sort();
  for (const [i, file] of files.entries()) {
    if (!(await benchesOf(file, filters)).length) continue;
    const clone = `${name}_${i}`;
    await server.unsafe(`create database ${clone} template ${name}`);
    const cloneUrl = new URL(serverUrl);
    cloneUrl.pathname = `/${clone}`;
    const out = join(os.tmpdir(), `${clone}.json`);
    try {
      const code = await new Promise<number | null>((done) =>
        spawn(process.execPath, [join(import.meta.dirname, 'run-file.ts'), file, cloneUrl.toString(), out, ...filters], { stdio: 'inherit' })
          .on('exit', done));
      if (code !== 0) failed = true;
      if (existsSync(out)) rows.push(...(JSON.parse(readFileSync(out, 'utf8')) as typeof rows));
    } finally {
      rmSync(out, { force: true });
      await dropDatabase(server, clone);
      // The next file starts with nothing of this one's left to write out (a million-row load
      // leaves gigabytes of WAL, and the checkpoint would run during the next measurement).
      await server.unsafe('checkpoint');
    }
  }
  printTable(rows);
  const file = join(import.meta.dirname, 'results.json');
  writeFileSync(file, JSON.stringify({
    at: new Date().toISOString(),
    node: process.version,
    postgres: `${version} (${embedded ? 'embedded' : 'DATABASE_URL'})`,
    machine: `${os.cpus().length} cpu, ${Math.round(os.totalmem() / 2 ** 30)} GiB, load ${os.loadavg()[0].toFixed(1)} at the end`,
    results: rows,
  }, null, 2) + '\n');
  console.log(`\nwrote ${file}`);
} finally {
  await dropDatabase(server, name).catch(() => {});
  await server.end();
  await embedded?.stop();
}
process.exit(failed ? 1 : 0);

function printTable(results: typeof rows): void {
  const cells = results.map((r) => [r.bench, r.metric, String(r.value), r.unit, r.note ?? '']);
  const head = ['bench', 'metric', 'value', 'unit', 'note'];
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) => c.map((v, i) => (i === 2 ? v.padStart(widths[i]) : v.padEnd(widths[i]))).join('  ');
  console.log('\n' + line(head) + '\n' + widths.map((w) => '-'.repeat(w)).join('  '));
  for (const c of cells) console.log(line(c));
}
