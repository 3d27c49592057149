// A sandboxed plugin's trigger is its own code: it runs with its own runtime role's rights, whoever
// sets it off. Here visitor, granted writes on farewell.keepsakes, deletes a row there; farewell's
// trigger records the role it ran as (into a table visitor has no right to). Were it run with the
// writer's rights, farewell's code would act as visitor (and here fail for want of visitor's rights).
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { availableModes, createTestKernel, type TestKernel, type TestSession } from '../../../plugin-sdk/testing.ts';
import { createTestDatabase } from '../../../test/support/database.ts';
import { loadConfig, type Config } from '../../config.ts';
import { createKernel, type Kernel } from '../../kernel.ts';

const fixtures = join(import.meta.dirname, '../fixtures');
const sandboxed = (await availableModes()).includes('sandboxed');

describe('a sandboxed plugin\'s triggers run as that plugin', { skip: !sandboxed && 'no sandbox in this build' }, () => {
  let t: TestKernel;
  let s: TestSession;
  before(async () => {
    t = await createTestKernel({ plugins: [{ dir: join(fixtures, 'farewell'), mode: 'sandboxed' }, { dir: join(fixtures, 'visitor'), mode: 'sandboxed' }] });
    s = await t.signUp();
  });
  after(() => t?.close());

  test('another plugin\'s write sets off farewell\'s trigger, which runs as farewell\'s runtime role', async () => {
    await t.kernel.db.admin`delete from farewell.deleters`;
    const res = await s.form('/p/visitor/visit', {});
    assert.equal(res.status, 200, res.text.slice(0, 300));
    const roles = (await t.kernel.db.admin`select role from farewell.deleters`).map((r) => r.role as string);
    assert.equal(roles.length, 1, `one delete recorded: ${roles}`);
    assert.match(roles[0], /^mff_p_farewell_/);
  });

  test('the plugin\'s functions are its runtime role\'s, security definer, with a pinned search_path', async () => {
    const [f] = await t.kernel.db.admin`
      select pg_get_userbyid(p.proowner) as owner, p.prosecdef, p.proconfig from pg_proc p join pg_namespace n on n.oid = p.pronamespace
      where n.nspname = 'farewell' and p.proname = 'note_deleter'`;
    assert.match(f.owner, /^mff_p_farewell_/);
    assert.equal(f.prosecdef, true);
    assert.deepEqual(f.proconfig, ['search_path=farewell, pg_catalog']);
  });

  test('its own rows stay scoped to the household: its runtime role owns the functions, not the tables', async () => {
    const [r] = await t.kernel.db.admin`select pg_get_userbyid(c.relowner) as owner from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'farewell' and c.relname = 'keepsakes'`;
    assert.match(r.owner, /^mff_po_farewell_/, 'the tables stay the owner role\'s (row-level security binds the runtime role)');
  });
});

describe('a sandboxed plugin\'s functions across restarts', { skip: !sandboxed && 'no sandbox in this build' }, () => {
  test('a restart with nothing new starts as before; a new migration may replace a function, which then runs as the runtime role too', async () => {
    const root = resolve(import.meta.dirname, '../../..');
    const db = await createTestDatabase();
    // A copy of farewell that can be given a new migration (its SDK import made absolute).
    const dir = mkdtempSync(join(tmpdir(), 'mff-farewell-'));
    cpSync(join(fixtures, 'farewell'), dir, { recursive: true });
    const entry = join(dir, 'index.ts');
    writeFileSync(entry, readFileSync(entry, 'utf8').replace('../../../../plugin-sdk/index.ts', pathToFileURL(join(root, 'plugin-sdk/index.ts')).href));
    const boot = async (mode: 'sandboxed' | 'in-process' = 'sandboxed') => createKernel({ ...(await loadConfig(root)), PORT: 0, plugins: [{ id: 'farewell', from: dir, mode }] } as Config,
      { databaseUrl: db.url, startJobs: false, poolSize: 2 });
    const status = (k: Kernel) => `${k.plugins.get('farewell')!.status} ${k.plugins.get('farewell')!.error ?? ''}`.trim();
    const fn = async (k: Kernel) => (await k.db.admin`
      select pg_get_userbyid(p.proowner) as owner, p.prosecdef, p.prosrc from pg_proc p join pg_namespace n on n.oid = p.pronamespace
      where n.nspname = 'farewell' and p.proname = 'note_deleter'`)[0];
    let k: Kernel | undefined;
    try {
      k = await boot();
      await k.plugins.approve('farewell', null, k.plugins.get('farewell')!.requested);
      assert.equal(status(k), 'active');
      await k.stop();

      k = await boot(); // nothing new to migrate
      assert.equal(status(k), 'active');
      assert.match((await fn(k)).owner, /^mff_p_farewell_/);
      await k.stop();

      writeFileSync(join(dir, 'migrations/0003_louder.sql'), `create or replace function note_deleter() returns trigger language plpgsql as $$
        begin insert into farewell.deleters (role) values (current_user || '!'); return null; end $$;`);
      k = await boot();
      assert.equal(status(k), 'active');
      const replaced = await fn(k);
      assert.match(replaced.prosrc, /current_user \|\| '!'/);
      assert.match(replaced.owner, /^mff_p_farewell_/);
      assert.equal(replaced.prosecdef, true);
      await k.stop();

      // Back to in-process: its functions are the kernel owner's plain invokers again, like its tables.
      k = await boot('in-process');
      assert.equal(status(k), 'active');
      const adopted = await fn(k);
      assert.equal(adopted.owner, 'mff_owner');
      assert.equal(adopted.prosecdef, false);
    } finally {
      await k?.stop().catch(() => {});
      await db.drop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
