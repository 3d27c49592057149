// Plugin ids map to names the kernel hands out. Ids may extend one another with a hyphen ("ledger"
// and "ledger-export"); the page element namespace "p-<id>-…" then needs telling apart.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { extendingIds } from './naming.ts';

describe('plugin ids', () => {
  test('the ids extending one with a hyphen are found; ids that merely share letters are not', () => {
    const ids = ['ledger', 'notes', 'notes-extra', 'notesy', 'note', 'notes-extra-more'];
    assert.deepEqual(extendingIds('notes', ids), ['notes-extra', 'notes-extra-more']);
    assert.deepEqual(extendingIds('notes-extra', ids), ['notes-extra-more']);
    assert.deepEqual(extendingIds('note', ids), []);
    assert.deepEqual(extendingIds('ledger', ids), []);
  });
});
