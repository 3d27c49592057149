// Household isolation is enforced by PostgreSQL, not by the kernel's good behaviour.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import postgres from 'postgres';
import { resolve } from 'node:path';
import { loadConfig } from '../config.ts';
import { openDatabase, kernelMigrations, type Database } from './database.ts';
import { auditIsolation, IsolationError } from './rls-audit.ts';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.ts';

describe('household isolation in PostgreSQL', () => {
  let tdb: TestDatabase;
  let db: Database;
  const A = crypto.randomUUID();
  const B = crypto.randomUUID();
  let userId: string;

  before(async () => {
    tdb = await createTestDatabase();
    const config = await loadConfig(resolve(import.meta.dirname, '../..'));
    db = await openDatabase(config, { url: tdb.url, sources: [kernelMigrations(config)], migrate: false });
    [{ id: userId }] = await db.app`insert into kernel.users (email, name, password_hash) values ('a@example.com', 'A', 'x') returning id`;
    for (const [id, name] of [[A, 'Household A'], [B, 'Household B']]) {
      await db.withHousehold({ householdId: id }, async (tx) => {
        await tx`insert into kernel.households (id, name, base_currency, time_zone) values (${id}, ${name}, 'USD', 'UTC')`;
        await tx`insert into kernel.invites (household_id, token_hash, role, created_by, expires_at)
                 values (${id}, ${'hash-' + name}, 'member', ${userId}, now() + interval '1 day')`;
      });
    }
  });
  after(async () => {
    await db?.close();
    await tdb?.drop();
  });

  it('app role with no household bound sees zero household rows', async () => {
    const [{ n }] = await db.app`select count(*)::int as n from kernel.invites`;
    assert.equal(n, 0);
    const [{ h }] = await db.app`select count(*)::int as h from kernel.households`;
    assert.equal(h, 0);
  });

  it('with household A bound sees only A', async () => {
    const rows = await db.withHousehold({ householdId: A }, (tx) => tx`select household_id from kernel.invites`);
    assert.deepEqual(rows.map((r) => r.household_id), [A]);
  });

  it('cannot write into another household while bound to A', async () => {
    await assert.rejects(
      db.withHousehold({ householdId: A }, (tx) =>
        tx`insert into kernel.invites (household_id, token_hash, role, created_by, expires_at) values (${B}, 'x', 'member', ${userId}, now())`),
      /row-level security/,
    );
    const n = await db.withHousehold({ householdId: A }, (tx) => tx`update kernel.invites set role = 'viewer' where household_id = ${B}`);
    assert.equal(n.count, 0);
  });

  it('setting the household variable by hand does not widen access', async () => {
    const forged = await db.app.begin(async (tx) => {
      const [{ xid }] = await tx`select txid_current()::text as xid`;
      await tx`select set_config('mff.binding', ${`${B}..${xid}.${'0'.repeat(64)}`}, true)`;
      return tx`select count(*)::int as n from kernel.invites`;
    });
    assert.equal(forged[0].n, 0);
  });

  it('a valid binding replayed in another transaction is worthless', async () => {
    const captured = await db.withHousehold({ householdId: A }, async (tx) => {
      const [{ b }] = await tx`select current_setting('mff.binding') as b`;
      return b as string;
    });
    const rows = await db.app.begin(async (tx) => {
      await tx`select txid_current()`;
      await tx`select set_config('mff.binding', ${captured}, true)`;
      return tx`select count(*)::int as n from kernel.invites`;
    });
    assert.equal(rows[0].n, 0);
  });

  it('SET ROLE and RESET ROLE cannot lift the app role', async () => {
    for (const role of ['mff_owner', 'postgres']) {
      await assert.rejects(db.app.unsafe(`set role ${role}`), /permission denied/);
    }
    const rows = await db.app.begin(async (tx) => {
      await tx.unsafe('reset role');
      return tx`select current_user as u, count(*)::int as n from kernel.invites group by 1`;
    });
    assert.equal(rows.length, 0);
    const [{ u }] = await db.app`select current_user as u`;
    assert.equal(u, 'mff_app');
  });

  it('the app role cannot read the binding key', async () => {
    await assert.rejects(db.app`select key from kernel.binding_key`, /permission denied/);
  });

  it('the app role is not superuser, cannot bypass RLS and owns nothing', async () => {
    const [r] = await db.admin`
      select rolsuper, rolbypassrls, (select count(*)::int from pg_class where relowner = r.oid) as owned
      from pg_roles r where rolname = 'mff_app'`;
    assert.deepEqual({ ...r }, { rolsuper: false, rolbypassrls: false, owned: 0 });
  });

  it('start-up audit refuses a household table without forced RLS', async () => {
    await auditIsolation(db.admin);
    await db.admin.unsafe('create table public.leaky (household_id uuid, note text)');
    await assert.rejects(auditIsolation(db.admin), (err: Error) => err instanceof IsolationError && /public\.leaky/.test(err.message));
    await db.admin.unsafe('alter table public.leaky enable row level security');
    await assert.rejects(auditIsolation(db.admin), /public\.leaky/); // enabled but not forced
    await db.admin.unsafe('alter table public.leaky force row level security');
    await auditIsolation(db.admin);
    await db.admin.unsafe('drop table public.leaky');
  });
});
