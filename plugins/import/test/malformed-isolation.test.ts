// Malformed files are refused with the line at fault and nothing kept or written; every import
// endpoint is 404 for another household; a viewer cannot import.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestKernel, TestSession } from '../../../plugin-sdk/testing.ts';
import { fixture, importKernel, ledgerRows, upload, importCount } from './support.ts';

describe('malformed files, isolation, roles', () => {
  let t: TestKernel;
  let alice: TestSession;
  let bob: TestSession;
  before(async () => {
    t = await importKernel();
    alice = await t.signUp();
    bob = await t.signUp();
  });
  after(() => t?.close());

  const imports = (s: TestSession) => importCount(t, s);

  it('an OFX with an unclosed aggregate: 422 naming both lines; nothing stored, nothing written', async () => {
    const res = await upload(alice, { filename: 'broken.ofx', bytes: fixture('own/malformed-unclosed-aggregate.ofx') });
    assert.equal(res.status, 422);
    assert.match(res.json().detail, /^This file cannot be imported: line \d+: .*STMTTRN.*line \d+/);
    const truncated = await upload(alice, { filename: 'cut.ofx', bytes: fixture('own/malformed-truncated.ofx') });
    assert.equal(truncated.status, 422);
    assert.match(truncated.json().detail, /line \d+/);
    const junk = await upload(alice, { filename: 'notes.txt', bytes: 'Dear bank\nthank you.' });
    assert.equal(junk.status, 422);
    assert.match(junk.json().detail, /not a statement this importer reads.*Dear bank/);
    assert.equal(await imports(alice), 0);
    assert.equal((await ledgerRows(t, alice)).length, 0);
  });

  it('the upload page answers a malformed file with the message, and keeps nothing', async () => {
    const body = new FormData();
    body.set('_csrf', alice.client.csrf);
    body.set('file', new Blob([fixture('own/malformed-unclosed-aggregate.ofx')]), 'broken.ofx');
    const res = await alice.client.request('POST', '/p/import/imports', { body });
    assert.equal(res.status, 422);
    assert.match(res.text, /id="p-import-error"[^>]*>This file cannot be imported: line \d+/);
    assert.equal(await imports(alice), 0);
  });

  it('a CSV whose rows are partly unreadable: those lines fail with their reasons, the others are imported', async () => {
    const up = await upload(alice, {
      filename: 'rows.csv', bytes: fixture('own/row-errors.csv'),
      csvMapping: { dateColumn: 0, dateFormat: 'YYYY-MM-DD', amountColumn: 1, payeeColumn: 2, hasHeader: true },
    });
    assert.equal(up.status, 201, up.text);
    const p = up.json().preview;
    assert.ok(p.totals.failed >= 2, JSON.stringify(p.failures));
    assert.ok(p.failures.every((f: any) => Number.isInteger(f.line) && f.reason.length > 5));
  });

  it('another household gets 404 from every import endpoint, and its rows stay untouched', async () => {
    const up = await upload(alice, { filename: 'a.ofx', bytes: fixture('shared/ofxparse/checking.ofx') });
    const id = up.json().id;
    const api = `/api/v1/import/imports/${id}`;
    for (const [method, path, body] of [
      ['GET', api, undefined], ['POST', `${api}/csv`, {}], ['POST', `${api}/preview`, {}], ['POST', `${api}/confirm`, {}],
      ['POST', `${api}/retry`, undefined], ['DELETE', api, undefined],
    ] as const) {
      const res = await bob.api(method, path, body);
      assert.equal(res.status, 404, `${method} ${path}: ${res.status}`);
    }
    const list = await bob.api('GET', '/api/v1/import/imports');
    assert.deepEqual(list.json().imports, []);
    for (const path of ['', '/progress', '/columns']) {
      assert.equal((await bob.get(`/p/import/imports/${id}${path}`)).status, 404, `GET page ${path}`);
    }
    for (const path of ['/csv-preview', '/mapping', '/preview', '/confirm', '/retry', '/discard']) {
      assert.equal((await bob.htmx('POST', `/p/import/imports/${id}${path}`, {})).status, 404, `POST page ${path}`);
    }
    const mine = await alice.api('GET', api);
    assert.equal(mine.json().status, 'ready');
    assert.equal(await imports(bob), 0);
  });

  it('a viewer can see imports but cannot upload or confirm', async () => {
    const viewer = await t.join(alice, 'viewer');
    const up = await upload(viewer, { filename: 'v.ofx', bytes: fixture('shared/ofxparse/checking.ofx') });
    assert.equal(up.status, 403);
    const [{ id }] = (await viewer.api('GET', '/api/v1/import/imports')).json().imports;
    assert.equal((await viewer.api('POST', `/api/v1/import/imports/${id}/confirm`, {})).status, 403);
    const body = new FormData();
    body.set('_csrf', viewer.client.csrf);
    body.set('file', new Blob([fixture('shared/ofxparse/checking.ofx')]), 'v.ofx');
    assert.equal((await viewer.client.request('POST', '/p/import/imports', { body })).status, 403);
    assert.equal((await viewer.htmx('POST', `/p/import/imports/${id}/confirm`, {})).status, 403);
    assert.equal((await ledgerRows(t, alice)).length, 0);
  });

  it('uploads above 1 MiB reach the import route (manifest bodyLimits), other routes keep the 1 MiB limit', async () => {
    const rows = ['date,amount,payee'];
    for (let i = 0; i < 40_000; i++) rows.push(`2024-01-${String((i % 28) + 1).padStart(2, '0')},-${(i % 997) + 1}.25,Shop number ${i}`);
    const csv = rows.join('\n');
    assert.ok(csv.length > 1_100_000);
    const big = await upload(alice, { filename: 'big.csv', bytes: csv });
    assert.equal(big.status, 201, big.text.slice(0, 300));
    assert.equal(big.json().status, 'mapping');
    const other = await alice.api('POST', '/api/v1/import/imports/00000000-0000-4000-8000-000000000000/preview', { forcedLines: Array(600_000).fill(1) })
      .catch((err) => ({ status: (err as { cause?: { code?: string } }).cause?.code ?? 'error' }));
    // Refused before the body is read: the answer is 413, or the connection is cut while sending.
    assert.ok(other.status === 413 || other.status === 'ECONNRESET' || other.status === 'EPIPE', `status ${other.status}`);
  });
});
