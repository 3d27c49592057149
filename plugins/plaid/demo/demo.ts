// `npm run demo`: mff with a household already connected to a demo bank, for anyone without Plaid
// keys. It starts the fake Plaid on loopback (a year of realistic history at "Cascade Demo Bank"),
// then the app on its own embedded database under ./data/demo (reset at every start), and does what
// a new user would: sign up (the first user is the instance admin), create a household, enter
// Plaid's instance settings (pointing at the fake), connect the bank through the stand-in Link page. The first sync runs as a job, as it would with
// Plaid; the bank then keeps adding a transaction now and then, announced by signed webhooks.
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadConfig } from '../../../core/config.ts';
import { createDbCapability } from '../../../core/plugins/cap-db.ts';
import { log, setLogLevel } from '../../../core/log.ts';
import { startServer } from '../../../core/server.ts';
import { createSql } from '../../../plugin-sdk/sql.ts';
import { FakePlaid } from '../fake/index.ts';
import { Browser } from './browser.ts';

const root = resolve(import.meta.dirname, '../../..');
const DEMO_USER = { name: 'Demo', email: 'demo@example.com', password: 'demo-demo-demo' };

process.env.MFF_DATA_DIR ??= resolve(root, 'data/demo');
process.env.MFF_PLUGIN_FETCH_ALLOW_PRIVATE = 'true'; // the fake Plaid listens on loopback
process.env.MFF_LOG_LEVEL ??= 'warn';
if (!process.env.DATABASE_URL) rmSync(process.env.MFF_DATA_DIR, { recursive: true, force: true });

const fake = await FakePlaid.start({ seed: 'mff-demo', host: '127.0.0.1', port: 0, defaultHistory: { count: 1100, days: 365 }, autoWebhooks: true });
const config = await loadConfig(root);
setLogLevel(config.MFF_LOG_LEVEL);
console.log('mff demo: starting (a fresh database under ./data/demo takes a few seconds)...');
const running = await startServer(config);
const k = running.kernel;
const url = `http://localhost:${running.port}`;

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  clearInterval(bankActivity);
  await running.stop().catch((err) => log.error('stop failed', { err }));
  await fake.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

// The instance admin's consent, given for the demo: Plaid runs sandboxed with the permissions its
// manifest asks for (on a real instance the admin reviews them on /admin/plugins).
const plaid = k.plugins.get('plaid');
if (!plaid) throw new Error('mff.config.ts does not list the plaid plugin');
if (plaid.status === 'needs-approval') await k.plugins.approve('plaid', null, plaid.requested);
if (k.plugins.get('plaid')?.status !== 'active') throw new Error(`the plaid plugin is not running: ${plaid.reason ?? plaid.error}`);

const me = new Browser(`http://127.0.0.1:${running.port}`);
await me.get('/signup');
await me.submit('/signup', DEMO_USER);
await me.get('/households/new');
await me.submit('/households', { name: 'The Demo Household', baseCurrency: 'USD', timeZone: 'America/New_York' });
const household = await householdId();

// The ledger's categories (Plaid's categories map onto them), as a household starts with them.
const cap = createDbCapability({ pool: k.db.app, bindingKey: k.db.bindingKey, schema: 'ledger', householdId: household, userId: null });
const { seedCategories } = await import('../../ledger/service/category-seed.ts');
const tx = await cap.begin();
await seedCategories(createSql((stmt) => cap.query(stmt, tx)));
await cap.commit(tx);

// The demo user signed up first, so is the instance admin: Plaid's keys are instance settings.
await me.get('/admin/plugins/plaid/settings');
await me.submit('/admin/plugins/plaid/settings', { clientId: fake.clientId, secret: fake.secret, environment: 'sandbox', webhookUrl: `http://127.0.0.1:${running.port}`, baseUrl: fake.url });
const link = await me.get('/p/plaid/link');
const linkToken = link.text.match(/name="link_token" value="([^"]+)"/)?.[1];
if (!linkToken) throw new Error(`the Link page did not open: ${link.status} ${link.text.slice(0, 300)}`);
await me.submit('/p/plaid/link/stand-in', { link_token: linkToken, institution_id: 'ins_mff_demo', item: '' });

// The first sync runs as a job; wait for it, the way the connections page does.
const started = Date.now();
for (;;) {
  const [row] = await k.db.withHousehold({ householdId: household }, (t) => t`select sync_state, last_success_at from plaid.items`);
  if (row?.last_success_at && row.sync_state === 'idle') break;
  if (Date.now() - started > 60_000) throw new Error('the first sync did not finish within a minute');
  await new Promise((r) => setTimeout(r, 200));
}
const [{ n }] = await k.db.withHousehold({ householdId: household }, (t) => t`select count(*)::int as n from ledger.transactions`);

// The bank lives on: a couple of new card payments every minute or so, announced by webhook.
const item = fake.control([...(await k.db.withHousehold({ householdId: household }, (t) => t`select item_id from plaid.items`))][0].item_id);
const bankActivity = setInterval(() => item.addGenerated(1 + Math.floor(Math.random() * 2)), 75_000);
bankActivity.unref();

console.log(`
mff demo is running at ${url}
  sign in as ${DEMO_USER.email} / ${DEMO_USER.password}
  "The Demo Household" is connected to Cascade Demo Bank: ${n} transactions over the last year,
  balances, an IRA's holdings and a mortgage, in ${((Date.now() - started) / 1000).toFixed(1)} s of syncing.
  Bank connections: ${url}/p/plaid/   ·   fake Plaid: ${fake.url}
  New transactions arrive every minute or so (signed webhooks). Ctrl-C stops everything.
`);

async function householdId(): Promise<string> {
  const me2 = await me.request('GET', '/api/v1/me');
  const id = (JSON.parse(me2.text) as { currentHousehold?: { id: string } }).currentHousehold?.id;
  if (!id) throw new Error('the demo household was not created');
  return id;
}
