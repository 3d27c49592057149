// One budget per category (or group), currency and period: a second one would count the same
// spending twice. Refused with a 409 naming the budget to edit instead, on create and on update,
// through the API and the form; by migration 0003's unique index too, whose unique violation
// (a concurrent save) is the same 409. Overlapping but different periods, other currencies and other
// households are not duplicates. The migration keeps duplicates saved before it. And the form and
// the API say every field's problem at once, not one at a time.
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import postgres, { type Sql } from 'postgres';
import { migrate } from '../../../core/db/migrate.ts';
import { createTestKernel, pluginDir, type TestKernel, type TestSession } from '../../../plugin-sdk/testing.ts';
import type { TestResponse } from '../../../test/support/client.ts';
import { seedLedger, type Fixtures } from './ledger-fixtures.ts';

let t: TestKernel;
let root: Sql; // a superuser on the test database: sees every household
before(async () => {
  t = await createTestKernel({ plugins: [{ dir: pluginDir(import.meta.url, '../../ledger') }, { dir: pluginDir(import.meta.url) }] });
  root = postgres(t.server.database.url, { max: 2, onnotice: () => {} });
});
after(async () => {
  await root?.end();
  await t?.close();
});

type Body = Record<string, unknown>;
const DEC_2026 = { periodType: 'monthly', year: 2026, month: 12 };

async function create(s: TestSession, body: Body): Promise<string> {
  const res = await s.api('POST', '/api/v1/budgets', body);
  assert.equal(res.status, 201, res.text);
  return res.json().id;
}
const count = async (s: TestSession) => (await s.api('GET', '/api/v1/budgets')).json().budgets.length as number;

/** A 409 problem+json naming the existing budget's period and the way to edit it. */
function assertDuplicate(res: TestResponse, existingId: string, says: RegExp) {
  assert.equal(res.status, 409, res.text);
  assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/);
  const p = res.json();
  assert.equal(p.title, 'Conflict');
  assert.equal(p.status, 409);
  assert.match(p.detail, says);
  assert.ok(p.detail.includes(`PUT or PATCH /api/v1/budgets/${existingId}`), p.detail);
}

describe('the API refuses a second budget for the same category and period', () => {
  let s: TestSession;
  let f: Fixtures;
  before(async () => {
    s = await t.signUp();
    f = await seedLedger(t, s.householdId);
  });

  test('on create, for every period type, whatever else differs (amount, name, rollover); with the error shape of any other error', async () => {
    const cases: [Body, Body, RegExp][] = [
      [{ categoryId: f.groceries, ...DEC_2026 }, { name: 'Second', rollover: true },
        /^Groceries already has a monthly budget from December 2026 in EUR \(400\.00 EUR a period\): edit that budget instead/],
      [{ categoryId: f.food, ...DEC_2026 }, { amount: '1' }, /^The group Food and Drink already has a monthly budget from December 2026 in EUR/],
      [{ categoryId: f.groceries, periodType: 'quarterly', year: 2026, quarter: 4 }, {}, /already has a quarterly budget from Q4 2026 in EUR/],
      [{ categoryId: f.groceries, periodType: 'annual', year: 2026 }, {}, /already has an annual budget from 2026 in EUR/],
      [{ categoryId: f.groceries, periodType: 'custom', startDate: '2026-11-15', endDate: '2026-12-14' }, { currency: 'EUR' },
        /already has a custom budget for 2026-11-15 – 2026-12-14 in EUR/],
    ];
    for (const [period, other, says] of cases) {
      const id = await create(s, { amount: '400', ...period });
      const before = await count(s);
      const again = await s.api('POST', '/api/v1/budgets', { amount: '400', ...period, ...other });
      assertDuplicate(again, id, says);
      assert.equal(await count(s), before, `${JSON.stringify(period)}: nothing created`);
    }
    // The same body shape as the plugin's other errors (a 400 adds the field list).
    const named = await create(s, { categoryId: f.dining, amount: '80', name: 'Eating out', ...DEC_2026 });
    const dup = await s.api('POST', '/api/v1/budgets', { categoryId: f.dining, amount: '90', ...DEC_2026 });
    assertDuplicate(dup, named, /^Restaurants already has a monthly budget from December 2026 in EUR \("Eating out", 80\.00 EUR a period\)/);
    const bad = await s.api('POST', '/api/v1/budgets', { categoryId: f.dining, amount: 'x', ...DEC_2026 });
    assert.equal(bad.status, 400);
    assert.deepEqual(Object.keys(dup.json()).sort(), Object.keys(bad.json()).filter((k) => k !== 'errors').sort());
  });

  test('overlapping but different periods, the group beside its category, another currency: all allowed', async () => {
    const base = await create(s, { categoryId: f.fuel, amount: '100', ...DEC_2026 });
    for (const body of [
      { categoryId: f.fuel, amount: '100', periodType: 'monthly', year: 2026, month: 11 },
      { categoryId: f.fuel, amount: '100', periodType: 'monthly', year: 2027, month: 12 },
      { categoryId: f.fuel, amount: '1200', periodType: 'annual', year: 2026 },
      { categoryId: f.fuel, amount: '300', periodType: 'quarterly', year: 2026, quarter: 4 },
      { categoryId: f.fuel, amount: '100', periodType: 'custom', startDate: '2026-12-01', endDate: '2026-12-31' },
      { categoryId: f.fuel, amount: '100', periodType: 'custom', startDate: '2026-12-01', endDate: '2026-12-30' },
      { categoryId: f.transport, amount: '100', ...DEC_2026 },
      { categoryId: f.fuel, amount: '100', currency: 'USD', ...DEC_2026 }, // only USD transactions count for it
    ]) await create(s, body);
    // Custom spans are equal only when both ends are.
    assertDuplicate(await s.api('POST', '/api/v1/budgets', { categoryId: f.fuel, amount: '5', periodType: 'custom', startDate: '2026-12-01', endDate: '2026-12-31' }),
      (await s.api('GET', '/api/v1/budgets')).json().budgets.find((b: { periodType: string; endDate: string }) => b.periodType === 'custom' && b.endDate === '2026-12-31').id,
      /custom budget for 2026-12-01 – 2026-12-31/);
    assert.ok(base);
  });

  test('on update (PUT and PATCH) to equal another budget; a budget saved with its own period is no duplicate of itself', async () => {
    const a = await create(s, { categoryId: f.otherFood, amount: '50', periodType: 'monthly', year: 2025, month: 6 });
    const b = await create(s, { categoryId: f.otherFood, amount: '60', periodType: 'monthly', year: 2025, month: 7 });
    const put = await s.api('PUT', `/api/v1/budgets/${b}`, { categoryId: f.otherFood, amount: '60', periodType: 'monthly', year: 2025, month: 6 });
    assertDuplicate(put, a, /^Other Food and Drink already has a monthly budget from June 2025 in EUR/);
    assertDuplicate(await s.api('PATCH', `/api/v1/budgets/${b}`, { month: 6 }), a, /monthly budget from June 2025/);
    const still = (await s.api('GET', `/api/v1/budgets/${b}`)).json();
    assert.deepEqual([still.month, still.amount], [7, '60'], 'the refused update changed nothing');
    // Its own category and period: an ordinary edit.
    assert.equal((await s.api('PUT', `/api/v1/budgets/${a}`, { categoryId: f.otherFood, amount: '55', periodType: 'monthly', year: 2025, month: 6, name: 'Snacks' })).status, 200);
    assert.equal((await s.api('PATCH', `/api/v1/budgets/${a}`, { rollover: true })).status, 200);
    // Elsewhere, free: fine; and the freed period can be taken.
    assert.equal((await s.api('PATCH', `/api/v1/budgets/${a}`, { month: 5 })).status, 200);
    assert.equal((await s.api('PATCH', `/api/v1/budgets/${b}`, { month: 6 })).status, 200);
  });

  test('the database refuses a duplicate whatever writes it', async () => {
    await create(s, { categoryId: f.groceries, amount: '10', periodType: 'monthly', year: 2020, month: 1 });
    await assert.rejects(
      t.asHousehold(s.householdId, (tx) => tx`insert into budgets.budgets (category_id, amount, currency, period_type, year, month)
        values (${f.groceries}, 99, 'EUR', 'monthly', 2020, 1)`),
      /budgets_one_per_period/,
    );
    await create(s, { categoryId: f.groceries, amount: '10', periodType: 'custom', startDate: '2020-02-01', endDate: '2020-02-10' });
    await assert.rejects(
      t.asHousehold(s.householdId, (tx) => tx`insert into budgets.budgets (category_id, amount, currency, period_type, start_date, end_date)
        values (${f.groceries}, 99, 'EUR', 'custom', '2020-02-01', '2020-02-10')`),
      /budgets_one_per_period/,
    );
  });

  test('a concurrent save that loses to the unique index gets the same 409, naming the budget that won', async () => {
    const b = await create(s, { categoryId: f.groceries, amount: '10', periodType: 'annual', year: 2010 });
    const saves: [string, () => Promise<TestResponse>, Body][] = [
      ['create', () => s.api('POST', '/api/v1/budgets', { categoryId: f.groceries, amount: '5', periodType: 'annual', year: 2011 }), { year: 2011 }],
      ['update', () => s.api('PATCH', `/api/v1/budgets/${b}`, { year: 2012 }), { year: 2012 }],
    ];
    for (const [what, save, { year }] of saves) {
      // The winner's insert is not committed yet when the save checks for a duplicate (it sees none),
      // so the save's own write waits on the index, then fails once the winner commits.
      let answer!: Promise<TestResponse>;
      const winner = await t.asHousehold(s.householdId, async (tx) => {
        const [row] = await tx`insert into budgets.budgets (category_id, amount, currency, period_type, year)
          values (${f.groceries}, 7, 'EUR', 'annual', ${year as number}) returning id`;
        answer = save();
        for (let i = 0; ; i++) {
          const [{ waiting }] = await tx`select count(*)::int as waiting from pg_locks where not granted and locktype = 'transactionid' and transactionid = pg_current_xact_id()::xid`;
          if (waiting > 0) break;
          if (i > 400) throw new Error(`${what}: the save never waited on the uncommitted budget`);
          await new Promise((r) => setTimeout(r, 25));
        }
        return row.id as string;
      });
      assertDuplicate(await answer, winner, new RegExp(`^Groceries already has an annual budget from ${year} in EUR \\(7\\.00 EUR a period\\)`));
    }
    assert.equal((await s.api('GET', `/api/v1/budgets/${b}`)).json().year, 2010);
  });

  test('many identical creates at once: exactly one lands', async () => {
    const body = { categoryId: f.dining, amount: '20', periodType: 'quarterly', year: 2030, quarter: 1 };
    const answers = await Promise.all(Array.from({ length: 6 }, () => s.api('POST', '/api/v1/budgets', body)));
    const made = answers.filter((r) => r.status === 201);
    assert.equal(made.length, 1, answers.map((r) => r.status).join(','));
    for (const r of answers.filter((x) => x.status !== 201)) assertDuplicate(r, made[0].json().id, /quarterly budget from Q1 2030/);
  });
});

describe('households', () => {
  test("a household's budget never conflicts with another household's identical one", async () => {
    const alice = await t.signUp();
    const bob = await t.signUp();
    const fa = await seedLedger(t, alice.householdId);
    const fb = await seedLedger(t, bob.householdId);
    await create(alice, { categoryId: fa.groceries, amount: '100', ...DEC_2026 });
    await create(bob, { categoryId: fb.groceries, amount: '100', ...DEC_2026 });
    assert.equal((await bob.form('/p/budgets/new', { categoryId: fb.food, amount: '100', currency: 'EUR', periodType: 'monthly', year: '2026', month: '12' })).status, 303);
    assert.equal((await alice.form('/p/budgets/new', { categoryId: fa.food, amount: '100', currency: 'EUR', periodType: 'monthly', year: '2026', month: '12' })).status, 303);
    // The index leads with the household: even the same category id (no foreign key across plugins) in another household is no duplicate.
    await t.asHousehold(bob.householdId, (tx) => tx`insert into budgets.budgets (category_id, amount, currency, period_type, year, month)
      values (${fa.groceries}, 1, 'EUR', 'monthly', 2026, 12)`);
    // Nothing of the other household is named in a refusal.
    const dup = await bob.api('POST', '/api/v1/budgets', { categoryId: fb.groceries, amount: '1', ...DEC_2026 });
    assert.equal(dup.status, 409);
    const aliceIds = (await alice.api('GET', '/api/v1/budgets')).json().budgets.map((b: { id: string }) => b.id);
    for (const id of aliceIds) assert.ok(!dup.json().detail.includes(id));
  });
});

describe('the form', () => {
  let s: TestSession;
  let f: Fixtures;
  const fields = (o: Record<string, string>) => ({ categoryId: '', amount: '', currency: 'EUR', name: '', periodType: 'monthly', year: '', month: '', quarter: '', startDate: '', endDate: '', ...o });
  before(async () => {
    s = await t.signUp();
    f = await seedLedger(t, s.householdId);
  });

  test('refuses a duplicate on create and on edit: 409, the typed values kept, the existing period named with a link to edit it', async () => {
    const existing = await create(s, { categoryId: f.groceries, amount: '400', name: 'Weekly shop', ...DEC_2026 });
    const res = await s.form('/p/budgets/new', fields({ categoryId: f.groceries, amount: '123.45', name: 'My copy', year: '2026', month: '12', rollover: 'on' }));
    assert.equal(res.status, 409);
    const said = 'Groceries already has a monthly budget from December 2026 in EUR (&quot;Weekly shop&quot;, 400.00 EUR a period).';
    assert.ok(res.text.includes(`<p class="field-error" id="period-error">${said} <a href="/p/budgets/${existing}/edit" class="edit-instead">Edit that budget instead</a>, or choose another category or period.</p>`), res.text);
    assert.ok(res.text.includes(`<li>Period: ${said} <a href="/p/budgets/${existing}/edit"`), 'listed at the top too');
    assert.match(res.text, new RegExp(`<option value="${f.groceries}" selected>`));
    assert.match(res.text, /<input name="amount" inputmode="decimal" value="123.45" required>/);
    assert.match(res.text, /<input name="name" value="My copy"/);
    assert.match(res.text, /<option value="12" selected>December<\/option>/);
    assert.match(res.text, /<input type="checkbox" role="switch" name="rollover" checked>/);
    assert.equal((await s.api('GET', '/api/v1/budgets')).json().budgets.length, 1);

    const other = await create(s, { categoryId: f.groceries, amount: '50', periodType: 'annual', year: 2026 });
    const edit = await s.form(`/p/budgets/${other}/edit`, fields({ categoryId: f.groceries, amount: '50', year: '2026', month: '12' }));
    assert.equal(edit.status, 409);
    assert.ok(edit.text.includes(`href="/p/budgets/${existing}/edit" class="edit-instead"`));
    assert.match(edit.text, /<form method="post" action="\/p\/budgets\/[^"]+\/edit" id="budget-form">/);
    assert.equal((await s.api('GET', `/api/v1/budgets/${other}`)).json().periodType, 'annual');
    // Editing a budget with its own period saves.
    assert.equal((await s.form(`/p/budgets/${existing}/edit`, fields({ categoryId: f.groceries, amount: '450', year: '2026', month: '12' }))).status, 303);
  });

  test('says every field\'s problem at once, each at its field and all at the top, keeping what was typed', async () => {
    const long = 'n'.repeat(101);
    const res = await s.form('/p/budgets/new', fields({ categoryId: '', amount: 'abc', name: long, year: '20x6', month: '' }));
    assert.equal(res.status, 422);
    const expected: [string, string][] = [
      ['Category', 'must be a category id'], ['Amount', 'must be an amount like 250 or 99.50'], ['Name', 'must be at most 100 characters'],
      ['Year', 'must be a year such as 2026'], ['Month', 'month is required for a monthly budget'],
    ];
    const top = res.text.match(/<div class="notice error" role="alert" id="form-errors">[\s\S]*?<\/div>/)?.[0] ?? '';
    for (const [label, message] of expected) assert.ok(top.includes(`<li>${label}: ${message}</li>`), `${label} at the top: ${top}`);
    assert.equal((top.match(/<li>/g) ?? []).length, expected.length, 'one line per field');
    assert.match(res.text, /<select name="categoryId" required aria-invalid="true">[\s\S]*?<small class="field-error">Category: must be a category id<\/small>/);
    assert.match(res.text, /<input name="amount" inputmode="decimal" value="abc" required aria-invalid="true">\s*<small class="field-error">Amount must be an amount like 250 or 99.50<\/small>/);
    assert.match(res.text, new RegExp(`<input name="name" value="${long}" maxlength="100" aria-invalid="true">\\s*<small class="field-error">Name must be at most 100 characters</small>`));
    assert.match(res.text, /<input name="year" inputmode="numeric" value="20x6" aria-invalid="true">\s*<small class="field-error">must be a year such as 2026<\/small>/);
    assert.match(res.text, /<select name="month" aria-invalid="true">[\s\S]*?<\/select>\s*<small class="field-error">month is required for a monthly budget<\/small>/);

    // A custom span: a date that is no date and a missing one, both said.
    const custom = await s.form('/p/budgets/new', fields({ categoryId: f.groceries, amount: '10', periodType: 'custom', startDate: '2026-02-30', endDate: '', rollover: 'on' }));
    assert.equal(custom.status, 422);
    for (const m of ['<li>Start date: must be a date (YYYY-MM-DD)</li>', '<li>End date: endDate is required for a custom budget</li>', '<li>Rollover: rollover needs a recurring period (monthly, quarterly or annual)</li>']) {
      assert.ok(custom.text.includes(m), m);
    }
    assert.match(custom.text, /<input type="date" name="startDate" value="2026-02-30" aria-invalid="true">/);
  });

  test('the API answers every issue at once too', async () => {
    const res = await s.api('POST', '/api/v1/budgets', { categoryId: 'nope', amount: 12, periodType: 'monthly', year: '2026', quarter: 2 });
    assert.equal(res.status, 400);
    const p = res.json();
    assert.deepEqual(p.errors.map((e: { field: string }) => e.field).sort(), ['body.amount', 'body.categoryId', 'body.month', 'body.quarter', 'body.year']);
    const at = (field: string) => p.errors.find((e: { field: string }) => e.field === field)?.message;
    assert.equal(at('body.year'), 'must be a year such as 2026');
    assert.equal(at('body.month'), 'month is required for a monthly budget');
    assert.equal(at('body.quarter'), 'quarter does not apply to a monthly budget');
    for (const e of p.errors) assert.ok(p.detail.includes(`${e.field}: ${e.message}`), e.field);
    // "abc" is not an amount: said once, not also "must be more than zero".
    const amount = (await s.api('POST', '/api/v1/budgets', { categoryId: f.groceries, amount: 'abc', periodType: 'annual' })).json();
    assert.deepEqual(amount.errors, [{ field: 'body.amount', message: 'must be an amount like 250 or 99.50' }, { field: 'body.year', message: 'year is required for an annual budget' }]);
  });
});

describe('migration 0003 on a household that already has duplicates', () => {
  test('applies; keeps every budget and alert; marks all but the oldest of each duplicate and enforces the rest', async () => {
    const alice = await t.signUp();
    const bob = await t.signUp();
    const [ha, hb] = [alice.householdId, bob.householdId];
    const schema = `budgets_upgrade_${Date.now()}`;
    const dir = mkdtempSync(join(tmpdir(), 'mff-budgets-migrations-'));
    const migrations = join(pluginDir(import.meta.url), 'migrations');
    const all = readdirSync(migrations).filter((n) => /^\d{4}_.*\.sql$/.test(n)).sort();
    try {
      // The budgets tables as they were before 0003, in a schema of their own.
      const before = all.filter((n) => n < '0003');
      for (const n of before) copyFileSync(join(migrations, n), join(dir, n));
      const src = { scope: schema, dir, schema };
      assert.deepEqual(await migrate(root, [src]), before.map((n) => `${schema}/${n}`));

      const cat = crypto.randomUUID();
      const other = crypto.randomUUID();
      const rows: [string, string, string, string, number | null, number | null, string | null, string | null, string][] = [
        // household, category, amount, period_type, year, month, start, end, created_at
        [ha, cat, '100', 'monthly', 2026, 12, null, null, '2026-01-02'],
        [ha, cat, '200', 'monthly', 2026, 12, null, null, '2026-01-01'], // the oldest: kept
        [ha, cat, '300', 'monthly', 2026, 12, null, null, '2026-01-03'],
        [ha, cat, '100', 'monthly', 2026, 11, null, null, '2026-01-01'], // another month
        [ha, cat, '100', 'annual', 2026, null, null, null, '2026-01-01'],
        [ha, cat, '100', 'custom', null, null, '2026-01-01', '2026-01-31', '2026-01-05'],
        [ha, cat, '100', 'custom', null, null, '2026-01-01', '2026-01-31', '2026-01-04'], // the oldest: kept
        [ha, other, '100', 'monthly', 2026, 12, null, null, '2026-01-01'],
        [hb, cat, '100', 'monthly', 2026, 12, null, null, '2026-01-01'], // another household
      ];
      const ids: string[] = [];
      for (const [h, c, amount, type, year, month, start, end, at] of rows) {
        const [r] = await root.unsafe(`insert into ${schema}.budgets (household_id, category_id, amount, currency, period_type, year, month, start_date, end_date, created_at)
          values ($1, $2, $3, 'EUR', $4, $5, $6, $7, $8, $9) returning id`, [h, c, amount, type, year, month, start, end, at]);
        ids.push(r.id);
      }
      await root.unsafe(`insert into ${schema}.budget_alerts (household_id, budget_id, period_start, period_end, threshold, spent, available)
        values ($1, $2, '2026-12-01', '2026-12-31', 80, 250, 300)`, [ha, ids[2]]);

      copyFileSync(join(migrations, all[2]), join(dir, all[2]));
      assert.equal(all[2], '0003_one_budget_per_period.sql');
      assert.deepEqual(await migrate(root, [src]), [`${schema}/${all[2]}`], 'applies despite the duplicates');

      const after = await root.unsafe(`select id, legacy_duplicate from ${schema}.budgets`);
      assert.equal(after.length, rows.length, 'no budget deleted');
      const marked = new Map(after.map((r) => [r.id as string, r.legacy_duplicate as boolean]));
      assert.deepEqual(ids.map((id) => marked.get(id)), [true, false, true, false, false, true, false, false, false]);
      assert.equal((await root.unsafe(`select count(*)::int as n from ${schema}.budget_alerts`))[0].n, 1, 'alerts kept');
      const [{ forced }] = await root.unsafe(`select relforcerowsecurity as forced from pg_class where oid = '${schema}.budgets'::regclass`);
      assert.equal(forced, true, 'row-level security is forced again');
      await assert.rejects(
        root.unsafe(`insert into ${schema}.budgets (household_id, category_id, amount, currency, period_type, year, month) values ($1, $2, 5, 'EUR', 'monthly', 2026, 11)`, [ha, cat]),
        /budgets_one_per_period/,
      );
    } finally {
      await root.unsafe(`drop schema if exists ${schema} cascade`);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a budget the migration marked can still be edited in place; moved, it is checked like any other and loses the mark', async () => {
    const s = await t.signUp();
    const f = await seedLedger(t, s.householdId);
    const kept = await create(s, { categoryId: f.groceries, amount: '100', ...DEC_2026 });
    // What 0003 leaves behind: a newer copy, marked.
    const [{ id: copy }] = await root`insert into budgets.budgets (household_id, category_id, amount, currency, period_type, year, month, legacy_duplicate)
      values (${s.householdId}, ${f.groceries}, 300, 'EUR', 'monthly', 2026, 12, true) returning id`;
    const mark = async () => (await root`select legacy_duplicate from budgets.budgets where id = ${copy}`)[0].legacy_duplicate;

    // Both count the same spending, so the API and the page say which one repeats the other.
    assert.equal((await s.api('GET', `/api/v1/budgets/${copy}`)).json().duplicate, true);
    assert.equal((await s.api('GET', `/api/v1/budgets/${kept}`)).json().duplicate, false);
    const page = (await s.get('/p/budgets/?month=2026-12')).text;
    const card = (id: string) => page.match(new RegExp(`<article class="budget-card[^"]*" id="budget-${id}">[\\s\\S]*?</article>`))![0];
    assert.match(card(copy), new RegExp(`<a class="badge duplicate" href="/p/budgets/${copy}/edit" title="Another budget has the same category, currency and period`));
    assert.doesNotMatch(card(kept), /badge duplicate/);

    // A third is refused, naming the kept one.
    assertDuplicate(await s.api('POST', '/api/v1/budgets', { categoryId: f.groceries, amount: '1', ...DEC_2026 }), kept, /monthly budget from December 2026/);
    // Both can still be edited without moving.
    assert.equal((await s.api('PATCH', `/api/v1/budgets/${copy}`, { amount: '250', name: 'Old copy' })).status, 200);
    assert.equal((await s.api('PATCH', `/api/v1/budgets/${kept}`, { amount: '120' })).status, 200);
    assert.equal(await mark(), true);
    // Moved to a free period: an ordinary budget from then on; moving it back is refused.
    assert.equal((await s.api('PATCH', `/api/v1/budgets/${copy}`, { month: 1, year: 2027 })).status, 200);
    assert.equal(await mark(), false);
    assert.equal((await s.api('GET', `/api/v1/budgets/${copy}`)).json().duplicate, false);
    assertDuplicate(await s.api('PATCH', `/api/v1/budgets/${copy}`, { month: 12, year: 2026 }), kept, /monthly budget from December 2026/);
  });
});
