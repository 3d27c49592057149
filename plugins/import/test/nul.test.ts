// U+0000 in a statement (padding in some bank exports) is removed after decoding, with a warning
// naming its line; PostgreSQL text and jsonb cannot hold it, so kept it would fail the import.
// UTF-16 files, whose bytes are half zeros before decoding, still import intact.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestKernel, TestSession } from '../../../plugin-sdk/testing.ts';
import { ofxLine, ofxStatement } from './ofx-text.ts';
import { confirmAndWait, fixture, importFile, importKernel, ledgerRows, upload } from './support.ts';

const CSV_MAPPING = { dateColumn: 'date', dateFormat: 'YYYY-MM-DD', amountColumn: 'amount', payeeColumn: 'payee', memoColumn: 'memo', idColumn: 'id', hasHeader: true };

describe('NUL characters in statements', () => {
  let t: TestKernel;
  let s: TestSession;
  before(async () => {
    t = await importKernel();
    s = await t.signUp();
  });
  after(() => t?.close());

  const payees = async (accountId: string) => (await ledgerRows(t, s, accountId)).map((r) => [r.date, r.amount, r.payee, r.description, r.external_id]);

  it('CSV: NULs inside fields and padding the file are removed; a warning names the first line', async () => {
    const csv = 'date,amount,payee,memo,id\n2024-01-05,-3.00,Sh\u0000op,no\u0000te,A\u00001\n2024-01-06,-4.00\u0000\u0000,Cafe\u0000\u0000\u0000,,B2\n' + '\u0000'.repeat(64);
    const up = await upload(s, { filename: 'nul.csv', bytes: csv, csvMapping: CSV_MAPPING });
    assert.equal(up.status, 201, up.text);
    const imp = up.json();
    assert.deepEqual(imp.preview.totals, { rows: 2, toAdd: 2, duplicates: 0, failed: 0 });
    assert.deepEqual(imp.preview.warnings, [{ line: 2, reason: 'the file contains 72 NUL characters (U+0000), the first on this line; they were removed' }]);
    const done = await confirmAndWait(t, s, imp.id);
    assert.equal(done.status, 'done', done.error);
    assert.deepEqual(await payees(done.result.accounts[0].accountId), [
      ['2024-01-05', '-3.00', 'Shop', 'note', 'A1'],
      ['2024-01-06', '-4.00', 'Cafe', null, 'B2'],
    ]);
  });

  it('CSV mapping step: the sampled header and rows come without NULs', async () => {
    const up = await upload(s, { filename: 'm.csv', bytes: 'date,amount,pay\u0000ee\n2024-01-05,-3.00,Sh\u0000op\n' });
    assert.equal(up.status, 201, up.text);
    const step = await s.api('POST', `/api/v1/import/imports/${up.json().id}/csv`, {});
    assert.equal(step.status, 200, step.text);
    assert.deepEqual([step.json().headers, step.json().sampleRows], [['date', 'amount', 'payee'], [['2024-01-05', '-3.00', 'Shop']]]);
  });

  it('OFX and QIF: NULs in names and ids are removed', async () => {
    const ofx = ofxStatement([{ posted: '20240105', amount: '-3.00', fitId: 'F\u00001', name: 'Sh\u0000op' }]) + '\u0000\u0000';
    const o = await importFile(t, s, { filename: 'nul.ofx', bytes: ofx });
    assert.deepEqual(o.preview.warnings.map((w: any) => w.line), [ofxLine(0)]);
    assert.deepEqual(await payees(o.done.result.accounts[0].accountId), [['2024-01-05', '-3.00', 'Shop', null, 'F1']]);

    const q = await importFile(t, s, { filename: 'nul.qif', bytes: '!Type:Bank\nD01/05/2024\nT-3.00\nPSh\u0000op\n^\n\u0000' });
    assert.deepEqual(q.preview.warnings.filter((w: any) => /NUL/.test(w.reason)).map((w: any) => w.line), [4]);
    assert.deepEqual((await payees(q.done.result.accounts[0].accountId)).map((r) => r[2]), ['Shop']);
  });

  it('UTF-16 files still import: with a BOM, without one, and with a U+0000 of their own', async () => {
    const mapping = { dateColumn: 0, dateFormat: 'YYYY-MM-DD', amountColumn: 1, payeeColumn: 2, hasHeader: true };
    const le = await importFile(t, s, { filename: 'le.csv', bytes: fixture('own/utf16le-bom.csv'), csvMapping: mapping });
    assert.equal(le.done.status, 'done', le.done.error);
    assert.ok(le.done.result.added > 0);
    assert.deepEqual(le.preview.warnings, []);
    const text = 'date,amount,payee\n2024-01-05,-3.00,Caf\u00e9\u0000 Zo\u00eb\n';
    const be = fixture('own/utf16be-bom.csv');
    assert.equal((await importFile(t, s, { filename: 'be.csv', bytes: be, csvMapping: { ...mapping, hasHeader: true } })).done.status, 'done');
    for (const [name, bytes] of [['nobom-le.csv', Buffer.from(text, 'utf16le')], ['nobom-be.csv', Buffer.from(text, 'utf16le').swap16()]] as const) {
      const r = await importFile(t, s, { filename: name, bytes, csvMapping: mapping });
      assert.equal(r.preview.encoding, name.includes('le') ? 'utf-16le' : 'utf-16be');
      assert.deepEqual(r.preview.warnings.map((w: any) => w.line), [2]);
      assert.deepEqual((await payees(r.done.result.accounts[0].accountId)).map((row) => row[2]), ['Café Zoë']);
    }
  });
});
