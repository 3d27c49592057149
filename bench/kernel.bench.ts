// Kernel costs: job bus throughput for bursts of small household jobs, and what binding a
// transaction to a household (signed binding, verified by RLS) adds over a plain transaction.
import { createJobBus } from '../core/jobs/bus.ts';
import type { Bench } from './framework.ts';

const JOBS = 2000;

/** N small jobs enqueued one by one (as request code does), each doing one bound query: all done. */
export const jobsThroughput: Bench = async ({ db, log, households }) => {
  const ids = await households(10);
  const bus = createJobBus(db, log);
  let done = 0;
  let allDone!: () => void;
  const finished = new Promise<void>((r) => (allDone = r));
  await bus.declare('bench.small', async (ctx) => {
    await ctx.withHousehold((tx) => tx`select 1`);
    if (++done === JOBS) allDone();
  }, { concurrency: 20 });
  await bus.start({ work: true });
  try {
    const started = performance.now();
    for (let i = 0; i < JOBS; i += 50) {
      await Promise.all(Array.from({ length: Math.min(50, JOBS - i) }, (_, j) =>
        bus.enqueue('bench.small', { householdId: ids[(i + j) % ids.length], data: { i: i + j } })));
    }
    const enqueued = performance.now();
    await finished;
    const total = (performance.now() - started) / 1000;
    return [
      { metric: `enqueue ${JOBS} jobs`, value: JOBS / ((enqueued - started) / 1000), unit: 'jobs/s', better: 'higher', note: '50 concurrent enqueues' },
      { metric: `${JOBS} jobs enqueued → all done`, value: JOBS / total, unit: 'jobs/s', better: 'higher', note: 'each runs a household-bound query' },
    ];
  } finally {
    await bus.stop();
  }
};

/** One household-bound transaction versus one plain transaction on the same pool, same query. */
export const withHouseholdOverhead: Bench = async ({ db, households, timeEach }) => {
  const [h] = await households(1);
  const plain = () => db.app.begin((tx) => tx`select count(*) from kernel.job_progress`);
  const bound = () => db.withHousehold({ householdId: h }, (tx) => tx`select count(*) from kernel.job_progress`);
  await timeEach(500, plain); // warm up the pool, the JIT and the plan cache
  await timeEach(500, bound);
  // Alternate blocks so background load on the machine hits both alike.
  let plainMs = 0;
  let boundMs = 0;
  for (let round = 0; round < 5; round++) {
    plainMs += await timeEach(400, plain);
    boundMs += await timeEach(400, bound);
  }
  return [
    { metric: 'plain transaction', value: plainMs / 5, unit: 'ms', better: 'lower', note: 'begin; count(*) on an RLS table; commit' },
    { metric: 'withHousehold transaction', value: boundMs / 5, unit: 'ms', better: 'lower', note: 'same, plus txid + signed binding' },
    { metric: 'withHousehold / plain', value: boundMs / plainMs, unit: 'x', better: 'lower' },
  ];
};
