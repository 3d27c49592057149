// Rule order (stages, positions, move, reorder), the user's category surviving every rule, and
// apply-to-existing: the preview's count is exactly what the job changes, with progress recorded.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestKernel, pluginDir, type TestKernel, type TestSession } from '../../../plugin-sdk/testing.ts';
import { createRule, previewAndApply } from './helpers.ts';
import { insertTxn, readTxn, seedLedger, type Fixtures } from './ledger-fixtures.ts';

let t: TestKernel;
before(async () => {
  t = await createTestKernel({ plugins: [{ dir: pluginDir(import.meta.url, '../../ledger') }, { dir: pluginDir(import.meta.url) }] });
});
after(() => t?.close());

const tryOn = async (s: TestSession, transactionId: string) => {
  const res = await s.api('POST', '/api/v1/rules/test', { transactionId });
  assert.equal(res.status, 200, res.text);
  return res.json() as { fired: { id: string; name: string }[]; changes: { field: string; before: unknown; after: unknown }[] };
};
const categoryAfter = (r: Awaited<ReturnType<typeof tryOn>>) => r.changes.find((c) => c.field === 'categoryId')?.after;

describe('rule order', () => {
  let s: TestSession;
  let f: Fixtures;
  before(async () => {
    s = await t.signUp();
    f = await seedLedger(t, s.householdId);
  });

  test('within a stage rules run top to bottom, so the lower rule has the last word; moving it up changes the outcome', async () => {
    const txn = await insertTxn(t, s.householdId, { accountId: f.checking, payee: 'Corner Market' });
    const first = await createRule(s, { name: 'market → groceries', conditions: [{ field: 'payee', op: 'contains', value: 'market' }], actions: [{ type: 'set_category', categoryId: f.groceries }] });
    const second = await createRule(s, { name: 'corner → dining', conditions: [{ field: 'payee', op: 'contains', value: 'corner' }], actions: [{ type: 'set_category', categoryId: f.dining }] });
    let r = await tryOn(s, txn);
    assert.deepEqual(r.fired.map((x) => x.name), ['market → groceries', 'corner → dining']);
    assert.equal(categoryAfter(r), f.dining);

    const moved = await s.api('POST', `/api/v1/rules/${second.id}/move`, { direction: 'up' });
    assert.equal(moved.status, 200);
    assert.equal(moved.json().position, first.position);
    r = await tryOn(s, txn);
    assert.deepEqual(r.fired.map((x) => x.name), ['corner → dining', 'market → groceries']);
    assert.equal(categoryAfter(r), f.groceries);

    // Moving the top rule up again changes nothing.
    const again = await s.api('POST', `/api/v1/rules/${second.id}/move`, { direction: 'up' });
    assert.equal(again.json().position, first.position);

    // Setting the whole stage's order at once.
    const reordered = await s.api('POST', '/api/v1/rules/reorder', { stage: 'default', ids: [first.id, second.id] });
    assert.equal(reordered.status, 200, reordered.text);
    assert.deepEqual(reordered.json().rules.filter((x: { stage: string }) => x.stage === 'default').map((x: { id: string }) => x.id), [first.id, second.id]);
    assert.equal(categoryAfter(await tryOn(s, txn)), f.dining);
    const partial = await s.api('POST', '/api/v1/rules/reorder', { stage: 'default', ids: [first.id] });
    assert.equal(partial.status, 400);
    assert.match(partial.json().detail, /must list all its rules/);
  });

  test('stages run pre, default, post whatever the creation order; a payee renamed in pre is what later stages see', async () => {
    const txn = await insertTxn(t, s.householdId, { accountId: f.card, payee: 'AMZN Mktp US*2K4' });
    await createRule(s, { name: 'post: tag shopping', stage: 'post', conditions: [{ field: 'payee', op: 'equals', value: 'Amazon' }], actions: [{ type: 'add_tag', value: 'shopping' }] });
    await createRule(s, { name: 'pre: clean amazon', stage: 'pre', conditions: [{ field: 'payee', op: 'starts_with', value: 'amzn mktp' }], actions: [{ type: 'rename_payee', value: 'Amazon' }] });
    const r = await tryOn(s, txn);
    assert.deepEqual(r.fired.map((x) => x.name), ['pre: clean amazon', 'post: tag shopping']);
    const list = (await s.api('GET', '/api/v1/rules')).json().rules as { name: string; stage: string }[];
    assert.deepEqual(list.map((x) => x.stage), [...list.map((x) => x.stage)].sort((a, b) => ['pre', 'default', 'post'].indexOf(a) - ['pre', 'default', 'post'].indexOf(b)));
  });

  test('stop processing keeps later rules from running', async () => {
    const txn = await insertTxn(t, s.householdId, { accountId: f.checking, payee: 'Corner Market Express' });
    const stopper = await createRule(s, { name: 'express stops', stage: 'pre', conditions: [{ field: 'payee', op: 'contains', value: 'express' }], actions: [{ type: 'add_tag', value: 'express' }, { type: 'stop' }] });
    const r = await tryOn(s, txn);
    assert.deepEqual(r.fired.map((x) => x.id), [stopper.id]);
    assert.equal(categoryAfter(r), undefined);
  });

  test('disabled rules do not run', async () => {
    const txn = await insertTxn(t, s.householdId, { accountId: f.checking, payee: 'Disabled Diner' });
    const rule = await createRule(s, { conditions: [{ field: 'payee', op: 'contains', value: 'disabled diner' }], actions: [{ type: 'add_tag', value: 'x' }] });
    assert.equal((await tryOn(s, txn)).fired.some((x) => x.id === rule.id), true);
    const off = await s.api('PATCH', `/api/v1/rules/${rule.id}`, { enabled: false });
    assert.equal(off.status, 200);
    assert.equal(off.json().enabled, false);
    assert.equal((await tryOn(s, txn)).fired.some((x) => x.id === rule.id), false);
  });
});

describe('apply to existing transactions', () => {
  let s: TestSession;
  let f: Fixtures;
  const ids: { market: string[]; handSet: string[]; other: string[] } = { market: [], handSet: [], other: [] };

  before(async () => {
    s = await t.signUp();
    f = await seedLedger(t, s.householdId);
    // 130 market purchases, 20 of them categorized by hand as dining, and 100 others.
    const rows: string[] = [];
    for (let i = 0; i < 130; i++) rows.push(`('${f.checking}'::uuid, 'manual', date '2024-01-01' + ${i % 90}, -${10 + (i % 7)}.25, 'EUR', 'Super Market ${i}', ${i < 20 ? `'${f.dining}'::uuid, 'user'` : 'null, null'})`);
    for (let i = 0; i < 100; i++) rows.push(`('${f.card}'::uuid, 'manual', date '2024-02-01' + ${i % 60}, -${5 + (i % 3)}.00, 'EUR', 'Bus ticket ${i}', null::uuid, null)`);
    await t.asHousehold(s.householdId, async (tx) => {
      await tx.unsafe(`insert into ledger.transactions (account_id, source, date, amount, currency, payee, category_id, category_source, household_id)
        select v.*, kernel.current_household() from (values ${rows.join(',')}) as v`);
      const all = await tx`select id, payee, category_source from ledger.transactions order by payee`;
      for (const r of all) {
        if ((r.payee as string).startsWith('Super')) (r.category_source === 'user' ? ids.handSet : ids.market).push(r.id as string);
        else ids.other.push(r.id as string);
      }
    });
  });

  test('the preview counts and samples what would change; a category set by hand is not counted', async () => {
    await createRule(s, { name: 'markets', conditions: [{ field: 'payee', op: 'contains', value: 'market' }], actions: [{ type: 'set_category', categoryId: f.groceries }] });
    const res = await s.api('POST', '/api/v1/rules/preview', {});
    assert.equal(res.status, 200);
    const p = res.json();
    assert.equal(p.scanned, 230);
    assert.equal(p.matched, 110);
    assert.equal(p.sample.length, 20);
    assert.deepEqual(p.sample[0].rules, ['markets']);
    assert.deepEqual(p.sample[0].changes, [{ field: 'categoryId', before: null, after: f.groceries }]);
    // Nothing was written by the preview.
    assert.equal((await readTxn(t, s.householdId, ids.market[0])).category_id, null);
  });

  test('apply changes exactly as many transactions as the preview said, reports progress, and counts fires', async () => {
    await createRule(s, { name: 'bus tag', stage: 'post', conditions: [{ field: 'payee', op: 'starts_with', value: 'bus' }], actions: [{ type: 'add_tag', value: 'transit' }] });
    const { preview, run } = await previewAndApply(t, s);
    assert.equal(preview.matched, 210);
    assert.equal(run.status, 'done');
    assert.equal(run.previewed, 210);
    assert.equal(run.changed, preview.matched);
    assert.equal(run.total, 230);
    assert.equal(run.done, 230);
    assert.ok(run.finishedAt);
    // The kernel's job status carries the same progress.
    const job = (await s.api('GET', `/api/v1/jobs/${run.jobId}`)).json();
    assert.deepEqual(job.progress, { done: 230, total: 230, message: '210 changed' });
    const [counts] = await t.asHousehold(s.householdId, (tx) => tx`select
      count(*) filter (where category_id = ${f.groceries} and category_source = 'rule')::int as groceries,
      count(*) filter (where category_id = ${f.dining} and category_source = 'user')::int as hand,
      count(*) filter (where 'transit' = any(tags))::int as transit
      from ledger.transactions`);
    assert.deepEqual({ ...counts }, { groceries: 110, hand: 20, transit: 100 });
    const rules = (await s.api('GET', '/api/v1/rules')).json().rules as { name: string; firedCount: number; lastFiredAt: string | null }[];
    assert.equal(rules.find((r) => r.name === 'markets')!.firedCount, 110);
    assert.equal(rules.find((r) => r.name === 'bus tag')!.firedCount, 100);
    assert.ok(rules.every((r) => r.lastFiredAt));
    // Everything is applied: a new preview finds nothing, and applying again changes nothing.
    const second = await previewAndApply(t, s);
    assert.equal(second.preview.matched, 0);
    assert.equal(second.run.changed, 0);
  });

  test('one rule within a date range; the job walks many pages and still matches the preview', async () => {
    const rule = await createRule(s, { name: 'early markets', conditions: [{ field: 'payee', op: 'contains', value: 'market' }], actions: [{ type: 'add_tag', value: 'early' }] });
    const body = { ruleIds: [rule.id], from: '2024-01-01', to: '2024-01-31' };
    const preview = (await s.api('POST', '/api/v1/rules/preview', body)).json();
    // 130 market rows over 90 days, 31 days in January: rows 0-30, 90-120.
    assert.equal(preview.matched, 62);
    // The job with a page of 7 rows: the run recorded like POST /apply does, then the job.
    const [run] = await t.asHousehold(s.householdId, (tx) => tx`insert into rules.apply_runs (household_id, rule_ids, date_from, date_to, previewed)
      values (${s.householdId}, ${[rule.id]}::uuid[], '2024-01-01', '2024-01-31', ${preview.matched}) returning id`);
    await t.runJob('rules', 'apply', s.householdId, { runId: run.id, pageSize: 7 });
    const done = (await s.api('GET', `/api/v1/rules/runs/${run.id}`)).json();
    assert.equal(done.status, 'done');
    assert.equal(done.changed, 62);
    assert.equal(done.done, done.total);
    const [{ n }] = await t.asHousehold(s.householdId, (tx) => tx`select count(*)::int as n from ledger.transactions where 'early' = any(tags)`);
    assert.equal(n, 62);
    // Pages that divide the transactions exactly (230 = 10 × 23): the last, empty read ends the run
    // and every page is still counted.
    const expected = (await s.api('POST', '/api/v1/rules/preview', {})).json().matched;
    const [all] = await t.asHousehold(s.householdId, (tx) => tx`insert into rules.apply_runs (household_id) values (${s.householdId}) returning id`);
    await t.runJob('rules', 'apply', s.householdId, { runId: all.id, pageSize: 23 });
    const whole = (await s.api('GET', `/api/v1/rules/runs/${all.id}`)).json();
    assert.deepEqual([whole.status, whole.done, whole.total, whole.changed], ['done', 230, 230, expected]);
  });

  test('unknown rules are refused before anything runs', async () => {
    const res = await s.api('POST', '/api/v1/rules/apply', { ruleIds: ['00000000-0000-4000-8000-000000000001'] });
    assert.equal(res.status, 404);
    const bad = await s.api('POST', '/api/v1/rules/preview', { from: '2024-02-01', to: '2024-01-01' });
    assert.equal(bad.status, 400);
  });
});

describe('apply to existing: what the job writes arrives exactly', () => {
  test('payees, notes and tags with the characters an array literal escapes (quotes, commas, braces, backslashes, "NULL") are stored as the rules said', async () => {
    const s = await t.signUp();
    const f = await seedLedger(t, s.householdId);
    const awkward = 'a,b {c} "d" \\e';
    const plain = await insertTxn(t, s.householdId, { accountId: f.checking, payee: 'plain shop', tags: ['kept'] });
    const nulled = await insertTxn(t, s.householdId, { accountId: f.checking, payee: 'null shop' });
    const untouched = await insertTxn(t, s.householdId, { accountId: f.card, payee: 'elsewhere', notes: 'mine' });
    await createRule(s, { name: 'awkward', conditions: [{ field: 'payee', op: 'equals', value: 'plain shop' }],
      actions: [{ type: 'rename_payee', value: awkward }, { type: 'set_note', value: `it's "quoted", {braced}` }, { type: 'add_tag', value: 'x,y {z}' }] });
    await createRule(s, { name: 'null', conditions: [{ field: 'payee', op: 'equals', value: 'null shop' }],
      actions: [{ type: 'rename_payee', value: 'NULL' }, { type: 'add_tag', value: 'NULL' }, { type: 'set_category', categoryId: f.groceries }] });
    const { run } = await previewAndApply(t, s);
    assert.equal(run.changed, 2);
    assert.deepEqual(await readTxn(t, s.householdId, plain), {
      payee: awkward, notes: `it's "quoted", {braced}`, tags: ['kept', 'x,y {z}'], excluded: false, is_transfer: false, category_id: null, category_source: null,
    });
    assert.deepEqual(await readTxn(t, s.householdId, nulled), {
      payee: 'NULL', notes: null, tags: ['NULL'], excluded: false, is_transfer: false, category_id: f.groceries, category_source: 'rule',
    });
    assert.deepEqual(await readTxn(t, s.householdId, untouched), {
      payee: 'elsewhere', notes: 'mine', tags: [], excluded: false, is_transfer: false, category_id: null, category_source: null,
    });
  });
});
