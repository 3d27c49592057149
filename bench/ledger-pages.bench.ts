// The ledger's transactions page and API for a household holding 1,000,000 transactions, through
// the kernel's full HTTP stack (session auth, household binding, row-level security, layout):
// p50/p99 of the first page, of a deep page (a cursor far back), of a search (a filter that scans),
// and of the API list. Requests one after another from this process. Target: p50 under 50 ms.
import { serve } from '@hono/node-server';
import { resolve } from 'node:path';
import { createApp } from '../core/http/app.ts';
import { createKernel } from '../core/kernel.ts';
import { seedCategories } from '../plugins/ledger/service/category-seed.ts';
import { ledgerTx } from '../plugins/ledger/test/ledger-tx.ts';
import { TestClient } from '../test/support/client.ts';
import { signUp } from '../test/support/users.ts';
import type { Bench, BenchResult } from './framework.ts';

const ROWS = 1_000_000;
const SAMPLES = 200;

const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * q))];

export const ledgerPages: Bench = async ({ config, db }) => {
  const plugins = [{ id: 'ledger', from: resolve(import.meta.dirname, '../plugins/ledger'), mode: 'in-process' as const }];
  const k = await createKernel({ ...config, PORT: 0, HOST: '127.0.0.1', plugins }, { databaseUrl: db.adminUrl, startJobs: false, poolSize: 10 });
  const server = serve({ fetch: createApp(k).fetch, port: 0, hostname: '127.0.0.1' });
  try {
    const p = k.plugins.get('ledger');
    if (p?.status === 'needs-approval') await k.plugins.approve('ledger', null, p.requested);
    await new Promise<void>((r) => (server.listening ? r() : server.once('listening', () => r())));
    const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    const client = new TestClient(base);
    await signUp(client);
    await client.form('/households', { name: 'Bench household', baseCurrency: 'EUR', timeZone: 'UTC' });
    const householdId: string = (await client.api('GET', '/api/v1/me')).json().currentHousehold.id;
    await client.get('/');
    const made = await client.api('POST', '/api/v1/ledger/accounts', { name: 'Checking', type: 'depository', currency: 'EUR' }, { headers: { 'x-csrf-token': client.csrf } });
    if (made.status !== 201) throw new Error(`account: ${made.status} ${made.text}`);
    const accountId: string = made.json().id;
    // A million rows, ~3 years at ~900 a day; a few mention "rent" for the search.
    await k.db.withHousehold({ householdId }, (tx) => tx`
      insert into ledger.transactions (household_id, account_id, source, date, amount, currency, payee, description)
      select ${householdId}, ${accountId}, 'manual', date '2023-01-01' + (i / 900), -((i % 25000) + 1) / 100.0, 'EUR',
        case when i % 5000 = 0 then 'Monthly rent' else 'Store ' || (i % 400) end, 'CARD PURCHASE ' || i
      from generate_series(1, ${ROWS}) i`);
    await k.db.admin.unsafe('analyze ledger.transactions');
    await ledgerTx(db, householdId, (tx) => seedCategories(tx)); // the selects hold a real household's categories

    const headers = { cookie: [...client.cookies].map(([n, v]) => `${n}=${v}`).join('; '), accept: 'text/html' };
    const deep = (await client.api('GET', `/api/v1/ledger/transactions?limit=1&from=2024-06-01&to=2024-06-01`)).json().items[0];
    const deepCursor = Buffer.from(JSON.stringify([deep.date, deep.id])).toString('base64url');
    const measure = async (path: string, accept: string, check: (body: string) => boolean) => {
      const times: number[] = [];
      for (let i = 0; i < SAMPLES + 10; i++) {
        const started = performance.now();
        const res = await fetch(base + path, { headers: { ...headers, accept } });
        const body = await res.text();
        const ms = performance.now() - started;
        if (res.status !== 200 || !check(body)) throw new Error(`${path}: ${res.status} ${body.slice(0, 200)}`);
        if (i >= 10) times.push(ms); // the first ten warm up
      }
      return { p50: quantile(times, 0.5), p99: quantile(times, 0.99) };
    };
    const rows50 = (html: string) => (html.match(/<tr id="txn-/g) ?? []).length === 50;
    const cases: [string, string, string, (b: string) => boolean][] = [
      ['transactions page, first 50', '/p/ledger/transactions', 'text/html', rows50],
      ['transactions page, deep cursor', `/p/ledger/transactions?cursor=${deepCursor}`, 'text/html', rows50],
      ['transactions page, search "rent"', '/p/ledger/transactions?q=rent', 'text/html', (b) => b.includes('Monthly rent')],
      ['transactions API, first 50', '/api/v1/ledger/transactions', 'application/json', (b) => JSON.parse(b).items.length === 50],
      ['transactions API, deep cursor', `/api/v1/ledger/transactions?cursor=${deepCursor}`, 'application/json', (b) => JSON.parse(b).items.length === 50],
    ];
    const out: BenchResult[] = [];
    for (const [name, path, accept, check] of cases) {
      const r = await measure(path, accept, check);
      out.push({ metric: `${name} (1M rows): p50`, value: r.p50, unit: 'ms', better: 'lower', note: 'target < 50 ms; full HTTP stack, one request at a time' });
      out.push({ metric: `${name} (1M rows): p99`, value: r.p99, unit: 'ms', better: 'lower' });
    }
    return out;
  } finally {
    server.close();
    await k.stop();
  }
};
