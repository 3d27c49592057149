// Duplicate detection and payee similarity as pure functions.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findDuplicates, type ExistingRow, type FileRow } from './dedupe.ts';
import { addDays, canonicalAmount, dateOfDay, dayNumber } from './keys.ts';
import { payeeKey, similarPayees } from './payee-match.ts';

const row = (line: number, date: string, amount: string, payee?: string, externalId = `x${line}`): FileRow => ({ line, date, amount, payee, externalId });
const ex = (id: string, date: string, amount: string, payee: string | null, source = 'plaid', externalId: string | null = null, description: string | null = null): ExistingRow =>
  ({ id, source, externalId, date, amount, payee, description });

describe('duplicate detection', () => {
  it('by id: only this source\'s rows; a repeat in the file is a repeat', () => {
    const d = findDuplicates(
      [row(1, '2024-01-01', '-5', 'A', 'F1'), row(2, '2024-01-01', '-5', 'A', 'F1'), row(3, '2024-01-09', '-7', 'B', 'P1')],
      [ex('e1', '2023-01-01', '-999', 'other', 'import', 'F1'), ex('e2', '2024-05-05', '-1', 'z', 'plaid', 'P1')],
      { source: 'import', toleranceDays: 3 });
    assert.deepEqual([...d.values()].map((v) => [v.line, v.by]), [[1, 'id'], [2, 'file']]);
  });

  it('by similarity: same exact amount, within the tolerance, nearest date wins, one existing row per file row', () => {
    const d = findDuplicates(
      [row(1, '2024-01-05', '-4.50', 'STARBUCKS #12'), row(2, '2024-01-05', '-4.5', 'Starbucks'), row(3, '2024-01-05', '-4.50', 'Starbucks')],
      [ex('far', '2024-01-02', '-4.500', 'Starbucks'), ex('near', '2024-01-06', '-4.5', 'POS STARBUCKS COFFEE')],
      { source: 'import', toleranceDays: 3 });
    assert.deepEqual([...d.values()].map((v) => [v.line, v.by, 'existing' in v ? v.existing.id : '']), [[1, 'similar', 'near'], [2, 'similar', 'far']]);
  });

  it('not a duplicate: other payee, other amount, too far apart, or forced by the user', () => {
    const existing = [ex('e', '2024-01-05', '-60', 'Shell')];
    const opts = { source: 'import', toleranceDays: 2 };
    assert.equal(findDuplicates([row(1, '2024-01-05', '-60', 'Aral')], existing, opts).size, 0);
    assert.equal(findDuplicates([row(1, '2024-01-05', '-60.01', 'Shell')], existing, opts).size, 0);
    assert.equal(findDuplicates([row(1, '2024-01-08', '-60', 'Shell')], existing, opts).size, 0);
    assert.equal(findDuplicates([row(1, '2024-01-05', '-60', 'Shell')], existing, { ...opts, forced: new Set([1]) }).size, 0);
    assert.equal(findDuplicates([row(1, '2024-01-07', '-60', 'SHELL 123')], existing, opts).size, 1);
  });

  it('a row without payee matches on amount and date; the existing description counts as its payee too', () => {
    assert.equal(findDuplicates([row(1, '2024-01-05', '-9')], [ex('e', '2024-01-05', '-9', 'Anything')], { source: 'import', toleranceDays: 0 }).size, 1);
    const d = findDuplicates([row(1, '2024-01-05', '-9', 'AMZN Mktp US')], [ex('e', '2024-01-05', '-9', 'Amazon', 'plaid', 'p', 'AMZN MKTP US*2K4')], { source: 'import', toleranceDays: 0 });
    assert.equal(d.size, 1);
  });
});

describe('keys and payees', () => {
  it('canonical amounts and day arithmetic', () => {
    assert.deepEqual(['-010.500', '0.00', '-0', '+12', '1234.5600'].map(canonicalAmount), ['-10.5', '0', '0', '12', '1234.56']);
    assert.equal(dayNumber('2024-03-01') - dayNumber('2024-02-28'), 2);
    assert.deepEqual([addDays('2024-02-28', 2), addDays('2024-01-01', -1)], ['2024-03-01', '2023-12-31']);
  });

  it('day arithmetic holds for every year 0000-9999 (no 1900 offset for years 0-99, no 6-digit years)', () => {
    assert.equal(dayNumber('0001-01-01'), -719_162);
    assert.equal(dayNumber('0100-01-01') - dayNumber('0099-12-31'), 1);
    assert.equal(dayNumber('0001-01-04') - dayNumber('0001-01-01'), 3);
    assert.deepEqual([addDays('9999-12-28', 3), addDays('0001-01-01', -1), addDays('1900-03-01', -1), addDays('2000-02-28', 1)], ['9999-12-31', '0000-12-31', '1900-02-28', '2000-02-29']);
    assert.throws(() => addDays('9999-12-31', 1), RangeError);
    for (let day = dayNumber('0000-01-01'); day <= dayNumber('9999-12-31'); day += 997) assert.equal(dayNumber(dateOfDay(day)), day);
  });

  it('payee similarity ignores card noise, store numbers, case and accents', () => {
    const sim = (a: string, b: string) => similarPayees(payeeKey(a), payeeKey(b));
    assert.ok(sim('POS 4411 STARBUCKS #123 SEATTLE', 'Starbucks'));
    assert.ok(sim('Café Zoë', 'CAFE ZOE'));
    assert.ok(sim('AMAZON MKTPLACE PMTS', 'Amazon Mktplace'));
    assert.ok(!sim('Shell', 'Aral Tankstelle'));
    assert.ok(!sim('Netflix', 'Spotify'));
  });
});
