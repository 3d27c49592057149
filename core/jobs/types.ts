// The job bus as plugins see it (through plugin-sdk/): declare a queue with a household-bound
// handler, schedule it, enqueue work for one household. pg-boss stays an implementation detail.
import type { z } from 'zod';
import type { Tx } from '../db/household-binding.ts';
import type { Logger } from '../log.ts';

export type JobProgress = { done: number; total?: number | null; message?: string | null };

/** What a handler gets for one job: everything already bound to the job's household. */
export type JobContext<T = unknown> = {
  jobId: string;
  queue: string;
  householdId: string;
  /** Who enqueued it, when a user did (null for schedules and system work). */
  userId: string | null;
  data: T;
  /** 1 for the first run, 2 for the first retry... */
  attempt: number;
  /** Retries left after this run: 0 means a failure now is final (the job will not run again). */
  retriesLeft: number;
  /** A transaction bound to this job's household; row-level security limits it to that household. */
  withHousehold<R>(fn: (tx: Tx) => Promise<R>): Promise<R>;
  /** Records progress (e.g. 40 of 120 transactions) that UIs read back with `status()`. */
  progress(p: JobProgress): Promise<void>;
  log: Logger;
  /** Aborted when the job expires (expireInSeconds) or the process stops. */
  signal: AbortSignal;
};

export type JobHandler<T = unknown> = (ctx: JobContext<T>) => Promise<unknown>;

export type QueueOptions<T = unknown> = {
  /** Retries after the first failure (default 3). */
  retryLimit?: number;
  /** Seconds before a retry (default 5). */
  retryDelay?: number;
  /** Double the delay on each retry, with jitter (default true). */
  retryBackoff?: boolean;
  /** Upper bound of the backed-off delay, in seconds (default 3600). */
  retryDelayMax?: number;
  /** A run taking longer fails (and is retried); default 900. */
  expireInSeconds?: number;
  /** How many of this queue's jobs one worker process runs at once (default 5). */
  concurrency?: number;
  /** Validates `data` at enqueue and again before the handler runs. */
  schema?: z.ZodType<T>;
};

export type EnqueueOptions = {
  /** Run no earlier than this date, or this many seconds from now. */
  startAfter?: Date | number;
  priority?: number;
  /** At most one queued (not yet started) job per key, per queue and household: a duplicate is dropped. */
  singletonKey?: string;
  /** Overrides the queue's retryLimit for this job. */
  retryLimit?: number;
  /** Enqueue inside this transaction: the job exists only if the transaction commits. */
  tx?: Tx;
};

export type JobState = 'created' | 'retry' | 'active' | 'completed' | 'cancelled' | 'failed';

export type JobStatus = {
  id: string;
  queue: string;
  state: JobState;
  attempts: number;
  progress: JobProgress | null;
  error: string | null;
  createdAt: Date;
  startedAt: Date | null;
  completedAt: Date | null;
};

/** A job as an instance admin sees it (any household). */
export type JobRecord = Omit<JobStatus, 'progress'> & { householdId: string | null; retryLimit: number };

export type JobBus = {
  /** Declares a queue and its handler (again: replaces them). Before start() it is remembered; after, applied at once. */
  declare<T>(queue: string, handler: JobHandler<T>, opts?: QueueOptions<T>): Promise<void>;
  /** Runs the queue's handler on a cron expression, once for every household. */
  schedule(queue: string, cron: string, data?: object, opts?: { tz?: string }): Promise<void>;
  unschedule(queue: string): Promise<void>;
  /** Enqueues a job for one household; returns its id, or null when `singletonKey` dropped it as a duplicate. */
  enqueue<T>(queue: string, job: { householdId: string; userId?: string | null; data: T }, opts?: EnqueueOptions): Promise<string | null>;
  /** A job's state and progress, only if it belongs to this household. */
  status(householdId: string, jobId: string): Promise<JobStatus | null>;
  /** Recent jobs of every household, newest first, for the instance admin. */
  list(filter: { state?: JobState; queue?: string; limit?: number }): Promise<JobRecord[]>;
  /** Puts a failed job back in its queue; false if there is no such failed job. */
  retry(jobId: string): Promise<boolean>;
  /** Installs pg-boss and starts it; with `work` also workers, schedules and maintenance. */
  start(opts?: { work?: boolean }): Promise<void>;
  stop(): Promise<void>;
  ready(): boolean;
  /** Whether this process runs workers (false for MFF_ROLE=web). */
  working(): boolean;
};
