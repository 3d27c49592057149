// Current balances and the daily balance history. Sources report balances (recordBalances, and
// upsertAccounts with a balance); a manual account's balance moves with its manual transactions.
import { z } from 'zod';
import { BalanceRecord, type BalanceRecordT } from '../schemas/accounts.ts';
import { Id, IsoDate } from '../schemas/common.ts';
import { foreignKeyAsNotFound, invalid, notFound, parse } from './errors.ts';
import { householdId, householdTimeZone, householdToday } from './household.ts';
import { jsonParam, type Tx } from './tx.ts';

/** Writes the account's current balance as today's entry in its history. */
export async function recordTodayBalance(tx: Tx, accountId: string): Promise<void> {
  await tx`
    insert into ledger.account_balances (household_id, account_id, date, balance, available_balance, as_of)
    select household_id, id, ${householdToday(tx)}, balance, available_balance, now() from ledger.accounts where id = ${accountId}
    on conflict (household_id, account_id, date)
    do update set balance = excluded.balance, available_balance = excluded.available_balance, as_of = excluded.as_of`;
}

export async function setManualBalance(tx: Tx, accountId: string, balance: string): Promise<void> {
  await tx`update ledger.accounts set balance = ${balance}, balance_as_of = now(), updated_at = now() where id = ${accountId}`;
  await recordTodayBalance(tx, accountId);
}

/**
 * Moves a manual account's balance by `delta` (a manual transaction added, changed or deleted). A
 * liability's balance is what is owed, so money out of it (a card purchase, negative) raises it.
 */
export async function adjustManualBalance(tx: Tx, accountId: string, delta: string): Promise<void> {
  const moved = await tx`
    update ledger.accounts set balance = balance + case when is_liability then -${delta}::numeric else ${delta}::numeric end,
      balance_as_of = now(), updated_at = now()
    where id = ${accountId} and source = 'manual' and ${delta}::numeric <> 0
    returning id`;
  if (moved.length) await recordTodayBalance(tx, accountId);
}

/**
 * Balances as a source saw them at a moment (e.g. Plaid's balances at sync). The account's current
 * balance moves only if this is not older than what it holds; the day's history entry is upserted.
 */
export async function recordSourceBalances(
  tx: Tx,
  rows: { accountId: string; current: string; available: string | null; asOf: string | null }[],
): Promise<void> {
  if (!rows.length) return;
  const json = rows.map((r) => ({ account_id: r.accountId, balance: r.current, available: r.available, as_of: r.asOf }));
  await tx`
    with s as (
      select account_id, balance, available, coalesce(as_of, now()) as as_of
      from jsonb_to_recordset(${jsonParam(json)}::text::jsonb) as s(account_id uuid, balance numeric, available numeric, as_of timestamptz)
    ), moved as (
      update ledger.accounts a
      set balance = s.balance, available_balance = s.available, balance_as_of = s.as_of, updated_at = now()
      from s where a.id = s.account_id and (a.balance_as_of is null or a.balance_as_of <= s.as_of)
      returning a.id
    )
    insert into ledger.account_balances (household_id, account_id, date, balance, available_balance, as_of)
    select ${householdId(tx)}, s.account_id, (s.as_of at time zone ${householdTimeZone(tx)})::date, s.balance, s.available, s.as_of from s
    on conflict (household_id, account_id, date)
    do update set balance = excluded.balance, available_balance = excluded.available_balance, as_of = excluded.as_of
    where ledger.account_balances.as_of <= excluded.as_of`
    .then(undefined, foreignKeyAsNotFound('account'));
}

/**
 * Daily balances (a statement's closing balance, a property valuation, a backfill). Each account's
 * current balance follows its latest entry unless it already holds a newer one.
 */
export async function recordBalances(tx: Tx, input: BalanceRecordT[]): Promise<void> {
  const records = parse(z.array(BalanceRecord).max(100_000), input);
  if (!records.length) return;
  const json = records.map((r) => ({ account_id: r.accountId, date: r.date, balance: r.balance, available: r.available ?? null }));
  const tz = householdTimeZone(tx);
  await tx`
    with s as (
      -- A daily balance is as of the end of its day (or now, for today).
      select *, least(now(), ((date + 1)::timestamp at time zone ${tz})) as as_of
      from jsonb_to_recordset(${jsonParam(json)}::text::jsonb) as s(account_id uuid, date date, balance numeric, available numeric)
    ), history as (
      insert into ledger.account_balances (household_id, account_id, date, balance, available_balance, as_of)
      select distinct on (account_id, date) ${householdId(tx)}, account_id, date, balance, available, as_of from s
      on conflict (household_id, account_id, date)
      do update set balance = excluded.balance, available_balance = excluded.available_balance, as_of = excluded.as_of
      where ledger.account_balances.as_of <= excluded.as_of
    ), latest as (
      select distinct on (account_id) * from s order by account_id, date desc
    )
    update ledger.accounts a
    set balance = l.balance, available_balance = l.available, updated_at = now(), balance_as_of = l.as_of
    from latest l
    where a.id = l.account_id and (a.balance_as_of is null or (a.balance_as_of at time zone ${tz})::date <= l.date)`
    .then(undefined, foreignKeyAsNotFound('account'));
}

export async function balanceHistory(
  tx: Tx,
  accountId: string,
  range: { from?: string; to?: string } = {},
): Promise<{ date: string; balance: string; availableBalance: string | null }[]> {
  if (!Id.safeParse(accountId).success) throw notFound('account');
  for (const d of [range.from, range.to]) if (d !== undefined && !IsoDate.safeParse(d).success) throw invalid('dates are YYYY-MM-DD');
  const [account] = await tx`select 1 from ledger.accounts where id = ${accountId}`;
  if (!account) throw notFound('account');
  const rows = await tx<{ date: string; balance: string; available_balance: string | null }>`
    select to_char(date, 'YYYY-MM-DD') as date, balance, available_balance from ledger.account_balances
    where account_id = ${accountId}
      and date >= coalesce(${range.from ?? null}::date, '-infinity') and date <= coalesce(${range.to ?? null}::date, 'infinity')
    order by date`;
  return rows.map((r) => ({ date: r.date, balance: r.balance, availableBalance: r.available_balance }));
}
