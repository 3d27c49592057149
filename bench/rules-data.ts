// A large household for the rules and budgets benchmarks: the ledger's seeded categories, four
// accounts and N transactions over five years from 400 merchants (Plaid-like payees, descriptions
// and PFC codes, categories mapped from the PFC as the ledger does at ingest), written with one
// bound INSERT ... SELECT (the setup is not what is measured).
import type { Database } from '../core/db/database.ts';
import { createDbCapability } from '../core/plugins/cap-db.ts';
import { createPluginContext } from '../plugin-sdk/context.ts';
import type { CapabilityPort, PluginContext } from '../plugin-sdk/types.ts';
import { seedCategories } from '../plugins/ledger/service/category-seed.ts';
import { upsertAccounts } from '../plugins/ledger/service/source-accounts.ts';
import { ledgerTx } from '../plugins/ledger/test/ledger-tx.ts';

export const NAMES = ['Blue', 'Golden', 'Corner', 'City', 'Green', 'Harbor', 'Union', 'Maple', 'North', 'Silver',
  'Royal', 'Sunset', 'Pine', 'River', 'Oak', 'Summit', 'Lucky', 'Urban', 'Cedar', 'Metro'];

export const KINDS: [string, string][] = [
  ['Coffee', 'FOOD_AND_DRINK_COFFEE'], ['Market', 'FOOD_AND_DRINK_GROCERIES'], ['Grill', 'FOOD_AND_DRINK_RESTAURANT'],
  ['Burgers', 'FOOD_AND_DRINK_FAST_FOOD'], ['Fuel', 'TRANSPORTATION_GAS'], ['Pharmacy', 'MEDICAL_PHARMACIES_AND_SUPPLEMENTS'],
  ['Books', 'GENERAL_MERCHANDISE_BOOKSTORES_AND_NEWSSTANDS'], ['Outfitters', 'GENERAL_MERCHANDISE_CLOTHING_AND_ACCESSORIES'],
  ['Electronics', 'GENERAL_MERCHANDISE_ELECTRONICS'], ['Airlines', 'TRAVEL_FLIGHTS'], ['Hotel', 'TRAVEL_LODGING'],
  ['Cinema', 'ENTERTAINMENT_TV_AND_MOVIES'], ['Gym', 'PERSONAL_CARE_GYMS_AND_FITNESS_CENTERS'], ['Hardware', 'HOME_IMPROVEMENT_HARDWARE'],
  ['Taxi', 'TRANSPORTATION_TAXIS_AND_RIDE_SHARES'], ['Parking', 'TRANSPORTATION_PARKING'], ['Power', 'RENT_AND_UTILITIES_GAS_AND_ELECTRICITY'],
  ['Telecom', 'RENT_AND_UTILITIES_INTERNET_AND_CABLE'], ['Payroll', 'INCOME_SALARY'], ['Transfer', 'TRANSFER_OUT_ACCOUNT_TRANSFER'],
];

const PRIMARIES = ['FOOD_AND_DRINK', 'TRANSPORTATION', 'MEDICAL', 'GENERAL_MERCHANDISE', 'TRAVEL', 'ENTERTAINMENT', 'PERSONAL_CARE',
  'HOME_IMPROVEMENT', 'RENT_AND_UTILITIES', 'INCOME', 'TRANSFER_OUT'];

export const FIRST_DAY = '2021-01-01';
export const DAYS = 1826; // five years

export type BigHousehold = { householdId: string; categories: Map<string, string>; accounts: string[] };

/** Household-bound statement runner as the kernel gives an in-process plugin (search_path = `schema`). */
export const boundTx = <T>(db: Database, householdId: string, fn: Parameters<typeof ledgerTx<T>>[2]) => ledgerTx(db, householdId, fn);

export async function bigHousehold(db: Database, householdId: string, count: number): Promise<BigHousehold> {
  const accounts = await boundTx(db, householdId, async (tx) => {
    await seedCategories(tx);
    const ids = await upsertAccounts(tx, 'bench', ['checking', 'savings', 'card', 'card2'].map((externalId) => ({
      externalId, name: externalId, type: externalId.startsWith('card') ? 'credit' : 'depository', currency: 'EUR',
    })));
    return [...ids.values()];
  });
  const merchants = NAMES.flatMap((name, n) => KINDS.map(([kind, pfc], k) => ({
    n: n * KINDS.length + k, payee: `${name} ${kind}`, p1: PRIMARIES.find((p) => pfc.startsWith(`${p}_`)) ?? null, p2: pfc,
    kind,
  })));
  // One statement writes every row, in a kernel-bound transaction (no plugin transaction deadline).
  await db.withHousehold({ householdId }, (tx) => tx`
    insert into ledger.transactions (household_id, account_id, source, external_id, date, amount, currency, payee, description,
      pending, provider_category_primary, provider_category_detailed, category_id, category_source)
    select kernel.current_household(), (${accounts}::uuid[])[1 + i % 4], 'bench', 'b' || i,
      ${FIRST_DAY}::date + (i::bigint * ${DAYS} / ${count})::int,
      case m.kind when 'Payroll' then 2000 + (i % 1000) when 'Transfer' then -(100 + (i % 900)) else -round((((i::bigint * 7919) % 25000) + 1) / 100.0, 2) end,
      'EUR',
      m.payee || case when i % 5 = 0 then ' #' || (i % 900) else '' end,
      upper(m.payee) || ' ' || (1000 + i % 9000) || ' CARD ' || (4000 + i % 17),
      i % 997 = 0, m.p1, m.p2, c.category_id, case when c.category_id is null then null else 'provider' end
    from generate_series(0, ${count - 1}) as i
    join jsonb_to_recordset(${JSON.stringify(merchants)}::text::jsonb) as m(n int, payee text, p1 text, p2 text, kind text) on m.n = (i * 7) % ${merchants.length}
    left join ledger.category_pfc c on c.pfc_code = m.p2`);
  await db.admin.unsafe('analyze ledger.transactions');
  const rows = await boundTx(db, householdId, (tx) => tx`select c.id, c.name, g.name as group_name from ledger.categories c left join ledger.categories g on g.id = c.parent_id`);
  const categories = new Map(rows.map((r) => [r.group_name ? `${r.group_name} › ${r.name}` : String(r.name), r.id as string]));
  return { householdId, categories, accounts };
}

/**
 * A PluginContext for `pluginId` bound to the household, as the kernel builds one for an
 * in-process plugin's job (database only: jobs, events and services are not used by what is measured).
 */
export function pluginContext(db: Database, pluginId: string, householdId: string): PluginContext & { dispose(): Promise<void> } {
  const cap = createDbCapability({ pool: db.app, bindingKey: db.bindingKey, schema: pluginId.replaceAll('-', '_'), householdId, userId: null });
  const unused = () => Promise.reject(new Error('not available in the benchmark'));
  const port: CapabilityPort = {
    db: cap,
    fetch: unused,
    secrets: { get: unused, set: unused, delete: unused },
    settings: { get: async () => ({}) },
    instanceSettings: { get: async () => ({}) },
    jobs: { enqueue: unused, progress: async () => {} },
    events: { emit: async () => {} },
    services: { call: unused, has: async () => false },
    log: async () => {},
  };
  const call = {
    plugin: { id: pluginId, version: '1.0.0', base: `/p/${pluginId}` },
    household: { id: householdId, name: 'Bench', baseCurrency: 'EUR', timeZone: 'UTC' },
    user: null,
    role: null,
  };
  const ctx = createPluginContext(port, call, async () => '');
  return Object.assign(ctx, { dispose: () => cap.dispose() });
}
