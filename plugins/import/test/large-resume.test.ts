// A 100,000-row CSV imported as a job with progress reported through the kernel; re-importing it
// adds nothing; a job that crashes between batches resumes after the last committed batch and
// leaves exactly one copy of each row.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestKernel, TestSession } from '../../../plugin-sdk/testing.ts';
import { BIG_CSV_MAPPING, bigCsv } from './big-csv.ts';
import { importKernel, upload } from './support.ts';

const MAPPING = BIG_CSV_MAPPING;

const count = (t: TestKernel, s: TestSession) =>
  t.asHousehold(s.householdId, (tx) => tx`select count(*)::int as n, count(distinct external_id)::int as ids from ledger.transactions`).then((r) => r[0]);

describe('large imports and resuming', () => {
  let t: TestKernel;
  before(async () => { t = await importKernel(); });
  after(() => t?.close());

  it('100,000 rows: preview, job with kernel progress, every row written once; the same file again adds nothing', async () => {
    const s = await t.signUp();
    const csv = bigCsv(100_000);
    const up = await upload(s, { filename: 'big.csv', bytes: csv, csvMapping: MAPPING });
    assert.equal(up.status, 201, up.text.slice(0, 500));
    const imp = up.json();
    assert.deepEqual(imp.preview.totals, { rows: 100_000, toAdd: 100_000, duplicates: 0, failed: 0 });
    assert.deepEqual(imp.preview.accounts[0].add[0], { line: 2, date: '2022-01-01', amount: '-2000.00', currency: 'EUR', payee: 'Merchant 0', memo: 'Ref 0' });

    const confirmed = await s.api('POST', `/api/v1/import/imports/${imp.id}/confirm`, {});
    assert.equal(confirmed.status, 202);
    const jobId = confirmed.json().jobId;
    const seen: { done: number; total: number | null }[] = [];
    for (let i = 0; i < 1200; i++) {
      const job = (await s.api('GET', `/api/v1/jobs/${jobId}`)).json();
      if (job.progress) seen.push(job.progress);
      if (job.state === 'completed' || job.state === 'failed') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    await t.waitForJob(s.householdId, jobId);
    const job = (await s.api('GET', `/api/v1/jobs/${jobId}`)).json();
    assert.equal(job.state, 'completed');
    assert.deepEqual([job.progress.done, job.progress.total], [100_000, 100_000]);
    assert.ok(seen.every((p, i) => i === 0 || p.done >= seen[i - 1].done), 'progress only moves forward');
    const done = (await s.api('GET', `/api/v1/import/imports/${imp.id}`)).json();
    assert.equal(done.status, 'done');
    assert.deepEqual([done.result.added, done.result.duplicates, done.result.failed], [100_000, 0, 0]);
    assert.deepEqual(done.progress, { done: 100_000, total: 100_000 });
    assert.deepEqual(await count(t, s), { n: 100_000, ids: 100_000 });
    const [sum] = await t.asHousehold(s.householdId, (tx) => tx`select sum(amount)::text as total, min(date)::text as first, max(date)::text as last from ledger.transactions`);
    const expected = csv.trim().split('\n').slice(1).reduce((n, l) => n + BigInt(l.split(';')[1].replace(',', '')), 0n);
    assert.equal(sum.total.replace('.', ''), expected.toString());
    assert.deepEqual([sum.first, sum.last], ['2022-01-01', '2025-01-04']);

    const again = await upload(s, { filename: 'big.csv', bytes: csv, csvMapping: MAPPING });
    assert.deepEqual(again.json().preview.totals, { rows: 100_000, toAdd: 0, duplicates: 100_000, failed: 0 });
    const res = await s.api('POST', `/api/v1/import/imports/${again.json().id}/confirm`, {});
    await t.waitForJob(s.householdId, res.json().jobId);
    assert.equal((await s.api('GET', `/api/v1/import/imports/${again.json().id}`)).json().result.added, 0);
    assert.deepEqual(await count(t, s), { n: 100_000, ids: 100_000 });
  });

  it('a crash in the second of three batches: the retry resumes after the first and writes each row once', async () => {
    const s = await t.signUp();
    const csv = bigCsv(12_000);
    const up = await upload(s, { filename: 'crash.csv', bytes: csv, csvMapping: MAPPING });
    const imp = up.json();
    // Row 7,000 (line 7001) is in the second batch of 5,000: the first insert of it fails once.
    const admin = t.kernel.db.admin;
    await admin.unsafe(`create sequence if not exists public.import_crash_once`);
    await admin.unsafe(`create or replace function public.import_crash() returns trigger language plpgsql security definer as $$
      begin
        if new.payee = 'Merchant ${6999 % 397}' and new.notes is null and new.description = 'Ref 6999' then
          if nextval('public.import_crash_once') = 1 then raise exception 'simulated crash'; end if;
        end if;
        return new;
      end $$`);
    await admin.unsafe(`create trigger import_crash before insert on ledger.transactions for each row execute function public.import_crash()`);
    try {
      const confirmed = await s.api('POST', `/api/v1/import/imports/${imp.id}/confirm`, {});
      const jobId = confirmed.json().jobId;
      let failedSeen = false;
      for (let i = 0; i < 600; i++) {
        const cur = (await s.api('GET', `/api/v1/import/imports/${imp.id}`)).json();
        if (cur.status === 'failed') {
          failedSeen = true;
          assert.equal(cur.progress.done, 5000, 'the first batch was committed before the crash');
          assert.match(cur.error, /simulated crash/);
          assert.deepEqual(await count(t, s), { n: 5000, ids: 5000 });
        }
        if (cur.status === 'done') break;
        await new Promise((r) => setTimeout(r, 50));
      }
      assert.ok(failedSeen, 'the crash was observed');
      await t.waitForJob(s.householdId, jobId);
    } finally {
      await admin.unsafe(`drop trigger import_crash on ledger.transactions`);
    }
    const done = (await s.api('GET', `/api/v1/import/imports/${imp.id}`)).json();
    assert.equal(done.status, 'done');
    assert.equal(done.result.added, 12_000);
    assert.deepEqual(await count(t, s), { n: 12_000, ids: 12_000 });
  });

  it('a crash after the ledger committed but before the import recorded it: counted once, nothing written twice', async () => {
    const s = await t.signUp();
    const file = Buffer.from(bigCsv(30));
    const up = await upload(s, { filename: 'small.csv', bytes: file, csvMapping: MAPPING });
    const id = up.json().id;
    const res = await s.api('POST', `/api/v1/import/imports/${id}/confirm`, {});
    await t.waitForJob(s.householdId, res.json().jobId);
    // As if the job's process had died right after the ledger's commit (an hour ago): the import's
    // own counters are behind, and it still says running. A new run takes it over.
    await t.asHousehold(s.householdId, (tx) => tx`update import.imports set status = 'running', updated_at = now() - interval '1 hour', done = 0, result = '{"added": 0}', content = ${file}
      where id = ${id}`);
    await t.runJob('import', 'run', s.householdId, { importId: id });
    const done = (await s.api('GET', `/api/v1/import/imports/${id}`)).json();
    assert.deepEqual([done.status, done.result.added, done.progress.done], ['done', 30, 30]);
    assert.deepEqual(await count(t, s), { n: 30, ids: 30 });
  });
});
