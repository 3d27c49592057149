// A test kernel with the ledger and import plugins, and helpers to upload, confirm and wait.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createTestKernel, type TestKernel, type TestSession } from '../../../plugin-sdk/testing.ts';

const here = import.meta.dirname;
export const fixtures = resolve(here, '../test-fixtures');
export const fixture = (rel: string) => readFileSync(join(fixtures, rel));

export async function importKernel(): Promise<TestKernel> {
  return createTestKernel({
    plugins: [
      { dir: resolve(here, '../../ledger'), mode: 'in-process' },
      { dir: resolve(here, '..'), mode: 'in-process' },
    ],
  });
}

export type Upload = { filename: string; bytes: Uint8Array | string; accountId?: string; csvMapping?: Record<string, unknown>; encoding?: string };

export async function upload(s: TestSession, u: Upload) {
  const bytes = typeof u.bytes === 'string' ? Buffer.from(u.bytes) : Buffer.from(u.bytes);
  return s.api('POST', '/api/v1/import/imports', {
    filename: u.filename, content: bytes.toString('base64'),
    ...(u.accountId ? { accountId: u.accountId } : {}), ...(u.csvMapping ? { csvMapping: u.csvMapping } : {}),
    ...(u.encoding ? { encoding: u.encoding } : {}),
  });
}

/** Confirms and waits for the job; returns the finished import. */
export async function confirmAndWait(t: TestKernel, s: TestSession, id: string, body: object = {}) {
  const res = await s.api('POST', `/api/v1/import/imports/${id}/confirm`, body);
  if (res.status !== 202) throw new Error(`confirm: ${res.status} ${res.text}`);
  await t.waitForJob(s.householdId, res.json().jobId);
  const done = await s.api('GET', `/api/v1/import/imports/${id}`);
  return done.json();
}

/** Upload → preview → confirm → job done, asserting each step answered as expected. */
export async function importFile(t: TestKernel, s: TestSession, u: Upload, confirm: object = {}) {
  const res = await upload(s, u);
  if (res.status !== 201) throw new Error(`upload ${u.filename}: ${res.status} ${res.text}`);
  const imp = res.json();
  if (imp.status !== 'ready') throw new Error(`upload ${u.filename}: status ${imp.status} (${imp.error})`);
  return { preview: imp.preview, done: await confirmAndWait(t, s, imp.id, confirm), id: imp.id as string };
}

export async function ledgerRows(t: TestKernel, s: TestSession, accountId?: string) {
  return t.asHousehold(s.householdId, (tx) => tx`
    select t.date::text as date, t.amount::text as amount, t.payee, t.description, t.currency, t.external_id, t.source,
      a.name as account, a.id as account_id
    from ledger.transactions t join ledger.accounts a on a.id = t.account_id
    where ${accountId ? tx`a.id = ${accountId}` : tx`true`}
    order by t.date, t.amount, t.external_id`);
}

export async function createAccount(t: TestKernel, s: TestSession, name: string, currency = 'USD', type = 'depository'): Promise<string> {
  const [row] = await t.asHousehold(s.householdId, (tx) => tx`
    insert into ledger.accounts (household_id, name, type, currency, source) values (${s.householdId}, ${name}, ${type}, ${currency}, 'manual') returning id`);
  return row.id as string;
}

/** The mapping of the tests' plain CSVs: a header row `date,amount,payee`, ISO dates. */
export const PLAIN_CSV_MAPPING = { dateColumn: 'date', dateFormat: 'YYYY-MM-DD', amountColumn: 'amount', payeeColumn: 'payee', hasHeader: true };

/** How many imports (uploads kept) the household has. */
export async function importCount(t: TestKernel, s: TestSession): Promise<number> {
  const [r] = await t.asHousehold(s.householdId, (tx) => tx`select count(*)::int as n from import.imports`);
  return r.n as number;
}
