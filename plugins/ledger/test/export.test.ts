// Export as CSV from the transactions page: the page's filters, every matching row newest first,
// quoting that a spreadsheet reads back exactly, formula-looking text defused, and only the
// household's own rows.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestKernel, pluginDir, type TestKernel, type TestSession } from '../../../plugin-sdk/testing.ts';
import { transactionsCsv } from '../pages/export.ts';
import { ledgerTx } from './ledger-tx.ts';

const A = '/api/v1/ledger';
const P = '/p/ledger';

/** RFC 4180 fields back out of the CSV (quoted fields, doubled quotes, CRLF inside quotes). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (ch === '"') quoted = false; else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { row.push(field); field = ''; }
    else if (ch === '\r' && text[i + 1] === '\n') { row.push(field); rows.push(row); row = []; field = ''; i++; }
    else field += ch;
  }
  if (field || row.length) { row.push(field); rows.push(row); }
  return rows;
}

describe('transactions export (CSV)', () => {
  let t: TestKernel;
  let alice: TestSession;
  let checking: string;
  let card: string;

  before(async () => {
    t = await createTestKernel({ plugins: [{ dir: pluginDir(import.meta.url) }] });
    alice = await t.signUp({ household: { name: 'The Smiths & co', baseCurrency: 'USD' } });
    checking = (await alice.api('POST', `${A}/accounts`, { name: 'Checking, main', type: 'depository', currency: 'USD' })).json().id;
    card = (await alice.api('POST', `${A}/accounts`, { name: 'Visa', type: 'credit', currency: 'USD' })).json().id;
    const add = async (body: object) => assert.equal((await alice.api('POST', `${A}/transactions`, body)).status, 201);
    await add({ accountId: checking, date: '2026-03-01', amount: '-12.50', payee: 'Bakery "Le Pain", Paris', notes: 'croissants\nand coffee', tags: ['food', 'trip'] });
    await add({ accountId: checking, date: '2026-03-03', amount: '2500.00', payee: 'Acme Payroll' });
    await add({ accountId: card, date: '2026-03-02', amount: '-40.00', payee: '=HYPERLINK("http://evil.example","click")', description: '+1 555 0100' });
    const bob = await t.signUp();
    const bobs = (await bob.api('POST', `${A}/accounts`, { name: 'Bob only', type: 'depository', currency: 'USD' })).json().id;
    await bob.api('POST', `${A}/transactions`, { accountId: bobs, date: '2026-03-02', amount: '-1.00', payee: 'Bob private' });
  });
  after(() => t?.close());

  test('every transaction, newest first, fields as entered (commas, quotes, line breaks), as a download', async () => {
    const res = await alice.get(`${P}/transactions.csv`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/csv; charset=utf-8/);
    assert.equal(res.headers.get('content-disposition'), 'attachment; filename="transactions-the-smiths-co.csv"');
    // A byte-order mark first (Excel then reads UTF-8); fetch's text() drops it, so read the bytes.
    const raw = await fetch(`${t.baseUrl}${P}/transactions.csv`, { headers: { cookie: alice.client.cookieHeader() } });
    assert.deepEqual([...new Uint8Array(await raw.arrayBuffer()).slice(0, 8)], [0xef, 0xbb, 0xbf, ...Buffer.from('Date,')]);
    const [header, ...rows] = parseCsv(res.text);
    assert.deepEqual(header, ['Date', 'Account', 'Payee', 'Description', 'Notes', 'Category', 'Amount', 'Currency', 'Pending', 'Tags', 'Excluded', 'Transfer', 'Id']);
    assert.deepEqual(rows.map((r) => [r[0], r[1], r[2], r[6]]), [
      ['2026-03-03', 'Checking, main', 'Acme Payroll', '2500.00'],
      ['2026-03-02', 'Visa', `'=HYPERLINK("http://evil.example","click")`, '-40.00'],
      ['2026-03-01', 'Checking, main', 'Bakery "Le Pain", Paris', '-12.50'],
    ]);
    const bakery = rows[2];
    assert.equal(bakery[4], 'croissants\nand coffee');
    assert.equal(bakery[9], 'food, trip');
    assert.deepEqual([bakery[7], bakery[8], bakery[10], bakery[11]], ['USD', 'no', 'no', 'no']);
    assert.equal(rows[1][3], "'+1 555 0100", 'text that a spreadsheet would run as a formula starts with an apostrophe');
    assert.doesNotMatch(res.text, /Bob/, 'only the household\'s own rows');
  });

  test('the page\'s filters apply, and the page links to the export with them', async () => {
    const rows = parseCsv((await alice.get(`${P}/transactions.csv?accountId=${checking}&maxAmount=0`)).text).slice(1);
    assert.deepEqual(rows.map((r) => r[2]), ['Bakery "Le Pain", Paris']);
    const searched = parseCsv((await alice.get(`${P}/transactions.csv?q=payroll`)).text).slice(1);
    assert.deepEqual(searched.map((r) => r[2]), ['Acme Payroll']);
    const page = (await alice.get(`${P}/transactions?q=payroll&accountId=${checking}`)).text;
    assert.match(page, new RegExp(`<a href="/p/ledger/transactions.csv\\?q=payroll&amp;accountId=${checking}" download>Export these as CSV</a>`));
    assert.match((await alice.get(`${P}/transactions`)).text, /<a href="\/p\/ledger\/transactions.csv" download>Export as CSV<\/a>/);
    assert.equal((await alice.get(`${P}/transactions.csv?minAmount=abc`)).status, 400, 'a bad filter is refused, as on the page');
  });

  test('more rows than a file holds is refused with what to do, not cut short', async () => {
    const ctx = { db: { tx: (fn: never) => ledgerTx(t.kernel.db, alice.householdId, fn) } } as never;
    await assert.rejects(transactionsCsv(ctx, new URLSearchParams(), 2), (err: Error & { status?: number }) =>
      err.status === 422 && /^More than 2 transactions match: narrow the dates/.test(err.message));
    const all = await transactionsCsv(ctx, new URLSearchParams(), 3);
    assert.equal(all.trim().split('\r\n').length, 4, 'header and the three rows');
  });
});
