// The benchmark contract: every bench/*.bench.ts exports named measurements. The measurements of
// one file run in a process of their own on a fresh clone of the migrated database (as the app role,
// like the running server), and each returns one or more results; bench/run.ts collects them,
// prints a table and writes bench/results.json.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
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

/** The measurements a bench file exports whose `<file>.<export>` name contains one of `filters` (all without filters). */
export async function benchesOf(file: string, filters: string[]): Promise<{ id: string; bench: Bench }[]> {
  const mod = (await import(pathToFileURL(join(import.meta.dirname, file)).href)) as Record<string, unknown>;
  return Object.entries(mod)
    .map(([exported, bench]) => ({ id: `${file.replace(/\.bench\.ts$/, '')}.${exported}`, bench: bench as Bench }))
    .filter(({ id, bench }) => typeof bench === 'function' && (!filters.length || filters.some((f) => id.includes(f))));
}
