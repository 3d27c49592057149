-- Daily totals of transactions, kept by triggers: what budgets (and any spending report) sum instead
-- of every transaction. One row per household, day and "kind of money" (currency, category with who
-- chose it, provider category, pending, excluded, transfer), holding the sum of amounts and the count.
-- A month of a busy household is a few hundred rows here instead of tens of thousands.
--
-- Added by the rules/budgets work (issue 5) as its own file. The triggers are statement-level with
-- transition tables: one grouped upsert per statement, whatever its size, so bulk writes (a sync
-- batch, rules applied to existing transactions) pay once per statement, not once per row. Keys are
-- upserted in key order so two concurrent writers never lock them in opposite orders.
-- Correct for every write to ledger.transactions (insert, update, delete, cascades); TRUNCATE is not
-- used on this table. Rows from before this migration: ledger.rebuild_day_totals() recomputes the
-- bound household's totals (the budgets plugin calls it when a household has transactions but no
-- totals yet; a migration cannot, as row-level security hides every household from it).

create table day_totals (
  household_id uuid not null references kernel.households on delete cascade,
  date date not null,
  currency text not null,
  category_id uuid,
  category_source text,
  provider_category_primary text,
  provider_category_detailed text,
  pending boolean not null,
  excluded boolean not null,
  is_transfer boolean not null,
  amount numeric not null,
  n integer not null
);
create unique index day_totals_key on day_totals (household_id, date, currency, category_id, category_source,
  provider_category_primary, provider_category_detailed, pending, excluded, is_transfer) nulls not distinct;

alter table day_totals enable row level security;
alter table day_totals force row level security;
create policy household_isolation on day_totals
  using (household_id = (select kernel.current_household()))
  with check (household_id = (select kernel.current_household()));

create function day_totals_after_insert() returns trigger
language plpgsql security invoker set search_path = ledger, pg_catalog as $$
begin
  insert into day_totals as d (household_id, date, currency, category_id, category_source, provider_category_primary,
    provider_category_detailed, pending, excluded, is_transfer, amount, n)
  select household_id, date, currency, category_id, category_source, provider_category_primary, provider_category_detailed,
    pending, excluded, is_transfer, sum(amount), count(*)
  from new_rows
  group by 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
  order by 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
  on conflict (household_id, date, currency, category_id, category_source, provider_category_primary,
    provider_category_detailed, pending, excluded, is_transfer)
  do update set amount = d.amount + excluded.amount, n = d.n + excluded.n;
  return null;
end $$;

create function day_totals_after_delete() returns trigger
language plpgsql security invoker set search_path = ledger, pg_catalog as $$
begin
  insert into day_totals as d (household_id, date, currency, category_id, category_source, provider_category_primary,
    provider_category_detailed, pending, excluded, is_transfer, amount, n)
  select household_id, date, currency, category_id, category_source, provider_category_primary, provider_category_detailed,
    pending, excluded, is_transfer, -sum(amount), -count(*)
  from old_rows
  group by 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
  order by 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
  on conflict (household_id, date, currency, category_id, category_source, provider_category_primary,
    provider_category_detailed, pending, excluded, is_transfer)
  do update set amount = d.amount + excluded.amount, n = d.n + excluded.n;
  delete from day_totals d where d.n = 0 and d.date in (select distinct date from old_rows);
  return null;
end $$;

create function day_totals_after_update() returns trigger
language plpgsql security invoker set search_path = ledger, pg_catalog as $$
begin
  -- Old rows out, new rows in, netted per key first: an update that changes nothing a total is
  -- keyed or summed by (notes, tags, payee...) writes nothing here.
  insert into day_totals as d (household_id, date, currency, category_id, category_source, provider_category_primary,
    provider_category_detailed, pending, excluded, is_transfer, amount, n)
  select household_id, date, currency, category_id, category_source, provider_category_primary, provider_category_detailed,
    pending, excluded, is_transfer, sum(amount), sum(n)
  from (
    select household_id, date, currency, category_id, category_source, provider_category_primary, provider_category_detailed,
      pending, excluded, is_transfer, amount, 1 as n from new_rows
    union all
    select household_id, date, currency, category_id, category_source, provider_category_primary, provider_category_detailed,
      pending, excluded, is_transfer, -amount, -1 from old_rows
  ) delta
  group by 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
  having sum(n) <> 0 or sum(amount) <> 0
  order by 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
  on conflict (household_id, date, currency, category_id, category_source, provider_category_primary,
    provider_category_detailed, pending, excluded, is_transfer)
  do update set amount = d.amount + excluded.amount, n = d.n + excluded.n;
  delete from day_totals d where d.n = 0 and d.date in (select date from old_rows union select date from new_rows);
  return null;
end $$;

create trigger day_totals_insert after insert on transactions
  referencing new table as new_rows for each statement execute function day_totals_after_insert();
create trigger day_totals_update after update on transactions
  referencing old table as old_rows new table as new_rows for each statement execute function day_totals_after_update();
create trigger day_totals_delete after delete on transactions
  referencing old table as old_rows for each statement execute function day_totals_after_delete();

-- Recomputes the bound household's totals from its transactions (row-level security scopes both).
-- Two callers at once: the second waits for the first, then recomputes the same totals.
create function rebuild_day_totals() returns void
language sql security invoker set search_path = ledger, pg_catalog as $$
  select pg_advisory_xact_lock(hashtextextended('ledger.day_totals:' || kernel.current_household()::text, 0));
  delete from day_totals;
  insert into day_totals (household_id, date, currency, category_id, category_source, provider_category_primary,
    provider_category_detailed, pending, excluded, is_transfer, amount, n)
  select household_id, date, currency, category_id, category_source, provider_category_primary, provider_category_detailed,
    pending, excluded, is_transfer, sum(amount), count(*)
  from transactions
  group by 1, 2, 3, 4, 5, 6, 7, 8, 9, 10;
$$;
