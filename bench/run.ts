// `npm run bench [-- <name filter>]`: runs every measurement exported by bench/*.bench.ts in one
// process against a fresh database (the embedded PostgreSQL under ./data/bench-pg unless
// DATABASE_URL is set), prints a table and writes bench/results.json.
import { randomBytes } from 'node:crypto';
import { readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import os from 'node:os';
import postgres from 'postgres';
import { loadConfig } from '../core/config.ts';
import { ensureAppRole } from '../core/db/app-role.ts';
import { kernelMigrations, openDatabase } from '../core/db/database.ts';
import { startEmbedded } from '../core/db/embedded.ts';
import { migrate } from '../core/db/migrate.ts';
import { installJobSchema } from '../core/jobs/schema.ts';
import { createLogger, setLogLevel } from '../core/log.ts';
import { pluginMigrationSources } from '../test/support/plugins.ts';
import { round, timeEach, type Bench, type BenchContext, type BenchResult } from './framework.ts';

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
  const db = await openDatabase(config, { url: url.toString(), sources, migrate: false, poolSize: 10 });
  const ctx: BenchContext = {
    config,
    db,
    log,
    timeEach,
    async households(n) {
      const ids = Array.from({ length: n }, () => crypto.randomUUID());
      for (const id of ids) {
        await db.withHousehold({ householdId: id }, (tx) =>
          tx`insert into kernel.households (id, name, base_currency, time_zone) values (${id}, ${'Bench ' + id.slice(0, 8)}, 'EUR', 'UTC')`);
      }
      return ids;
    },
  };
  const [{ version }] = await db.admin`select current_setting('server_version') as version`;
  const files = readdirSync(import.meta.dirname).filter((f) => f.endsWith('.bench.ts')).sort();
  try {
    for (const file of files) {
      const mod = (await import(pathToFileURL(join(import.meta.dirname, file)).href)) as Record<string, Bench>;
      for (const [exported, bench] of Object.entries(mod)) {
        const id = `${file.replace(/\.bench\.ts$/, '')}.${exported}`;
        if (typeof bench !== 'function' || (filters.length && !filters.some((f) => id.includes(f)))) continue;
        process.stdout.write(`running ${id}...\n`);
        try {
          const out = await bench(ctx);
          for (const r of Array.isArray(out) ? out : [out]) rows.push({ bench: id, ...r, value: round(r.value) });
        } catch (err) {
          failed = true;
          console.error(`${id} failed: ${(err as Error).stack}`);
        }
      }
    }
  } finally {
    await db.close();
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
  await server.unsafe(`drop database if exists ${name} with (force)`).catch(() => {});
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
