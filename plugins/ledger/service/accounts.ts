// Accounts the user manages: list, get, create (manual), edit, delete.
import {
  AccountCreate, AccountUpdate, type AccountCreateT, type AccountT, type AccountUpdateT,
} from '../schemas/accounts.ts';
import { Id } from '../schemas/common.ts';
import { recordTodayBalance, setManualBalance } from './balances.ts';
import { invalid, notFound, parse } from './errors.ts';
import { householdId } from './household.ts';
import { isoTime, join, type Fragment, type Tx } from './tx.ts';

type AccountRow = {
  id: string; name: string; provider_name: string | null; type: AccountT['type']; is_liability: boolean;
  subtype: string | null; currency: string; institution: string | null; mask: string | null; source: string;
  external_id: string | null; closed: boolean; balance: string; available_balance: string | null;
  balance_as_of: Date | string | null; created_at: Date | string; updated_at: Date | string;
};

export const toAccount = (r: AccountRow): AccountT => ({
  id: r.id,
  name: r.name,
  providerName: r.provider_name,
  type: r.type,
  classification: r.is_liability ? 'liability' : 'asset',
  subtype: r.subtype,
  currency: r.currency,
  institution: r.institution,
  mask: r.mask,
  source: r.source,
  externalId: r.external_id,
  closed: r.closed,
  balance: r.balance,
  availableBalance: r.available_balance,
  balanceAsOf: r.balance_as_of === null ? null : isoTime(r.balance_as_of),
  createdAt: isoTime(r.created_at),
  updatedAt: isoTime(r.updated_at),
});

/** Open accounts (and closed ones when asked), liabilities after assets, by type then name. */
export async function listAccounts(tx: Tx, opts: { includeClosed?: boolean } = {}): Promise<AccountT[]> {
  const rows = await tx<AccountRow>`
    select * from ledger.accounts
    where ${opts.includeClosed ? tx`true` : tx`not closed`}
    order by is_liability, type, lower(name), id`;
  return rows.map(toAccount);
}

export async function getAccount(tx: Tx, id: string): Promise<AccountT> {
  if (!Id.safeParse(id).success) throw notFound('account');
  const [row] = await tx<AccountRow>`select * from ledger.accounts where id = ${id}`;
  if (!row) throw notFound('account');
  return toAccount(row);
}

export async function createAccount(tx: Tx, input: AccountCreateT): Promise<AccountT> {
  const a = parse(AccountCreate, input);
  const [row] = await tx<AccountRow>`
    insert into ledger.accounts (household_id, name, type, subtype, currency, institution, source, balance, balance_as_of)
    values (${householdId(tx)}, ${a.name}, ${a.type}, ${a.subtype ?? null}, ${a.currency}, ${a.institution ?? null},
            'manual', ${a.balance}, now())
    returning *`;
  await recordTodayBalance(tx, row.id);
  return toAccount(row);
}

export async function updateAccount(tx: Tx, id: string, input: AccountUpdateT): Promise<AccountT> {
  const patch = parse(AccountUpdate, input);
  const current = await getAccount(tx, id);
  if (patch.balance !== undefined) {
    if (current.source !== 'manual') throw invalid(`the balance of this account comes from ${current.source}`);
    await setManualBalance(tx, id, patch.balance);
  }
  const set: Fragment[] = [];
  if (patch.name !== undefined) set.push(tx`name = ${patch.name}`);
  if (patch.type !== undefined) set.push(tx`type = ${patch.type}`);
  if (patch.subtype !== undefined) set.push(tx`subtype = ${patch.subtype}`);
  if (patch.institution !== undefined) set.push(tx`institution = ${patch.institution}`);
  if (patch.closed !== undefined) set.push(tx`closed = ${patch.closed}`);
  if (!set.length) return getAccount(tx, id);
  const [row] = await tx<AccountRow>`
    update ledger.accounts set ${join(tx, set, ', ')}, updated_at = now() where id = ${id} returning *`;
  return toAccount(row);
}

/** Deletes the account with its transactions and balance history. */
export async function deleteAccount(tx: Tx, id: string): Promise<{ transactionIds: string[] }> {
  await getAccount(tx, id);
  const gone = await tx`delete from ledger.transactions where account_id = ${id} returning id`;
  await tx`delete from ledger.accounts where id = ${id}`;
  return { transactionIds: gone.map((r) => r.id as string) };
}
