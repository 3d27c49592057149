// The job bus: pg-boss in the instance's database, run as the unprivileged app role.
// Queues notify workers on insert (LISTEN/NOTIFY) and workers fetch in batches and keep fetching
// while batches come back full, so a burst of small jobs is never paced by the polling interval;
// polling stays as a slow backstop (and picks up retries, which send no notification).
import { randomUUID } from 'node:crypto';
import { PgBoss } from 'pg-boss';
import type { Database } from '../db/database.ts';
import type { Logger } from '../log.ts';
import { readProgress } from './progress.ts';
import { bossBase, installJobSchema } from './schema.ts';
import { findAnyJob, findJob, listJobs } from './store.ts';
import { txDatabase } from './tx-adapter.ts';
import type { JobBus, JobHandler, QueueOptions } from './types.ts';
import { createRunner, type HouseholdJobData } from './worker.ts';

export type * from './types.ts';

export type JobBusOptions = {
  /** Backstop poll while notifications work (default 10 s); retries wait at most this long extra. */
  backstopPollSeconds?: number;
  /** Connections of the worker pool (default 8; 3 when not working). */
  poolSize?: number;
};

const QUEUE_NAME = /^[a-z0-9][a-z0-9._\-/]{0,99}$/;
const DEFAULTS = { retryLimit: 3, retryDelay: 5, retryBackoff: true, retryDelayMax: 3600, expireInSeconds: 900, concurrency: 10 };

type Declared = { handler: JobHandler<any>; opts: QueueOptions<any> };

// Queues use pg-boss's 'short' policy: at most one queued job per singleton key. Every job gets a
// key scoped to its household, unique (random) unless the caller asks for deduplication.
const singletonKey = (householdId: string, key?: string) => `${householdId}:${key === undefined ? randomUUID() : `k:${key}`}`;

export function createJobBus(db: Database, log: Logger, options: JobBusOptions = {}): JobBus {
  const declared = new Map<string, Declared>();
  const schedules = new Map<string, { cron: string; data?: object; tz?: string }>();
  const workers = new Map<string, string>(); // queue → this process's pg-boss worker id
  let boss: PgBoss | undefined;
  let work = false;
  let started = false;
  let stopOwner: (() => Promise<void>) | undefined;
  const jobLog = log.child({ component: 'jobs' });
  const backstop = options.backstopPollSeconds ?? 10;

  const running = () => {
    if (!boss || !started) throw new Error('the job bus is not started');
    return boss;
  };

  async function fanOut(queue: string, data: unknown): Promise<number> {
    // The owner's read of household ids (see migrations/0002_jobs.sql); app-role SQL sees none.
    const rows = await db.admin`select id from kernel.households order by id`;
    for (let i = 0; i < rows.length; i += 1000) {
      const chunk = rows.slice(i, i + 1000).map((r) => ({
        data: { householdId: r.id as string, userId: null, data },
        singletonKey: singletonKey(r.id as string),
      }));
      await running().insert(queue, chunk);
    }
    return rows.length;
  }

  async function applyQueue(b: PgBoss, queue: string, d: Declared): Promise<void> {
    const o = { ...DEFAULTS, ...d.opts };
    const queueOpts = {
      retryLimit: o.retryLimit, retryDelay: o.retryDelay, retryBackoff: o.retryBackoff,
      expireInSeconds: o.expireInSeconds, notify: true,
    };
    // pg-boss takes a delay cap only with backoff on (null clears an old one).
    const cap = o.retryBackoff ? o.retryDelayMax : undefined;
    await b.createQueue(queue, { ...queueOpts, ...(cap ? { retryDelayMax: cap } : {}), policy: 'short' });
    await b.updateQueue(queue, { ...queueOpts, retryDelayMax: cap ?? null }); // createQueue keeps an existing queue's old options
    if (!work || workers.has(queue)) return;
    // Two fetch loops per queue so one slow batch does not stall the queue; each fetches half the
    // concurrency at once (at least 2, so a full batch triggers an immediate next fetch).
    const batchSize = Math.max(2, Math.ceil(o.concurrency / 2));
    workers.set(queue, await b.work(
      queue,
      {
        batchSize, localConcurrency: 2, perJobResults: true, burstWhenBatchFull: true, includeMetadata: true, // retry limit → retriesLeft
        pollingIntervalSeconds: Math.min(2, backstop), notifyPollingIntervalSeconds: backstop,
      },
      createRunner({ db, log: jobLog, fanOut }, queue, () => declared.get(queue)!),
    ));
  }

  return {
    async declare(queue, handler, opts = {}) {
      if (!QUEUE_NAME.test(queue)) throw new Error(`invalid queue name '${queue}': use a-z, 0-9 and . _ - /`);
      // Declaring again (a plugin restarted) replaces the handler and retry options in place; the
      // running worker keeps its concurrency.
      const d = { handler, opts };
      declared.set(queue, d);
      if (started) await applyQueue(boss!, queue, d);
    },

    async schedule(queue, cron, data, opts = {}) {
      if (!declared.has(queue)) throw new Error(`schedule: queue '${queue}' is not declared`);
      schedules.set(queue, { cron, data, tz: opts.tz });
      if (started) await boss!.schedule(queue, cron, { fanOut: true, data }, { tz: opts.tz ?? 'UTC' });
    },

    async unschedule(queue) {
      schedules.delete(queue);
      if (started) await boss!.unschedule(queue);
    },

    async enqueue(queue, job, opts = {}) {
      const d = declared.get(queue);
      if (!d) throw new Error(`enqueue: queue '${queue}' is not declared`);
      const data = d.opts.schema ? d.opts.schema.parse(job.data) : job.data;
      const payload: HouseholdJobData = { householdId: job.householdId, userId: job.userId ?? null, data };
      const startAfter = typeof opts.startAfter === 'number' ? opts.startAfter : opts.startAfter?.toISOString();
      return running().send(queue, payload, {
        singletonKey: singletonKey(job.householdId, opts.singletonKey),
        ...(startAfter !== undefined ? { startAfter } : {}),
        ...(opts.priority !== undefined ? { priority: opts.priority } : {}),
        ...(opts.retryLimit !== undefined ? { retryLimit: opts.retryLimit } : {}),
        ...(opts.tx ? { db: txDatabase(opts.tx) } : {}),
      });
    },

    async status(householdId, jobId) {
      const rec = await findJob(db.app, [...declared.keys()], householdId, jobId);
      if (!rec) return null;
      const progress = await db.withHousehold({ householdId }, (tx) => readProgress(tx, householdId, jobId));
      const { householdId: _h, retryLimit: _r, ...rest } = rec;
      return { ...rest, progress };
    },

    list: (filter) => listJobs(db.app, filter),

    async retry(jobId) {
      const rec = await findAnyJob(db.app, [...declared.keys()], jobId);
      if (!rec || rec.state !== 'failed') return false;
      const res = (await running().retry(rec.queue, jobId)) as { affected?: number };
      // A retried job sends no notification; wake this process's worker rather than wait for a poll.
      const worker = workers.get(rec.queue);
      if (worker) boss!.notifyWorker(worker);
      return (res.affected ?? 0) > 0;
    },

    async start(opts = {}) {
      if (started) return;
      work = opts.work ?? true;
      stopOwner = await installJobSchema(db.admin, db.adminUrl, jobLog);
      const b = new PgBoss({
        ...bossBase,
        connectionString: db.appUrl,
        max: options.poolSize ?? (work ? 8 : 3),
        migrate: false, // the owner migrated it (schema.ts); the app role may not run DDL
        reindex: false, // REINDEX needs ownership; the app role owns nothing by design
        supervise: work,
        schedule: work,
        registerInstance: work,
        useListenNotify: work,
      });
      b.on('error', (err) => jobLog.error('job bus error', { err }));
      b.on('warning', (w) => jobLog.warn('job bus warning', { warning: w.message }));
      try {
        await b.start();
        boss = b;
        for (const [queue, d] of declared) await applyQueue(b, queue, d);
        for (const [queue, s] of schedules) await b.schedule(queue, s.cron, { fanOut: true, data: s.data }, { tz: s.tz ?? 'UTC' });
      } catch (err) {
        boss = undefined;
        await b.stop({ graceful: false }).catch(() => {});
        await stopOwner?.();
        throw err;
      }
      started = true;
      jobLog.info('job bus started', { work, queues: declared.size });
    },

    async stop() {
      const b = boss;
      started = false;
      boss = undefined;
      workers.clear();
      // Graceful: running handlers get time to finish; anything still active is retried later.
      await b?.stop({ graceful: true, timeout: 10_000 });
      await stopOwner?.();
      stopOwner = undefined;
    },

    ready: () => started,
    working: () => started && work,
  };
}
