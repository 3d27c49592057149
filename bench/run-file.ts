// One bench file's measurements, in a process of its own: bench/run.ts starts one per file, so no
// measurement runs in a heap, or beside timers and pools, left over by another file's.
// Usage: node bench/run-file.ts <file> <database url> <results json> [name filters...]
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadConfig } from '../core/config.ts';
import { kernelMigrations, openDatabase } from '../core/db/database.ts';
import { createLogger, setLogLevel } from '../core/log.ts';
import { pluginMigrationSources } from '../test/support/plugins.ts';
import { benchesOf, round, timeEach, type BenchContext, type BenchResult } from './framework.ts';

const root = resolve(import.meta.dirname, '..');
const [file, url, out, ...filters] = process.argv.slice(2);
process.env.MFF_DATA_DIR ??= join(root, 'data', 'bench');
setLogLevel('warn');
const log = createLogger({ bench: true });
const config = await loadConfig(root);
const sources = [kernelMigrations(config), ...(await pluginMigrationSources(root))];
const db = await openDatabase(config, { url, sources, migrate: false, poolSize: 10 });
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

const rows: (BenchResult & { bench: string })[] = [];
let failed = false;
try {
  for (const { id, bench } of await benchesOf(file, filters)) {
    process.stdout.write(`running ${id}...\n`);
    try {
      const result = await bench(ctx);
      for (const r of Array.isArray(result) ? result : [result]) rows.push({ bench: id, ...r, value: round(r.value) });
    } catch (err) {
      failed = true;
      console.error(`${id} failed: ${(err as Error).stack}`);
    }
  }
} finally {
  await db.close();
}
writeFileSync(out, JSON.stringify(rows));
process.exit(failed ? 1 : 0);
