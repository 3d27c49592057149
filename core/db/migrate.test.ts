// Migrations on a fresh, empty database: concurrent runs apply each file exactly once, a failing
// file leaves nothing behind, and a file changed after it was applied stops start-up by name.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import postgres, { type Sql } from 'postgres';
import { loadConfig, type Config } from '../config.ts';
import { ensureAppRole } from './app-role.ts';
import { openDatabase } from './database.ts';
import { MigrationError, migrate, verifyMigrations, type MigrationSource } from './migrate.ts';

describe('migrations', () => {
  const server = process.env.MFF_TEST_SERVER_URL!;
  const name = `mff_m_${process.env.MFF_TEST_RUN}_${randomBytes(4).toString('hex')}`;
  const dir = mkdtempSync(join(tmpdir(), 'mff-migrations-'));
  const source: MigrationSource = { scope: 'sample', dir, schema: 'sample' };
  let url: string;
  let config: Config;
  let a: Sql;
  let b: Sql;

  before(async () => {
    const root = postgres(server, { max: 1, onnotice: () => {} });
    await root.unsafe(`create database ${name}`); // empty: not cloned from the migrated template
    await root.end();
    const u = new URL(server);
    u.pathname = `/${name}`;
    url = u.toString();
    config = await loadConfig(resolve(import.meta.dirname, '../..'));
    a = postgres(url, { max: 2, onnotice: () => {} });
    b = postgres(url, { max: 2, onnotice: () => {} });
    await ensureAppRole(config, a, url);
    writeFileSync(join(dir, '0001_ledger.sql'), 'create table entries (n int primary key);\ninsert into entries values (1);\n');
    // Slow enough that both runs are inside migrate() at the same time.
    writeFileSync(join(dir, '0002_slow.sql'), 'select pg_sleep(0.5);\ninsert into entries values (2);\n');
    writeFileSync(join(dir, '0003_more.sql'), 'insert into entries values (3);\n');
  });
  after(async () => {
    await a?.end();
    await b?.end();
    rmSync(dir, { recursive: true, force: true });
    const root = postgres(server, { max: 1, onnotice: () => {} });
    await root.unsafe(`drop database if exists ${name} with (force)`).finally(() => root.end());
  });

  it('two concurrent runs on a fresh database apply each file exactly once', async () => {
    const [ra, rb] = await Promise.all([migrate(a, [source]), migrate(b, [source])]);
    const all = [...ra, ...rb].sort();
    assert.deepEqual(all, ['sample/0001_ledger.sql', 'sample/0002_slow.sql', 'sample/0003_more.sql']);
    const rows = await a`select n from sample.entries order by n`;
    assert.deepEqual(rows.map((r) => r.n), [1, 2, 3]); // a second application would have hit the primary key
    const recorded = await a`select name from kernel.migrations where scope = 'sample' order by name`;
    assert.equal(recorded.length, 3);
    assert.deepEqual(await migrate(b, [source]), [], 'nothing left to apply');
    const [{ owner }] = await a`select pg_get_userbyid(relowner) as owner from pg_class where oid = 'sample.entries'::regclass`;
    assert.equal(owner, 'mff_owner', 'migrations run as the owner role');
  });

  it('a failing file is rolled back whole and named in the error', async () => {
    writeFileSync(join(dir, '0004_broken.sql'), 'create table half_done (x int);\ninsert into nowhere values (1);\n');
    await assert.rejects(migrate(a, [source]), (err: Error) => err instanceof MigrationError && /sample\/0004_broken\.sql/.test(err.message));
    const [{ t }] = await a`select to_regclass('sample.half_done') as t`;
    assert.equal(t, null);
    assert.equal((await a`select 1 from kernel.migrations where name = '0004_broken.sql'`).length, 0);
    rmSync(join(dir, '0004_broken.sql'));
  });

  it('a file changed after it was applied stops start-up, naming the file', async () => {
    writeFileSync(join(dir, '0002_slow.sql'), 'select pg_sleep(0.5);\ninsert into entries values (20);\n');
    const named = (err: Error) => err instanceof MigrationError && /sample\/0002_slow\.sql was changed after it was applied/.test(err.message);
    await assert.rejects(verifyMigrations(a, [source]), named);
    await assert.rejects(migrate(a, [source]), named);
    // Start-up (openDatabase) refuses, whether it would migrate or only verify.
    await assert.rejects(openDatabase(config, { url, sources: [source], migrate: true }), named);
    await assert.rejects(openDatabase(config, { url, sources: [source], migrate: false }), named);
    const rows = await a`select n from sample.entries order by n`;
    assert.deepEqual(rows.map((r) => r.n), [1, 2, 3], 'the changed file did not run');
  });
});
