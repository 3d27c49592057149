// Ledger rows for the rules tests, written straight into the ledger's tables (as the household,
// under row-level security): accounts, a small category tree with its PFC mapping, transactions.
import type { TestKernel } from '../../../plugin-sdk/testing.ts';

export type Fixtures = {
  checking: string;
  card: string;
  food: string; // a group
  groceries: string;
  dining: string;
  transport: string; // a group
  fuel: string;
  transfers: string;
};

export type TxnFields = {
  accountId?: string; date?: string; amount?: string; payee?: string | null; description?: string | null; notes?: string | null;
  categoryId?: string | null; categorySource?: 'user' | 'rule' | 'provider' | null; pfcPrimary?: string | null; pfcDetailed?: string | null;
  pending?: boolean; tags?: string[]; excluded?: boolean; isTransfer?: boolean; currency?: string; source?: string;
};

export async function seedLedger(t: TestKernel, householdId: string): Promise<Fixtures> {
  return t.asHousehold(householdId, async (tx) => {
    // Start from a known tree, whatever the ledger seeds for a new household. The seed runs as a job
    // after sign-up and holds this advisory lock (plugins/ledger/service/category-seed.ts): taking it
    // too means the seed either finished (its rows are deleted here) or will find categories and skip.
    await tx`select pg_advisory_xact_lock(hashtextextended('ledger.seed:' || ${householdId}::text, 0))`;
    await tx`delete from ledger.categories where household_id = ${householdId}`;
    const acc = async (name: string, type: string) =>
      (await tx`insert into ledger.accounts (household_id, name, type, currency, source) values (${householdId}, ${name}, ${type}, 'EUR', 'manual') returning id`)[0].id as string;
    const cat = async (name: string, parent: string | null, kind = 'expense') =>
      (await tx`insert into ledger.categories (household_id, name, parent_id, kind) values (${householdId}, ${name}, ${parent}, ${kind}) returning id`)[0].id as string;
    const checking = await acc('Checking', 'depository');
    const card = await acc('Visa', 'credit');
    const food = await cat('Food and Drink', null);
    const groceries = await cat('Groceries', food);
    const dining = await cat('Restaurants', food);
    const transport = await cat('Transportation', null);
    const fuel = await cat('Gas', transport);
    const transferGroup = await cat('Transfers', null, 'transfer');
    const transfers = await cat('Account transfer', transferGroup, 'transfer');
    for (const [code, id] of [['FOOD_AND_DRINK', dining], ['FOOD_AND_DRINK_GROCERIES', groceries], ['TRANSPORTATION_GAS', fuel]] as const) {
      await tx`insert into ledger.category_pfc (household_id, pfc_code, category_id) values (${householdId}, ${code}, ${id})`;
    }
    return { checking, card, food, groceries, dining, transport, fuel, transfers };
  });
}

let seq = 0;

export async function insertTxn(t: TestKernel, householdId: string, f: TxnFields & { accountId: string }): Promise<string> {
  return t.asHousehold(householdId, async (tx) => {
    const source = f.source ?? 'manual';
    const [row] = await tx`insert into ledger.transactions (household_id, account_id, source, external_id, date, amount, currency,
        payee, description, notes, category_id, category_source, provider_category_primary, provider_category_detailed,
        pending, tags, excluded, is_transfer)
      values (${householdId}, ${f.accountId}, ${source}, ${source === 'manual' ? null : `ext-${++seq}`}, ${f.date ?? '2024-03-15'},
        ${f.amount ?? '-10.00'}, ${f.currency ?? 'EUR'}, ${f.payee ?? null}, ${f.description ?? null}, ${f.notes ?? null},
        ${f.categoryId ?? null}, ${f.categorySource ?? (f.categoryId ? 'user' : null)}, ${f.pfcPrimary ?? null}, ${f.pfcDetailed ?? null},
        ${f.pending ?? false}, ${f.tags ?? []}, ${f.excluded ?? false}, ${f.isTransfer ?? false})
      returning id`;
    return row.id as string;
  });
}

export async function readTxn(t: TestKernel, householdId: string, id: string) {
  const [row] = await t.asHousehold(householdId, (tx) => tx`select payee, notes, tags, excluded, is_transfer, category_id, category_source
    from ledger.transactions where id = ${id}`);
  return row as { payee: string | null; notes: string | null; tags: string[]; excluded: boolean; is_transfer: boolean; category_id: string | null; category_source: string | null };
}
