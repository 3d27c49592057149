// A sync process the kill test can SIGKILL: a kernel (ledger in-process, plaid in the given mode) on
// the test's database, running one item's `sync` job through the plugin's runtime, run after run,
// until the item's sync has completed. Prints "ready" once started and "done" at the end.
//   node sync-child.ts <databaseUrl> <householdId> <itemId> <mode> <pageSize>
import { resolve } from 'node:path';
import { loadConfig, type Config } from '../../../../core/config.ts';
import { createKernel } from '../../../../core/kernel.ts';
import { setLogLevel } from '../../../../core/log.ts';

const [databaseUrl, householdId, itemId, mode, pageSize] = process.argv.slice(2);
setLogLevel('error');
const root = resolve(import.meta.dirname, '../../../..');
const config = {
  ...(await loadConfig(root)),
  MFF_PLUGIN_FETCH_ALLOW_PRIVATE: true,
  plugins: [
    { id: 'ledger', from: resolve(root, 'plugins/ledger'), mode: 'in-process' },
    { id: 'plaid', from: resolve(root, 'plugins/plaid'), mode },
  ],
} as Config;
const k = await createKernel(config, { databaseUrl, startJobs: false, poolSize: 4 });
const plaid = k.plugins.get('plaid');
if (plaid?.status !== 'active' || !plaid.runtime) throw new Error(`plaid is not active: ${plaid?.status} ${plaid?.reason ?? plaid?.error}`);
process.stdout.write('ready\n');

const state = async () => {
  const [row] = await k.db.withHousehold({ householdId }, (tx) => tx`
    select sync_state, (select count(*)::int from plaid.sync_pages) as staged from plaid.items where item_id = ${itemId}`);
  return row;
};
for (let run = 0; ; run++) {
  const call = await k.plugins.bus.jobCall(plaid, householdId, null);
  await plaid.runtime.job('sync', { itemId, pageSize: Number(pageSize) }, { ...call, requestId: `kill-test-${run}` });
  const s = await state();
  if (s.sync_state === 'idle' && s.staged === 0) break;
  if (run > 200) throw new Error(`no end in sight: ${JSON.stringify(s)}`);
}
process.stdout.write('done\n');
await k.stop();
process.exit(0);
