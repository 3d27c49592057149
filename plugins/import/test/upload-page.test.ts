// Details of the upload and import pages: an empty file is called empty (not "choose a file"), the
// new-account type reads as the ledger's own labels, and times are the household's wall clock.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestKernel, TestSession } from '../../../plugin-sdk/testing.ts';
import { fixture, importKernel, upload } from './support.ts';

describe('upload and import pages', () => {
  let t: TestKernel;
  let s: TestSession;
  before(async () => {
    t = await importKernel();
    s = await t.signUp({ household: { timeZone: 'America/New_York' } });
  });
  after(() => t?.close());

  const post = (file: Blob | null, name = '') => {
    const body = new FormData();
    body.set('_csrf', s.client.csrf);
    if (file) body.set('file', file, name);
    return s.client.request('POST', '/p/import/imports', { body });
  };
  const notice = (html: string) => html.match(/id="p-import-error">([^<]*)</)?.[1];

  it('an empty file is refused as empty; no file at all asks for one', async () => {
    const empty = await post(new Blob([]), 'statement.ofx');
    assert.equal(empty.status, 422);
    assert.equal(notice(empty.text), 'The file statement.ofx is empty (0 bytes): download the statement again and upload that file.');
    // What a browser sends when no file was chosen: a nameless, empty file part.
    const none = await post(new Blob([]), '');
    assert.equal(none.status, 422);
    assert.equal(notice(none.text), 'Choose a statement file to upload.');
    const missing = await post(null);
    assert.equal(notice(missing.text), 'Choose a statement file to upload.');
    const api = await upload(s, { filename: 'statement.ofx', bytes: '' });
    assert.equal(api.status, 422);
    assert.match(api.json().detail, /^The file statement\.ofx is empty \(0 bytes\)/);
  });

  it('the new-account type shows the ledger\'s labels for its account types', async () => {
    const up = await upload(s, { filename: 'checking.ofx', bytes: fixture('shared/ofxparse/checking.ofx') });
    const page = await s.get(`/p/import/imports/${up.json().id}`);
    const options = (html: string, name: string) => [...(html.match(new RegExp(`<select name="${name}"[^>]*>([\\s\\S]*?)</select>`))?.[1] ?? '')
      .matchAll(/<option value="([^"]*)"[^>]*>([^<]*)<\/option>/g)].map((m) => [m[1], m[2]]);
    const ours = options(page.text, 'newType-0');
    assert.deepEqual(ours.slice(0, 4), [['depository', 'Cash'], ['credit', 'Credit cards'], ['loan', 'Loans'], ['investment', 'Investments']]);
    assert.match(page.text, /<option value="depository" selected>Cash<\/option>/);
    // The same labels as the ledger's own account form (kept in step by hand: no service has them).
    const ledger = await s.get('/p/ledger/');
    assert.deepEqual(ours, options(ledger.text, 'type'));
  });

  it('upload times are shown in the household\'s time zone', async () => {
    const up = await upload(s, { filename: 'tz.ofx', bytes: fixture('shared/ofxparse/checking.ofx').toString().replace(/<FITID>/g, '<FITID>tz') });
    const id = up.json().id as string;
    await t.asHousehold(s.householdId, (tx) => tx`update import.imports set created_at = '2026-12-07T04:16:00Z' where id = ${id}`);
    const page = await s.get(`/p/import/imports/${id}`);
    assert.match(page.text, /uploaded <time datetime="2026-12-07T04:16:00.000Z">2026-12-06 23:16 EST<\/time> ·/);
    assert.doesNotMatch(page.text, /UTC/);
    const list = await s.get('/p/import/');
    assert.match(list.text, /tz\.ofx<\/a><\/td>\s*<td><time datetime="2026-12-07T04:16:00.000Z">2026-12-06 23:16 EST<\/time><\/td>/);
  });
});
