// The sync process killed with SIGKILL at random points of a multi-page sync (while pages are being
// staged, or while they are written to the ledger), restarted each time, with the bank's history
// changing between some rounds (so a resumed pagination meets TRANSACTIONS_SYNC_MUTATION_DURING_
// PAGINATION) — and in the end the ledger holds exactly the bank's transactions: none twice, none
// missing, none stale. The sync runs in a child process (support/sync-child.ts) on this test's
// database; the fake Plaid runs here. Seed: MFF_KILL_SEED reproduces a run.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { differences } from './support/compare.ts';
import { connectBank, ledgerTransactions, startPlaidApp, type PlaidApp } from './support/app.ts';

const CHILD = resolve(import.meta.dirname, 'support/sync-child.ts');
const PAGE = 200;
const seed = Number(process.env.MFF_KILL_SEED ?? Date.now() % 100_000);
let state = seed;
const random = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);

type Child = { proc: ChildProcess; ready: Promise<void>; exited: Promise<number | null>; output: () => string };

function startChild(app: PlaidApp, itemId: string): Child {
  const proc = spawn(process.execPath, [CHILD, app.t.server.database.url, app.alice.householdId, itemId, 'in-process', String(PAGE)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, MFF_LOG_LEVEL: 'error' },
  });
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const ready = new Promise<void>((res, rej) => {
    proc.stdout!.on('data', () => out.includes('ready') && res());
    proc.once('exit', () => rej(new Error(`child exited before it was ready: ${out}`)));
  });
  const exited = new Promise<number | null>((res) => proc.once('exit', (code) => res(code)));
  return { proc, ready, exited, output: () => out };
}

describe('a sync killed at random points converges', () => {
  let app: PlaidApp;
  let itemId: string;

  before(async () => {
    // The test's own kernel runs no jobs: only the children sync.
    app = await startPlaidApp('in-process', { defaultHistory: { count: 6000, days: 365 } }, { jobs: false });
    itemId = await connectBank(app, 'ins_109508');
  });
  after(() => app?.close());

  const staged = async () => {
    const [row] = await app.t.asHousehold(app.alice.householdId, (tx) => tx`
      select (select count(*)::int from plaid.sync_pages) as pages, flushed_through,
             exists (select from plaid.sync_pages where not has_more) as complete
      from plaid.items where item_id = ${itemId}`);
    return row as { pages: number; flushed_through: number; complete: boolean };
  };

  test(`SIGKILL during staging and flushing, history changing meanwhile (seed ${seed})`, async (ctx) => {
    const item = app.fake.item(itemId);
    const kills: string[] = [];
    // Where each round's kill lands: while pages are being staged, once the stage is complete and
    // being written to the ledger (in batches; the first sync's 6,000 rows take two), or at a
    // random moment.
    const plan = ['staging', 'staging', 'staging', 'flush', 'flush', 'random'] as const;
    for (const [round, planned] of plan.entries()) {
      const before = await staged();
      // Every round has a multi-page sync ahead: a burst of history whenever the last one got through.
      if (before.pages === 0) bankMovesOn(1500);
      // A complete stage is only written now, so the kill can only land there.
      const kind = before.complete && planned === 'staging' ? 'flush' : planned;
      const child = startChild(app, itemId);
      await child.ready;
      let done = false;
      void child.exited.then(() => (done = true));
      const target = before.pages + 1 + Math.floor(random() * 3);
      // Flush kills land between two ledger batches (the first flush round, once the first batch is
      // recorded) or at a random moment of the writing.
      const betweenBatches = kind === 'flush' && before.flushed_through === 0 && !kills.some((k) => k.includes('(flush)'));
      const landed = async () => {
        if (kind === 'random') return true;
        const s = await staged();
        if (kind === 'staging') return s.pages >= target;
        return betweenBatches ? s.flushed_through > 0 : s.complete;
      };
      if (kind === 'random') await new Promise((r) => setTimeout(r, random() * 600));
      while (!done && !(await landed())) await new Promise((r) => setTimeout(r, 2));
      await new Promise((r) => setTimeout(r, random() * (kind === 'flush' && !betweenBatches ? 400 : 20)));
      const finishedFirst = done;
      child.proc.kill('SIGKILL');
      await child.exited;
      const at = await staged();
      kills.push(`round ${round} (${kind}): ${finishedFirst ? `finished first: ${child.output().slice(-600)}` : `killed; left ${at.pages} pages staged, ${at.flushed_through} flushed`}`);
      // Changes under a pagination in progress: the resumed run meets
      // TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION and starts again from the ledger's cursor.
      if (round === 1 && at.pages > 0 && !at.complete) bankMovesOn(2);
    }

    function bankMovesOn(added: number) {
      const present = item.transactions();
      const settled = present.filter((t) => !t.pending);
      const pick = () => String(settled.splice(Math.floor(random() * settled.length), 1)[0].transaction_id);
      for (let i = 0; i < 10; i++) {
        item.modify(pick(), { amount: Math.round(random() * 50_000) / 100 });
        item.remove(pick());
      }
      for (const p of present.filter((t) => t.pending).slice(0, 3)) item.postPending(String(p.transaction_id));
      item.addGenerated(added);
    }
    ctx.diagnostic(kills.join('\n'));
    assert.ok(kills.filter((k) => k.includes('killed')).length >= 4, `most rounds were killed mid-sync:\n${kills.join('\n')}`);
    assert.ok(kills.some((k) => /\(flush\): killed/.test(k)), `a kill landed while the stage was written:\n${kills.join('\n')}`);
    assert.ok(app.fake.requests.some((r) => r.errorCode === 'TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION'), 'a resumed pagination met the changed history');

    const last = startChild(app, itemId);
    const code = await last.exited;
    assert.equal(code, 0, `the final sync completes: ${last.output()}`);
    assert.match(last.output(), /done/);

    const ledger = await ledgerTransactions(app);
    assert.deepEqual(differences(item, ledger), [], `ledger differs from the bank after:\n${kills.join('\n')}`);
    assert.equal(ledger.size, item.transactions().length);
    assert.deepEqual(await staged(), { pages: 0, flushed_through: 0, complete: false });
  });
});
