// Statement import end to end over HTTP, as a user's browser or script does it: a 100,000-row CSV
// uploaded to POST /api/v1/import/imports (read, mapped, checked for duplicates: the preview),
// confirmed, and written by the import job through the ledger's service, in batches, until the job
// completes. Then the same file again: its preview finds 100,000 duplicates and the job adds none.
// A real kernel with the ledger and import plugins on the bench database, serving loopback HTTP.
import { serve } from '@hono/node-server';
import { resolve } from 'node:path';
import { createApp } from '../core/http/app.ts';
import { createKernel } from '../core/kernel.ts';
import { BIG_CSV_MAPPING, bigCsv } from '../plugins/import/test/big-csv.ts';
import { TestClient } from '../test/support/client.ts';
import { signUp } from '../test/support/users.ts';
import type { Bench } from './framework.ts';

const ROWS = 100_000;

export const importCsv100k: Bench = async ({ config, db }) => {
  const root = resolve(import.meta.dirname, '..');
  const plugins = ['ledger', 'import'].map((id) => ({ id, from: resolve(root, 'plugins', id), mode: 'in-process' as const }));
  const kernel = await createKernel({ ...config, plugins }, { databaseUrl: db.adminUrl, startJobs: true, poolSize: 6 });
  const server = serve({ fetch: createApp(kernel).fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((r) => server.once('listening', () => r()));
  try {
    const client = new TestClient(`http://127.0.0.1:${(server.address() as { port: number }).port}`);
    await signUp(client);
    await client.form('/households', { name: 'Bench', baseCurrency: 'EUR', timeZone: 'UTC' });
    await client.get('/');
    const householdId: string = (await client.api('GET', '/api/v1/me')).json().currentHousehold.id;
    const api = (method: string, path: string, body?: unknown) => client.api(method, path, body, { headers: { 'x-csrf-token': client.csrf } });
    const content = Buffer.from(bigCsv(ROWS)).toString('base64');

    const run = async () => {
      const t0 = performance.now();
      const up = await api('POST', '/api/v1/import/imports', { filename: 'bench.csv', content, csvMapping: BIG_CSV_MAPPING });
      if (up.status !== 201) throw new Error(`upload: ${up.status} ${up.text.slice(0, 300)}`);
      const t1 = performance.now();
      const confirmed = await api('POST', `/api/v1/import/imports/${up.json().id}/confirm`, {});
      if (confirmed.status !== 202) throw new Error(`confirm: ${confirmed.status} ${confirmed.text.slice(0, 300)}`);
      for (;;) {
        const s = await kernel.jobs.status(householdId, confirmed.json().jobId);
        if (s?.state === 'completed') break;
        if (s?.state === 'failed' || s?.state === 'cancelled') throw new Error(`import job ${s.state}: ${s.error}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      const t2 = performance.now();
      const result = (await api('GET', `/api/v1/import/imports/${up.json().id}`)).json().result;
      return { preview: (t1 - t0) / 1000, job: (t2 - t1) / 1000, total: (t2 - t0) / 1000, added: result.added as number };
    };

    const first = await run();
    if (first.added !== ROWS) throw new Error(`first import added ${first.added}`);
    const again = await run();
    if (again.added !== 0) throw new Error(`re-import added ${again.added}`);
    return [
      { metric: '100k-row CSV: upload → preview → confirm → job done', value: ROWS / first.total, unit: 'rows/s', better: 'higher', note: `${first.total.toFixed(1)} s over HTTP` },
      { metric: '100k-row CSV: upload and preview (parse, duplicate check)', value: first.preview, unit: 's', better: 'lower' },
      { metric: '100k-row CSV: import job (batches through ledger.sources)', value: ROWS / first.job, unit: 'rows/s', better: 'higher', note: `${first.job.toFixed(1)} s` },
      { metric: 'same file again: preview (100k duplicates) → job adds none', value: again.total, unit: 's', better: 'lower', note: `preview ${again.preview.toFixed(1)} s` },
    ];
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
    await kernel.stop();
  }
};
