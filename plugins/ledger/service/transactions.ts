// Transactions the user touches: get, enter by hand, edit, delete. A category chosen here is the
// user's (category_source 'user') and no source or rule will change it afterwards.
import { Id } from '../schemas/common.ts';
import {
  SOURCE_OWNED_FIELDS, TransactionCreate, TransactionUpdate, type TransactionCreateT, type TransactionT, type TransactionUpdateT,
} from '../schemas/transactions.ts';
import { getAccount } from './accounts.ts';
import { adjustManualBalance } from './balances.ts';
import { foreignKeyAsNotFound, invalid, notFound, parse } from './errors.ts';
import { householdId } from './household.ts';
import { selectTransactions, toTransaction } from './transaction-row.ts';
import { join, type Fragment, type Tx } from './tx.ts';

export async function getTransaction(tx: Tx, id: string): Promise<TransactionT> {
  if (!Id.safeParse(id).success) throw notFound('transaction');
  const [row] = await selectTransactions(tx, tx`(select * from ledger.transactions where id = ${id})`);
  if (!row) throw notFound('transaction');
  return toTransaction(row);
}

export async function createTransaction(tx: Tx, input: TransactionCreateT): Promise<TransactionT> {
  const t = parse(TransactionCreate, input);
  const account = await getAccount(tx, t.accountId);
  const category = t.categoryId ?? null;
  const [{ id }] = await tx<{ id: string }>`
    insert into ledger.transactions (household_id, account_id, source, date, amount, currency, payee, description, notes,
      pending, category_id, category_source, tags, excluded, is_transfer)
    values (${householdId(tx)}, ${account.id}, 'manual', ${t.date}, ${t.amount}, ${t.currency ?? account.currency},
      ${t.payee ?? null}, ${t.description ?? null}, ${t.notes ?? null}, ${t.pending}, ${category},
      ${category ? 'user' : null}, ${t.tags}::text[], ${t.excluded}, ${t.isTransfer})
    returning id`.then(undefined, foreignKeyAsNotFound('category'));
  await adjustManualBalance(tx, account.id, t.amount);
  return getTransaction(tx, id);
}

export async function updateTransaction(tx: Tx, id: string, input: TransactionUpdateT): Promise<TransactionT> {
  const patch = parse(TransactionUpdate, input);
  const current = await getTransaction(tx, id);
  const touchesSourceFields = SOURCE_OWNED_FIELDS.some((f) => patch[f] !== undefined);
  if (touchesSourceFields && current.source !== 'manual') {
    throw invalid(`date, amount, payee, description and pending come from ${current.source}; only category, notes, tags, excluded and transfer can be edited`);
  }
  const set: Fragment[] = [];
  if (patch.categoryId !== undefined) set.push(tx`category_id = ${patch.categoryId}::uuid, category_source = 'user'`);
  if (patch.notes !== undefined) set.push(tx`notes = ${patch.notes}`);
  if (patch.tags !== undefined) set.push(tx`tags = ${patch.tags}::text[]`);
  if (patch.excluded !== undefined) set.push(tx`excluded = ${patch.excluded}`);
  if (patch.isTransfer !== undefined) set.push(tx`is_transfer = ${patch.isTransfer}`);
  if (patch.date !== undefined) set.push(tx`date = ${patch.date}::date`);
  if (patch.amount !== undefined) set.push(tx`amount = ${patch.amount}::numeric`);
  if (patch.payee !== undefined) set.push(tx`payee = ${patch.payee}`);
  if (patch.description !== undefined) set.push(tx`description = ${patch.description}`);
  if (patch.pending !== undefined) set.push(tx`pending = ${patch.pending}`);
  if (!set.length) return current;
  const [{ delta }] = await tx<{ delta: string }>`
    update ledger.transactions t set ${join(tx, set, ', ')}, updated_at = now()
    from (select amount from ledger.transactions where id = ${id} for update) old
    where t.id = ${id}
    returning (t.amount - old.amount)::text as delta`.then(undefined, foreignKeyAsNotFound('category'));
  await adjustManualBalance(tx, current.accountId, delta);
  return getTransaction(tx, id);
}

export async function deleteTransaction(tx: Tx, id: string): Promise<void> {
  if (!Id.safeParse(id).success) throw notFound('transaction');
  const [gone] = await tx<{ account_id: string; source: string; delta: string }>`delete from ledger.transactions where id = ${id} returning account_id, source, (-amount)::text as delta`;
  if (!gone) throw notFound('transaction');
  if (gone.source === 'manual') await adjustManualBalance(tx, gone.account_id, gone.delta);
}
