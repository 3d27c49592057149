// The benchmark contract: every bench/*.bench.ts exports named measurements. The measurements of
// one file get a fresh clone of the migrated database (as the app role, like the running server),
// and each returns one or more results; bench/run.ts runs them in one process, prints a table and
// writes bench/results.json.
import type { Config } from '../core/config.ts';
import type { Database } from '../core/db/database.ts';
import type { Logger } from '../core/log.ts';

export type BenchResult = {
  metric: string;
  value: number;
  /** e.g. 'jobs/s', 'ms', 'x' (a ratio). */
  unit: string;
  /** Which way is better, for readers of results.json. */
  better?: 'higher' | 'lower';
  note?: string;
};

export type BenchContext = {
  config: Config;
  db: Database;
  log: Logger;
  /** Creates `n` households (bound inserts) and returns their ids. */
  households(n: number): Promise<string[]>;
  /** Runs `fn` `n` times one after another and returns the mean milliseconds per call. */
  timeEach(n: number, fn: (i: number) => Promise<unknown>): Promise<number>;
};

export type Bench = (ctx: BenchContext) => Promise<BenchResult | BenchResult[]>;

export async function timeEach(n: number, fn: (i: number) => Promise<unknown>): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < n; i++) await fn(i);
  return (performance.now() - started) / n;
}

export const round = (v: number, digits = 2) => Math.round(v * 10 ** digits) / 10 ** digits;
