// Plugin ids map to names the kernel hands out; page element ids "p-<plugin>-…" must not be shared,
// so an id that extends another's with a hyphen stops start-up with a message naming both.
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { loadConfig, type Config } from '../config.ts';
import { createKernel } from '../kernel.ts';
import { createTestDatabase } from '../../test/support/database.ts';
import { overlappingIds } from './naming.ts';

describe('plugin ids', () => {
  test('an id extending another with a hyphen is found; ids that merely share letters are not', () => {
    assert.deepEqual(overlappingIds(['ledger', 'notes', 'notes-extra']), { id: 'notes-extra', extends: 'notes' });
    assert.deepEqual(overlappingIds(['a-b-c', 'a']), { id: 'a-b-c', extends: 'a' });
    assert.equal(overlappingIds(['notes', 'notesy', 'note', 'ledger', 'rules']), null);
    assert.deepEqual(overlappingIds(['plaid', 'snap-trade', 'snap']), { id: 'snap-trade', extends: 'snap' }, 'whatever the order');
  });

  test('start-up refuses two plugins whose page element ids would overlap, naming both', async () => {
    const root = resolve(import.meta.dirname, '../..');
    const database = await createTestDatabase();
    try {
      const notes = join(import.meta.dirname, 'fixtures/notes');
      const config = { ...(await loadConfig(root)), PORT: 0, plugins: [
        { id: 'notes', from: notes, mode: 'in-process' },
        { id: 'notes-extra', from: notes, mode: 'in-process' },
      ] } as Config;
      await assert.rejects(createKernel(config, { databaseUrl: database.url, startJobs: false, poolSize: 2 }), (err: Error) => {
        assert.equal(err.name, 'PluginLoadError');
        assert.match(err.message, /plugin notes-extra: its id extends plugin notes's with a hyphen, so their page element ids \(p-notes-…\) would overlap/);
        return true;
      });
    } finally {
      await database.drop();
    }
  });
});
