// The pages, as a browser without JavaScript and with htmx uses them: upload (multipart), the CSV
// mapping step with its live preview, the preview, confirmation, progress polling and the result;
// and CSV encodings (UTF-16 with BOM, Windows-1252) read into the ledger intact.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestKernel, TestSession } from '../../../plugin-sdk/testing.ts';
import { fixture, importFile, importKernel, ledgerRows } from './support.ts';

describe('import pages', () => {
  let t: TestKernel;
  let s: TestSession;
  before(async () => {
    t = await importKernel();
    s = await t.signUp();
  });
  after(() => t?.close());

  const field = (html: string, name: string) => html.match(new RegExp(`<select name="${name}">[\\s\\S]*?<option value="([^"]*)" selected`))?.[1];

  it('upload → mapping with live preview → preview → confirm → progress → result, without JavaScript', async () => {
    const empty = await s.get('/p/import/');
    assert.equal(empty.status, 200);
    assert.match(empty.text, /No imports yet/);

    const body = new FormData();
    body.set('_csrf', s.client.csrf);
    body.set('file', new Blob([fixture('own/semicolon-decimal-comma.csv')]), 'konto.csv');
    const up = await s.client.request('POST', '/p/import/imports', { body });
    assert.equal(up.status, 303);
    const page = up.location!;
    assert.match(page, /^\/p\/import\/imports\/[0-9a-f-]{36}$/);

    const mapping = await s.get(page);
    assert.equal(mapping.status, 200);
    assert.match(mapping.text, /Which column holds what\?/);
    // Suggested: German headers, day-first dates, decimal comma; the preview reads the three rows.
    assert.equal(field(mapping.text, 'dateColumn'), '0');
    assert.equal(field(mapping.text, 'dateFormat'), 'DD.MM.YYYY');
    assert.equal(field(mapping.text, 'amountColumn'), '3');
    assert.equal(field(mapping.text, 'decimalSeparator'), ',');
    assert.match(mapping.text, /<td class="nowrap">2024-01-02<\/td><td class="amount negative">-1234.56<\/td><td>Stadtwerke<\/td>/);

    const fields = { dateColumn: '0', dateFormat: 'DD.MM.YYYY', amountMode: 'single', amountColumn: '3', payeeColumn: '1', memoColumn: '2', decimalSeparator: ',', sign: 'as-is', hasHeader: 'on', delimiter: 'auto', encoding: 'auto', skipLines: '' };
    // htmx: the live preview with a month-first date format cannot read 15.01.2024.
    const live = await s.htmx('POST', `${page}/csv-preview`, { ...fields, dateFormat: 'MM.DD.YYYY' });
    assert.equal(live.status, 200);
    assert.doesNotMatch(live.text, /<html/);
    assert.match(live.text, /date &#39;15\.01\.2024&#39; is not a valid date/);

    const mapped = await s.form(`${page}/mapping`, fields);
    assert.equal(mapped.status, 303);
    const preview = await s.get(page);
    assert.match(preview.text, /id="p-import-summary">\s*<strong>3<\/strong> transactions will be added,\s*<strong>0<\/strong> skipped/);
    assert.match(preview.text, /<option value="new" selected>A new account…<\/option>/);
    assert.match(preview.text, /name="newName-0" value="konto"/);

    const confirmed = await s.form(`${page}/confirm`, { 'target-0': 'new', 'newName-0': 'Girokonto', 'newType-0': 'depository', 'newCurrency-0': 'EUR' });
    assert.equal(confirmed.status, 303);
    const id = page.split('/').pop()!;
    const imp = (await s.api('GET', `/api/v1/import/imports/${id}`)).json();
    await t.waitForJob(s.householdId, imp.jobId);
    const result = await s.htmx('GET', `${page}/progress`);
    assert.doesNotMatch(result.text, /hx-trigger/);
    assert.match(result.text, /<strong>3<\/strong> transactions added, <strong>0<\/strong> skipped as duplicates/);
    assert.match(result.text, /Girokonto \(new account\): 3 added/);
    const rows = await ledgerRows(t, s);
    assert.deepEqual(rows.map((r) => [r.account, r.date, r.amount, r.payee, r.description]), [
      ['Girokonto', '2024-01-02', '-1234.56', 'Stadtwerke', 'Abschlag Januar'],
      ['Girokonto', '2024-01-15', '3100.00', 'Arbeitgeber GmbH', 'Gehalt'],
      ['Girokonto', '2024-01-31', '-4.5', 'Bäckerei', 'Brötchen'],
    ]);
    const list = await s.get('/p/import/');
    assert.match(list.text, /konto\.csv<\/a><\/td>\s*<td><time [^>]+>[^<]+<\/time><\/td>\s*<td>Done<\/td>\s*<td class="amount">3<\/td>/);
  });

  it('while the job runs, the progress fragment shows a bar and polls; the page shows it too', async () => {
    const { id } = await importFile(t, s, { filename: 'p.ofx', bytes: fixture('shared/ofxparse/checking.ofx') });
    await t.asHousehold(s.householdId, (tx) => tx`update import.imports set status = 'running', done = 40, total = 100 where id = ${id}`);
    const fragment = await s.htmx('GET', `/p/import/imports/${id}/progress`);
    assert.match(fragment.text, /hx-get="\/p\/import\/imports\/[0-9a-f-]+\/progress" hx-trigger="every 1s" hx-swap="outerHTML"/);
    assert.match(fragment.text, /<progress value="40" max="100"><\/progress>\s*<p>40 of 100 transactions written\.<\/p>/);
    const full = await s.get(`/p/import/imports/${id}`);
    assert.match(full.text, /<html/);
    assert.match(full.text, /id="p-import-progress"/);
  });

  it('CSV encodings: UTF-16 LE with BOM and Windows-1252 read with accents, pound and euro signs intact', async () => {
    const utf16 = await importFile(t, s, { filename: 'u.csv', bytes: fixture('own/utf16le-bom.csv'), csvMapping: { dateColumn: 'Date', dateFormat: 'YYYY-MM-DD', amountColumn: 'Amount', payeeColumn: 'Payee', memoColumn: 'Memo' } });
    const a = await ledgerRows(t, s, utf16.done.result.accounts[0].accountId);
    assert.deepEqual(a.map((r) => [r.date, r.amount, r.payee]), [['2024-03-01', '-4.50', 'Café Zoë'], ['2024-03-02', '1250.00', 'Salary €'], ['2024-03-05', '-19.99', 'Naïve Books']]);
    const cp1252 = await importFile(t, s, { filename: 'w.csv', bytes: fixture('own/windows-1252.csv'), csvMapping: { dateColumn: 'Date', dateFormat: 'DD/MM/YYYY', amountColumn: 'Amount', payeeColumn: 'Payee', encoding: 'windows-1252' } });
    const b = await ledgerRows(t, s, cp1252.done.result.accounts[0].accountId);
    assert.deepEqual(b.slice(0, 3).map((r) => [r.date, r.amount, r.payee]), [['2024-01-02', '-12.00', 'Café Rouge £'], ['2024-01-03', '-3.40', 'Brasserie Élysée'], ['2024-01-15', '-80.00', 'Euro € Shop Düsseldorf']]);
  });

  it('the import API is in the OpenAPI document, with its zod schemas', async () => {
    const doc = (await s.api('GET', '/api/v1/openapi.json')).json();
    const paths = Object.keys(doc.paths).filter((p) => p.startsWith('/api/v1/import/'));
    assert.deepEqual(paths.sort(), [
      '/api/v1/import/imports', '/api/v1/import/imports/{id}', '/api/v1/import/imports/{id}/confirm',
      '/api/v1/import/imports/{id}/csv', '/api/v1/import/imports/{id}/preview', '/api/v1/import/imports/{id}/retry',
    ]);
    const upload = doc.paths['/api/v1/import/imports'].post;
    assert.deepEqual(upload.requestBody.content['application/json'].schema.required, ['filename', 'content']);
    assert.ok(doc.paths['/api/v1/import/imports/{id}/confirm'].post.responses['202']);
  });
});
