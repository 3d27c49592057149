import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toLedgerRow } from './ledger-row.ts';

const tx = (date: string, userDate?: string) => ({ line: 7, date, amount: '-1', externalId: 'x', externalIdSource: 'fitid' as const, ...(userDate ? { userDate } : {}) });

describe('ledger rows', () => {
  it('dates outside 1900-01-01..2199-12-31 are failures; the range ends are rows', () => {
    for (const d of ['0001-01-01', '1899-12-31', '2200-01-01', '9999-12-31']) {
      assert.deepEqual(toLedgerRow(tx(d), 'a', 'USD'), { failure: `date ${d} is outside the dates an import accepts (1900-01-01 to 2199-12-31)` });
    }
    for (const d of ['1900-01-01', '2199-12-31']) assert.equal((toLedgerRow(tx(d), 'a', 'USD') as any).row.date, d);
  });

  it('an implausible authorized date is dropped, not the row', () => {
    assert.equal((toLedgerRow(tx('2024-01-02', '0001-01-01'), 'a', 'USD') as any).row.authorizedDate, undefined);
    assert.equal((toLedgerRow(tx('2024-01-02', '2024-01-01'), 'a', 'USD') as any).row.authorizedDate, '2024-01-01');
  });
});
