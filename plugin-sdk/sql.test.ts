// The sql tag: values always become bound parameters; nested queries inline with renumbered
// placeholders; a query runs once, only when awaited.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createSql } from './sql.ts';
import type { Statement } from './types.ts';

function recorder() {
  const seen: Statement[] = [];
  const sql = createSql(async (stmt) => {
    seen.push(stmt);
    return [{ ok: true }];
  });
  return { sql, seen };
}

test('values are parameters, never text', async () => {
  const { sql, seen } = recorder();
  const evil = "'; drop table goals; --";
  await sql`select * from goals where name = ${evil} and saved > ${'10.50'}`;
  assert.deepEqual(seen, [{ text: 'select * from goals where name = $1 and saved > $2', params: [evil, '10.50'] }]);
});

test('nested queries are inlined with their parameters renumbered', async () => {
  const { sql, seen } = recorder();
  const filter = sql`currency = ${'USD'} and saved >= ${5}`;
  await sql`select 1 from goals where household_id = ${'h'} and ${filter} limit ${10}`;
  assert.deepEqual(seen, [{ text: 'select 1 from goals where household_id = $1 and currency = $2 and saved >= $3 limit $4', params: ['h', 'USD', 5, 10] }]);
});

test('a query runs only when awaited, and once however often it is awaited', async () => {
  const { sql, seen } = recorder();
  const q = sql`select ${1}`;
  assert.equal(seen.length, 0);
  await q;
  await q;
  assert.equal(seen.length, 1);
});

test('undefined is refused (null means NULL); bigint becomes text', () => {
  const { sql } = recorder();
  assert.throws(() => sql`select ${undefined}`, /value 1 is undefined/);
  assert.deepEqual(sql`select ${10n ** 20n}`.params, ['100000000000000000000']);
});
