import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { elapsedShare, label, lengthInDays, periodAt, periodContaining, type PeriodSpec } from './periods.ts';

const d = (s: string) => Temporal.PlainDate.from(s);
const span = (p: { start: Temporal.PlainDate; end: Temporal.PlainDate } | null) => p && `${p.start}..${p.end}`;

describe('budget periods', () => {
  it('monthly periods end on the last day of each month, including leap February', () => {
    const spec: PeriodSpec = { type: 'monthly', year: 2024, month: 1 };
    assert.equal(span(periodAt(spec, 0)), '2024-01-01..2024-01-31');
    assert.equal(span(periodAt(spec, 1)), '2024-02-01..2024-02-29');
    assert.equal(span(periodAt(spec, 13)), '2025-02-01..2025-02-28');
    assert.equal(span(periodAt(spec, 3)), '2024-04-01..2024-04-30');
    assert.equal(span(periodAt(spec, -1)), '2023-12-01..2023-12-31');
  });

  it('quarterly periods are calendar quarters', () => {
    const spec: PeriodSpec = { type: 'quarterly', year: 2024, quarter: 3 };
    assert.equal(span(periodAt(spec, 0)), '2024-07-01..2024-09-30');
    assert.equal(span(periodAt(spec, 1)), '2024-10-01..2024-12-31');
    assert.equal(span(periodAt(spec, 2)), '2025-01-01..2025-03-31');
    assert.equal(span(periodContaining(spec, d('2025-02-15'))), '2025-01-01..2025-03-31');
    assert.equal(label(spec, periodAt(spec, 2)), 'Q1 2025');
  });

  it('annual periods span leap years correctly', () => {
    const spec: PeriodSpec = { type: 'annual', year: 2024 };
    assert.equal(lengthInDays(periodAt(spec, 0)), 366);
    assert.equal(lengthInDays(periodAt(spec, 1)), 365);
    assert.equal(span(periodContaining(spec, d('2026-12-31'))), '2026-01-01..2026-12-31');
  });

  it('custom periods contain only their own span', () => {
    const spec: PeriodSpec = { type: 'custom', startDate: '2024-02-10', endDate: '2024-03-09' };
    assert.equal(span(periodContaining(spec, d('2024-02-29'))), '2024-02-10..2024-03-09');
    assert.equal(periodContaining(spec, d('2024-03-10')), null);
    assert.equal(lengthInDays(periodAt(spec, 0)), 29);
    assert.throws(() => periodAt(spec, 1), /exactly one period/);
  });

  it('the period boundary follows the household time zone', () => {
    const spec: PeriodSpec = { type: 'monthly', year: 2024, month: 1 };
    // 2024-01-31T23:30 in New York is already Feb 1 in UTC and in Auckland.
    const instant = Temporal.Instant.from('2024-02-01T04:30:00Z');
    const ny = instant.toZonedDateTimeISO('America/New_York').toPlainDate();
    const akl = instant.toZonedDateTimeISO('Pacific/Auckland').toPlainDate();
    assert.equal(span(periodContaining(spec, ny)), '2024-01-01..2024-01-31');
    assert.equal(span(periodContaining(spec, akl)), '2024-02-01..2024-02-29');
  });

  it('elapsed share counts the current day and clamps outside the period', () => {
    const p = periodAt({ type: 'monthly', year: 2023, month: 4 }, 0); // 30 days
    assert.equal(elapsedShare(p, d('2023-04-15')), 0.5);
    assert.equal(elapsedShare(p, d('2023-03-31')), 0);
    assert.equal(elapsedShare(p, d('2023-05-02')), 1);
  });
});
