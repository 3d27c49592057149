// The committed copies of Plaid's material stay faithful: the schema extract is what
// extract-schemas.ts would produce from the spec today, it is self-contained, the taxonomy CSV is
// Plaid's, and the validator the conformance test relies on really rejects bad responses.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { pfcFor, TAXONOMY, TAXONOMY_CSV } from '../fake/pfc.ts';
import { ENDPOINTS, EXTRA_SCHEMAS } from '../fake/spec-endpoints.ts';
import { extractSchemas, loadExtract, readFullSpec, REPO_ROOT } from '../fake/spec.ts';
import { SpecValidator } from './support/spec-validator.ts';

const extract = loadExtract();

test('the committed extract equals a fresh extraction from the spec (when ../shared has the spec)', () => {
  const spec = readFullSpec();
  // Without the spec (CI) there is nothing to compare against; the extract's own checks below still run.
  if (spec) {
    const fresh = extractSchemas(spec);
    assert.equal(extract.version, fresh.version);
    assert.deepEqual(extract.paths, fresh.paths);
    assert.deepEqual(Object.keys(extract.schemas), Object.keys(fresh.schemas), 'run: node plugins/plaid/fake/extract-schemas.ts');
    assert.deepEqual(extract.schemas, fresh.schemas, 'run: node plugins/plaid/fake/extract-schemas.ts');
  }
});

test('the extract is self-contained: every endpoint, webhook and $ref resolves inside it', () => {
  assert.deepEqual(Object.keys(extract.paths).sort(), [...ENDPOINTS].sort());
  for (const p of Object.values(extract.paths)) {
    assert.ok(extract.schemas[p.response], p.response);
    assert.equal(p.error, 'PlaidError');
  }
  for (const name of EXTRA_SCHEMAS) assert.ok(extract.schemas[name], name);
  const refs = JSON.stringify(extract.schemas).match(/"\$ref":"[^"]+"/g) ?? [];
  assert.ok(refs.length > 50);
  for (const ref of refs) assert.ok(extract.schemas[ref.split('/').pop()!.slice(0, -1)], ref);
});

test('the taxonomy copy is Plaid\'s CSV, and every v2 category has a v1 name', () => {
  const shared = resolve(REPO_ROOT, '../shared/specs/plaid-pfc-taxonomy.csv');
  if (existsSync(shared)) assert.equal(readFileSync(TAXONOMY_CSV, 'utf8'), readFileSync(shared, 'utf8'));
  assert.ok(TAXONOMY.length >= 120);
  assert.deepEqual(pfcFor('INCOME_SALARY', 'v1', -100), { primary: 'INCOME', detailed: 'INCOME_WAGES' });
  assert.deepEqual(pfcFor('LOAN_DISBURSEMENTS_BNPL', 'v1', -100), { primary: 'TRANSFER_IN', detailed: 'TRANSFER_IN_CASH_ADVANCES_AND_LOANS' });
  assert.deepEqual(pfcFor('OTHER_OTHER', 'v1', 10), { primary: 'TRANSFER_OUT', detailed: 'TRANSFER_OUT_OTHER_TRANSFER_OUT' });
  for (const c of TAXONOMY) assert.match(pfcFor(c.detailed, 'v1', 1).detailed, /^[A-Z_]+$/);
});

test('the validator rejects missing required fields, wrong enums, wrong types and undeclared properties', () => {
  const v = new SpecValidator(extract);
  const good = { added: [], modified: [], removed: [], next_cursor: 'x', has_more: false, accounts: [], transactions_update_status: 'HISTORICAL_UPDATE_COMPLETE', request_id: 'r' };
  assert.equal(v.check('TransactionsSyncResponse', good).valid, true);
  const { has_more: _, ...missing } = good;
  assert.equal(v.check('TransactionsSyncResponse', missing).valid, false);
  assert.equal(v.check('TransactionsSyncResponse', { ...good, transactions_update_status: 'DONE' }).valid, false);
  assert.equal(v.check('TransactionsSyncResponse', { ...good, removed: [{ transaction_id: 1, account_id: 'a' }] }).valid, false);
  const extra = v.check('TransactionsSyncResponse', { ...good, removed: [{ transaction_id: 't', account_id: 'a', pending_transaction: 'p' }] });
  assert.equal(extra.valid, true, 'Plaid objects allow extra properties…');
  assert.deepEqual(extra.undeclared, ['/removed/0/pending_transaction'], '…so they are reported separately');
  // nullable in OpenAPI 3.0: null allowed where the spec says nullable, refused where it does not.
  assert.equal(v.check('AccountBalance', { available: null, current: 1, limit: null, iso_currency_code: 'USD', unofficial_currency_code: null }).valid, true);
  assert.equal(v.check('RemovedTransaction', { transaction_id: null, account_id: 'a' }).valid, false);
});
