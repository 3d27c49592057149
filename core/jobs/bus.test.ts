// The job bus on a real database: household-bound handlers, bursts, retries with backoff, failures
// visible, progress, schedule fan-out and transactional enqueue, all as the unprivileged app role.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PgBoss } from 'pg-boss';
import { z } from 'zod';
import { createLogger } from '../log.ts';
import { createJobBus } from './bus.ts';
import { bossBase } from './schema.ts';
import { householdFixture, waitFor, type Fixture } from './test-helpers.ts';
import type { JobBus } from './types.ts';

describe('job bus', () => {
  let f: Fixture;
  let bus: JobBus;

  before(async () => {
    f = await householdFixture();
    bus = createJobBus(f.db, createLogger({ test: 'jobs' }), { backstopPollSeconds: 1 });
  });
  after(async () => {
    await bus?.stop();
    await f?.close();
  });

  it('refuses to enqueue before it is started, and bad queue names at once', async () => {
    await bus.declare('test.early', async () => {});
    await assert.rejects(bus.enqueue('test.early', { householdId: f.A, data: {} }), /not started/);
    await assert.rejects(bus.declare('Bad Name!', async () => {}), /invalid queue name/);
    await bus.start({ work: true });
    assert.equal(bus.ready(), true);
    await assert.rejects(bus.enqueue('test.undeclared', { householdId: f.A, data: {} }), /not declared/);
  });

  it('runs a burst of 200 small jobs to completion, each bound to its own household', async () => {
    const seen = new Map<string, string>();
    let done = 0;
    await bus.declare<{ n: number }>('test.burst', async (ctx) => {
      const [{ bound, invites }] = await ctx.withHousehold((tx) =>
        tx`select kernel.current_household() as bound, (select count(*)::int from kernel.households) as invites`);
      seen.set(ctx.jobId, `${ctx.householdId}=${bound}:${invites}`);
      done++;
    }, { concurrency: 20 });
    const ids = await Promise.all(
      Array.from({ length: 200 }, (_, n) => bus.enqueue('test.burst', { householdId: n % 2 ? f.A : f.B, data: { n } })),
    );
    assert.equal(new Set(ids).size, 200);
    await waitFor(() => done >= 200, '200 jobs');
    // Every handler saw exactly its own household bound, and through RLS only that one household.
    for (const id of ids) {
      assert.ok(id, 'every job was enqueued (null means a dropped duplicate)');
      const [h, rest] = seen.get(id)!.split('=');
      assert.equal(rest, `${h}:1`);
    }
    const completed = await waitFor(async () => {
      const jobs = await bus.list({ queue: 'test.burst', state: 'completed', limit: 500 });
      return jobs.length === 200 && jobs;
    }, 'completed states');
    assert.ok(completed.every((j) => j.attempts === 1 && j.error === null));
  });

  it('retries a failing job with backoff, then shows it failed with its error and attempts', async () => {
    const attempts: number[] = [];
    await bus.declare('test.fail', async (ctx) => {
      attempts.push(ctx.attempt);
      throw new Error(`bank timed out (run ${ctx.attempt})`);
    }, { retryLimit: 1, retryDelay: 1, retryBackoff: true });
    const id = await bus.enqueue('test.fail', { householdId: f.A, data: { account: 1 } });
    assert.ok(id);
    const failed = await waitFor(async () => (await bus.list({ state: 'failed', queue: 'test.fail' })).find((j) => j.id === id), 'failed job');
    assert.deepEqual(attempts, [1, 2]);
    assert.equal(failed.attempts, 2);
    assert.equal(failed.retryLimit, 1);
    assert.equal(failed.householdId, f.A);
    assert.equal(failed.error, 'bank timed out (run 2)');
    // The admin can put it back in the queue; it runs again.
    assert.equal(await bus.retry(id), true);
    await waitFor(() => attempts.length === 3, 'the retried run');
    assert.equal(await bus.retry(crypto.randomUUID()), false);
  });

  it('reports progress to the job’s household only', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    await bus.declare('test.progress', async (ctx) => {
      await ctx.progress({ done: 40, total: 120, message: 'importing transactions' });
      await gate;
      await ctx.progress({ done: 120, total: 120 });
    });
    const id = await bus.enqueue('test.progress', { householdId: f.A, data: {} });
    assert.ok(id);
    const running = await waitFor(async () => {
      const s = await bus.status(f.A, id);
      return s?.progress && s;
    }, 'progress');
    assert.equal(running.state, 'active');
    assert.deepEqual(running.progress, { done: 40, total: 120, message: 'importing transactions' });
    assert.equal(await bus.status(f.B, id), null, 'another household cannot see the job');
    // Even the raw table, read with household B bound, has no row of A's job.
    const rows = await f.db.withHousehold({ householdId: f.B }, (tx) => tx`select * from kernel.job_progress`);
    assert.equal(rows.length, 0);
    release();
    const finished = await waitFor(async () => {
      const s = await bus.status(f.A, id);
      return s?.state === 'completed' && s;
    }, 'completion');
    assert.deepEqual(finished.progress, { done: 120, total: 120, message: null });
  });

  it('validates job data with the declared schema at enqueue and gives handlers the parsed data', async () => {
    const got: unknown[] = [];
    await bus.declare('test.schema', async (ctx) => { got.push(ctx.data); }, { schema: z.object({ amount: z.string().regex(/^-?\d+\.\d{2}$/) }).strict() });
    await assert.rejects(bus.enqueue('test.schema', { householdId: f.A, data: { amount: 12.5 } as never }), /amount/);
    await bus.enqueue('test.schema', { householdId: f.A, data: { amount: '-12.50' } });
    await waitFor(() => got.length === 1, 'schema job');
    assert.deepEqual(got, [{ amount: '-12.50' }]);
  });

  it('declaring a queue again swaps its handler in place (a restarted plugin)', async () => {
    const ran: string[] = [];
    await bus.declare('test.redeclare', async () => { ran.push('old'); });
    await bus.enqueue('test.redeclare', { householdId: f.A, data: {} });
    await waitFor(() => ran.length === 1, 'first handler');
    await bus.declare('test.redeclare', async () => { ran.push('new'); }, { retryLimit: 0 });
    await bus.enqueue('test.redeclare', { householdId: f.A, data: {} });
    await waitFor(() => ran.length === 2, 'second handler');
    assert.deepEqual(ran, ['old', 'new']);
    const [q] = await f.db.admin`select retry_limit from pgboss.queue where name = 'test.redeclare'`;
    assert.equal(q.retry_limit, 0);
  });

  it('retry policy: backoff with its cap by default, a fixed delay (no cap) when backoff is off, either way on redeclare', async () => {
    const queue = async () => (await f.db.admin`select retry_delay, retry_backoff, retry_delay_max from pgboss.queue where name = 'test.policy'`)[0];
    await bus.declare('test.policy', async () => {}, { retryDelay: 30 });
    assert.deepEqual({ ...(await queue()) }, { retry_delay: 30, retry_backoff: true, retry_delay_max: 3600 });
    await bus.declare('test.policy', async () => {}, { retryDelay: 10, retryBackoff: false });
    assert.deepEqual({ ...(await queue()) }, { retry_delay: 10, retry_backoff: false, retry_delay_max: null });
    await bus.declare('test.policy', async () => {}, { retryDelay: 30, retryBackoff: true, retryDelayMax: 1800 });
    assert.deepEqual({ ...(await queue()) }, { retry_delay: 30, retry_backoff: true, retry_delay_max: 1800 });
  });

  it('drops a duplicate of a still-queued job with the same singleton key, per household', async () => {
    await bus.declare('test.dedupe', async () => {});
    const later = { startAfter: 3600, singletonKey: 'refresh-account-1' };
    const first = await bus.enqueue('test.dedupe', { householdId: f.A, data: {} }, later);
    assert.ok(first);
    assert.equal(await bus.enqueue('test.dedupe', { householdId: f.A, data: {} }, later), null);
    assert.ok(await bus.enqueue('test.dedupe', { householdId: f.B, data: {} }, later), 'another household has its own key');
    assert.ok(await bus.enqueue('test.dedupe', { householdId: f.A, data: {} }, { startAfter: 3600 }), 'no key, no deduplication');
    assert.equal((await bus.list({ queue: 'test.dedupe', state: 'created' })).length, 3);
  });

  it('enqueues inside a transaction: the job exists only if the transaction commits', async () => {
    const ran: string[] = [];
    await bus.declare('test.tx', async (ctx) => { ran.push((ctx.data as { tag: string }).tag); });
    await assert.rejects(
      f.db.withHousehold({ householdId: f.A }, async (tx) => {
        await bus.enqueue('test.tx', { householdId: f.A, data: { tag: 'rolled-back' } }, { tx });
        throw new Error('abort');
      }),
      /abort/,
    );
    const id = await f.db.withHousehold({ householdId: f.A }, (tx) => bus.enqueue('test.tx', { householdId: f.A, data: { tag: 'committed' } }, { tx }));
    assert.ok(id);
    await waitFor(() => ran.length === 1, 'committed job');
    assert.deepEqual(ran, ['committed']);
    assert.equal((await bus.status(f.A, id))?.queue, 'test.tx');
    assert.equal((await bus.list({ queue: 'test.tx' })).length, 1);
  });

  it('a schedule fires the handler once for every household', async () => {
    const runs: string[] = [];
    await bus.declare('test.nightly', async (ctx) => { runs.push(`${ctx.householdId}:${JSON.stringify(ctx.data)}`); });
    await bus.schedule('test.nightly', '0 3 * * *', { kind: 'refresh' }, { tz: 'Europe/Paris' });
    const [sched] = await f.db.admin`select cron, timezone, data from pgboss.schedule where name = 'test.nightly'`;
    assert.deepEqual({ ...sched }, { cron: '0 3 * * *', timezone: 'Europe/Paris', data: { fanOut: true, data: { kind: 'refresh' } } });
    // Fire it the way pg-boss's cron does: send the schedule's data to the queue.
    const cron = new PgBoss({ ...bossBase, connectionString: f.db.appUrl, migrate: false, supervise: false, schedule: false, registerInstance: false, max: 1 });
    await cron.start();
    try {
      await cron.send('test.nightly', sched.data);
    } finally {
      await cron.stop({ graceful: false });
    }
    await waitFor(() => runs.length === 2, 'one run per household');
    assert.deepEqual(runs.sort(), [f.A, f.B].sort().map((h) => `${h}:{"kind":"refresh"}`));
    await bus.unschedule('test.nightly');
    assert.equal((await f.db.admin`select 1 from pgboss.schedule where name = 'test.nightly'`).length, 0);
  });

  it('a web process (no workers) enqueues; a worker process runs the job', async () => {
    const web = createJobBus(f.db, createLogger({ test: 'web' }));
    let webRan = 0;
    const workerRan: string[] = [];
    await web.declare('test.split', async () => { webRan++; });
    await bus.declare('test.split', async (ctx) => { workerRan.push(ctx.householdId); });
    await web.start({ work: false });
    try {
      assert.equal(web.ready(), true);
      assert.equal(web.working(), false);
      await web.enqueue('test.split', { householdId: f.B, data: {} });
      await waitFor(() => workerRan.length === 1, 'the worker process runs it');
      assert.deepEqual(workerRan, [f.B]);
      assert.equal(webRan, 0);
    } finally {
      await web.stop();
    }
  });

  it('runs as the app role, which still owns nothing', async () => {
    const users = await f.db.admin`select distinct usename from pg_stat_activity
      where datname = current_database() and application_name = 'mff-jobs'`;
    assert.deepEqual(users.map((u) => u.usename), ['mff_app']);
    const [{ owned }] = await f.db.admin`select count(*)::int as owned from pg_class where relowner = 'mff_app'::regrole`;
    assert.equal(owned, 0);
    const [{ owner }] = await f.db.admin`select pg_get_userbyid(nspowner) as owner from pg_namespace where nspname = 'pgboss'`;
    assert.equal(owner, 'mff_owner');
  });

  it('stops cleanly and is no longer ready', async () => {
    await bus.stop();
    assert.equal(bus.ready(), false);
    await assert.rejects(bus.enqueue('test.burst', { householdId: f.A, data: { n: 0 } }), /not started/);
  });
});
