// Retries with exponential backoff, through the real job bus: Plaid keeps answering 500s, then rate
// limits, to /transactions/sync; each failed run of the sync job is put back by pg-boss with a wait
// that doubles (30 s × 2^(n-1), jittered up to twice that, capped at 30 min), and the connections
// page says what went wrong in plain words. No waiting for real: after each failure the test moves
// the retry's start_after to now. Delays are read from pg-boss's own tables and bracketed by the
// database clock before the run and after the failure was seen, so machine speed cannot fail it.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SYNC_RETRIES } from '../sync/retry-policy.ts';
import { connectBank, itemRow, syncSettled, startPlaidApp, type PlaidApp } from './support/app.ts';

const mode = (process.env.MFF_TEST_PLUGIN_MODES?.split(',')[0] ?? 'sandboxed') as 'sandboxed' | 'in-process';
const QUEUE = 'plugin.plaid.sync';

type JobRow = { id: string; state: string; retry_count: number; retry_limit: number; retry_delay: number; retry_backoff: boolean; retry_delay_max: number | null; start_after: Date };

describe(`plaid sync retries back off (${mode})`, () => {
  let app: PlaidApp;
  let itemId: string;
  const sql = () => app.t.kernel.db.admin;
  const dbNow = async (): Promise<Date> => (await sql()`select clock_timestamp() as now`)[0].now;
  const jobs = async (): Promise<JobRow[]> => (await sql()`
    select id, state, retry_count, retry_limit, retry_delay, retry_backoff, retry_delay_max, start_after
    from pgboss.job where name = ${QUEUE} and state in ('created', 'retry', 'active')`) as unknown as JobRow[];

  /** Waits until the sync job sits in 'retry' after its `count`-th failure (pg-boss counts retries started: count - 1). */
  async function failedTimes(count: number): Promise<JobRow> {
    for (let i = 0; ; i++) {
      const [job] = await jobs();
      if (job?.state === 'retry' && job.retry_count === count - 1) return job;
      if (i > 2400) throw new Error(`the sync job did not fail ${count} time(s): ${JSON.stringify(job ?? null)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  before(async () => {
    app = await startPlaidApp(mode, { defaultHistory: { count: 40, days: 30 } });
    itemId = await connectBank(app, 'ins_109508');
    await syncSettled(app, itemId);
  });
  after(() => app?.close());

  test('consecutive failures (500, then rate limits) are retried after growing waits; the page says why in plain words', async () => {
    const item = app.fake.item(itemId);
    item.addGenerated(3);
    // Each run's requests are retried 4 times by the transport: the first run meets only 500s,
    // the later ones only rate limits.
    item.fail500(4, '/transactions/sync');
    item.rateLimit(1000, '/transactions/sync');

    // The queue carries the policy the plugin declared through the SDK.
    const [queue] = await sql()`select retry_limit, retry_delay, retry_backoff, retry_delay_max from pgboss.queue where name = ${QUEUE}`;
    assert.deepEqual({ ...queue }, { retry_limit: SYNC_RETRIES.retryLimit, retry_delay: SYNC_RETRIES.retryDelaySeconds, retry_backoff: true, retry_delay_max: SYNC_RETRIES.retryDelayMaxSeconds });

    let ranFrom = await dbNow();
    assert.equal((await app.alice.form(`/p/plaid/items/${itemId}/sync`, {})).status, 303, 'Sync now');
    const base = SYNC_RETRIES.retryDelaySeconds;
    const waits: { low: number; high: number }[] = [];
    for (let n = 1; n <= 3; n++) {
      const job = await failedTimes(n);
      const seenAt = await dbNow();
      assert.equal(job.retry_backoff, true);
      assert.equal(job.retry_delay, base);
      assert.equal(job.retry_delay_max, SYNC_RETRIES.retryDelayMaxSeconds);
      assert.equal(job.retry_limit, SYNC_RETRIES.retryLimit);
      // pg-boss set start_after = (moment of failure) + wait, and the failure happened between
      // ranFrom and seenAt: so the wait lies in [start_after - seenAt, start_after - ranFrom].
      const wait = { low: (job.start_after.getTime() - seenAt.getTime()) / 1000, high: (job.start_after.getTime() - ranFrom.getTime()) / 1000 };
      waits.push(wait);
      // Retry n waits base × 2^(n-1) × [1, 2): 30-60 s, then 60-120 s, then 120-240 s.
      assert.ok(wait.high >= base * 2 ** (n - 1), `retry ${n} waits at least ${base * 2 ** (n - 1)} s (at most ${wait.high.toFixed(1)} s)`);
      assert.ok(wait.low < base * 2 ** n, `retry ${n} waits less than ${base * 2 ** n} s (at least ${wait.low.toFixed(1)} s)`);

      const row = await itemRow(app, itemId);
      const expected = n === 1 ? 'INTERNAL_SERVER_ERROR' : 'TRANSACTIONS_SYNC_LIMIT';
      assert.equal(row.last_error_code, expected);
      assert.equal(row.sync_state, 'queued', 'shown as waiting for its retry');
      assert.equal(row.status, 'active', 'a temporary problem asks nothing of the household');
      const page = await app.alice.get('/p/plaid/');
      assert.match(page.text, n === 1
        ? /Last problem: Plaid had a temporary problem\. The sync will try again shortly\./
        : /Last problem: Plaid asked us to slow down\. The sync will try again shortly\./);
      assert.doesNotMatch(page.text, /TRANSACTIONS_SYNC_LIMIT|INTERNAL_SERVER_ERROR/, 'no error codes on the page');

      // Time passes: the retry is due now (after the third failure, Plaid has recovered meanwhile).
      if (n === 3) item.item.failures.clear();
      ranFrom = await dbNow();
      await sql()`update pgboss.job set start_after = now() where id = ${job.id} and state = 'retry'`;
    }
    // Retry n+1's wait starts where retry n's could end: they grow.
    for (let n = 1; n < waits.length; n++) assert.ok(waits[n].high >= base * 2 ** n && waits[n - 1].low < base * 2 ** n);

    // The next retry goes through and clears the problem.
    await syncSettled(app, itemId);
    const row = await itemRow(app, itemId);
    assert.equal(row.last_error_code, null);
    assert.doesNotMatch((await app.alice.get('/p/plaid/')).text, /Last problem/);
  });

  test('when the last retry fails too, the job ends and the page says the scheduled sync is the next try', async () => {
    const item = app.fake.item(itemId);
    item.addGenerated(2);
    item.fail500(1000, '/transactions/sync');
    assert.equal((await app.alice.form(`/p/plaid/items/${itemId}/sync`, {})).status, 303, 'Sync now');
    const job = await failedTimes(1);
    // Skip ahead to the last retry: pg-boss counts it when it claims the job.
    await sql()`update pgboss.job set retry_count = retry_limit - 1, start_after = now() where id = ${job.id} and state = 'retry'`;
    for (let i = 0; ; i++) {
      const [row] = await sql()`select state from pgboss.job where id = ${job.id}`;
      if (row?.state === 'failed') break;
      if (i > 2400) throw new Error(`the sync job did not end failed: ${row?.state}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const row = await itemRow(app, itemId);
    assert.equal(row.last_error_code, 'INTERNAL_SERVER_ERROR');
    assert.equal(row.sync_state, 'idle', 'no retry is due any more');
    const page = await app.alice.get('/p/plaid/');
    assert.match(page.text, /Last problem: Plaid had a temporary problem\. Its automatic retries ran out: the scheduled sync tries again within six hours, or use Sync now\./);
    assert.doesNotMatch(page.text, /will try again shortly/);
    item.item.failures.clear();
  });
});
