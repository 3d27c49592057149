// Ledger rows for the budgets tests, written straight into the ledger's tables as the household
// (row-level security applies): accounts, a category tree with its PFC mapping, transactions.
import type { TestKernel } from '../../../plugin-sdk/testing.ts';

export type Fixtures = {
  checking: string; card: string;
  food: string; groceries: string; dining: string; otherFood: string; // Food and Drink group
  transport: string; fuel: string; // Transportation group
  income: string; salary: string; // an income group
  transferGroup: string; transfers: string; cardPayment: string; // transfer kinds
};

export type TxnFields = {
  accountId?: string; date: string; amount: string; payee?: string | null; currency?: string;
  categoryId?: string | null; categorySource?: 'user' | 'rule' | 'provider' | null; pfcPrimary?: string | null; pfcDetailed?: string | null;
  pending?: boolean; excluded?: boolean; isTransfer?: boolean;
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
    const otherFood = await cat('Other Food and Drink', food);
    const transport = await cat('Transportation', null);
    const fuel = await cat('Gas', transport);
    const income = await cat('Income', null, 'income');
    const salary = await cat('Salary', income, 'income');
    const transferGroup = await cat('Transfers', null, 'transfer');
    const transfers = await cat('Account transfer', transferGroup, 'transfer');
    // A transfer-kind category inside an expense group (a card payment filed under Transportation).
    const cardPayment = await cat('Card payment', transport, 'transfer');
    const map: [string, string][] = [
      ['FOOD_AND_DRINK', otherFood], ['FOOD_AND_DRINK_GROCERIES', groceries], ['FOOD_AND_DRINK_RESTAURANT', dining],
      ['TRANSPORTATION', fuel], ['TRANSPORTATION_GAS', fuel], ['TRANSFER_OUT', transfers],
    ];
    for (const [code, id] of map) await tx`insert into ledger.category_pfc (household_id, pfc_code, category_id) values (${householdId}, ${code}, ${id})`;
    return { checking, card, food, groceries, dining, otherFood, transport, fuel, income, salary, transferGroup, transfers, cardPayment };
  });
}

export async function insertTxns(t: TestKernel, householdId: string, accountId: string, rows: TxnFields[]): Promise<string[]> {
  return t.asHousehold(householdId, async (tx) => {
    const ids: string[] = [];
    for (const f of rows) {
      const [row] = await tx`insert into ledger.transactions (household_id, account_id, source, date, amount, currency, payee,
          category_id, category_source, provider_category_primary, provider_category_detailed, pending, excluded, is_transfer)
        values (${householdId}, ${f.accountId ?? accountId}, 'manual', ${f.date}, ${f.amount}, ${f.currency ?? 'EUR'}, ${f.payee ?? null},
          ${f.categoryId ?? null}, ${f.categorySource ?? (f.categoryId ? 'user' : null)}, ${f.pfcPrimary ?? null}, ${f.pfcDetailed ?? null},
          ${f.pending ?? false}, ${f.excluded ?? false}, ${f.isTransfer ?? false})
        returning id`;
      ids.push(row.id as string);
    }
    return ids;
  });
}
