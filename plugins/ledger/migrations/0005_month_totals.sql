-- Monthly totals beside the daily ones (0004): the same keys, summed per calendar month. Budgets on
-- months, quarters and years add up a few dozen rows per month from here (a two-year rollover is a
-- thousand rows, not tens of thousands); custom date spans still add up days. Kept by the same
-- statement triggers, in the same statement as the daily totals (the functions of 0004 are
-- replaced). Added by the rules/budgets work (issue 5), as its own file.

create table month_totals (
  household_id uuid not null references kernel.households on delete cascade,
  month date not null check (extract(day from month) = 1),
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
create unique index month_totals_key on month_totals (household_id, month, currency, category_id, category_source, provider_category_primary, provider_category_detailed, pending, excluded, is_transfer) nulls not distinct;

alter table month_totals enable row level security;
alter table month_totals force row level security;
create policy household_isolation on month_totals
  using (household_id = (select kernel.current_household()))
  with check (household_id = (select kernel.current_household()));

-- Each trigger groups its statement's rows into a signed delta per day and key, adds it to the daily
-- totals and (grouped again) to the monthly ones, in key order so concurrent writers never lock keys
-- in opposite orders, then drops keys that net to nothing.
create or replace function day_totals_after_insert() returns trigger
language plpgsql security invoker set search_path = ledger, pg_catalog as $$
begin
  -- An upsert that changed nothing (a re-delivered sync page) still fires statement triggers.
  if not exists (select from new_rows) then return null; end if;
  with delta as (
    select household_id, date, currency, category_id, category_source, provider_category_primary, provider_category_detailed, pending, excluded, is_transfer, sum(amount) as amount, count(*)::int as n
    from new_rows group by 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
  ), days as (
    insert into day_totals as d (household_id, date, currency, category_id, category_source, provider_category_primary, provider_category_detailed, pending, excluded, is_transfer, amount, n)
    select household_id, date, currency, category_id, category_source, provider_category_primary, provider_category_detailed, pending, excluded, is_transfer, amount, n from delta
    order by 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
    on conflict (household_id, date, currency, category_id, category_source, provider_category_primary, provider_category_detailed, pending, excluded, is_transfer)
    do update set amount = d.amount + excluded.amount, n = d.n + excluded.n
  )
  insert into month_totals as m (household_id, month, currency, category_id, category_source, provider_category_primary, provider_category_detailed, pending, excluded, is_transfer, amount, n)
  select household_id, date_trunc('month', date)::date, currency, category_id, category_source, provider_category_primary, provider_category_detailed, pending, excluded, is_transfer, sum(amount), sum(n)
  from delta
  group by 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
  having sum(n) <> 0 or sum(amount) <> 0
  order by 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
  on conflict (household_id, month, currency, category_id, category_source, provider_category_primary, provider_category_detailed, pending, excluded, is_transfer)
  do update set amount = m.amount + excluded.amount, n = m.n + excluded.n;
  return null;
end $$;

create or replace function day_totals_after_delete() returns trigger
language plpgsql security invoker set search_path = ledger, pg_catalog as $$
begin
  if not exists (select from old_rows) then return null; end if;
  with delta as (
    select household_id, date, currency, category_id, category_source, provider_category_primary, provider_category_detailed, pending, excluded, is_transfer, -sum(amount) as amount, -count(*)::int as n
    from old_rows group by 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
  ), days as (
    insert into day_totals as d (household_id, date, currency, category_id, category_source, provider_category_primary, provider_category_detailed, pending, excluded, is_transfer, amount, n)
    select household_id, date, currency, category_id, category_source, provider_category_primary, provider_category_detailed, pending, excluded, is_transfer, amount, n from delta
    order by 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
    on conflict (household_id, date, currency, category_id, category_source, provider_category_primary, provider_category_detailed, pending, excluded, is_transfer)
    do update set amount = d.amount + excluded.amount, n = d.n + excluded.n
  )
  insert into month_totals as m (household_id, month, currency, category_id, category_source, provider_category_primary, provider_category_detailed, pending, excluded, is_transfer, amount, n)
  select household_id, date_trunc('month', date)::date, currency, category_id, category_source, provider_category_primary, provider_category_detailed, pending, excluded, is_transfer, sum(amount), sum(n)
  from delta
  group by 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
  having sum(n) <> 0 or sum(amount) <> 0
  order by 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
  on conflict (household_id, month, currency, category_id, category_source, provider_category_primary, provider_category_detailed, pending, excluded, is_transfer)
  do update set amount = m.amount + excluded.amount, n = m.n + excluded.n;
  delete from day_totals d where d.n = 0 and d.date in (select distinct date from old_rows);
  delete from month_totals m where m.n = 0 and m.month in (select distinct date_trunc('month', date)::date from old_rows);
  return null;
end $$;

-- Old rows out, new rows in, netted per key first: an update that changes nothing a total is keyed
-- or summed by (notes, tags, payee...) writes nothing here.
create or replace function day_totals_after_update() returns trigger
language plpgsql security invoker set search_path = ledger, pg_catalog as $$
begin
  if not exists (select from new_rows) then return null; end if;
  with delta as (
    select household_id, date, currency, category_id, category_source, provider_category_primary, provider_category_detailed, pending, excluded, is_transfer, sum(amount) as amount, sum(n)::int as n
    from (select household_id, date, currency, category_id, category_source, provider_category_primary, provider_category_detailed, pending, excluded, is_transfer, amount, 1 as n from new_rows
          union all
          select household_id, date, currency, category_id, category_source, provider_category_primary, provider_category_detailed, pending, excluded, is_transfer, -amount, -1 from old_rows) x
    group by 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
    having sum(n) <> 0 or sum(amount) <> 0
  ), days as (
    insert into day_totals as d (household_id, date, currency, category_id, category_source, provider_category_primary, provider_category_detailed, pending, excluded, is_transfer, amount, n)
    select household_id, date, currency, category_id, category_source, provider_category_primary, provider_category_detailed, pending, excluded, is_transfer, amount, n from delta
    order by 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
    on conflict (household_id, date, currency, category_id, category_source, provider_category_primary, provider_category_detailed, pending, excluded, is_transfer)
    do update set amount = d.amount + excluded.amount, n = d.n + excluded.n
  )
  insert into month_totals as m (household_id, month, currency, category_id, category_source, provider_category_primary, provider_category_detailed, pending, excluded, is_transfer, amount, n)
  select household_id, date_trunc('month', date)::date, currency, category_id, category_source, provider_category_primary, provider_category_detailed, pending, excluded, is_transfer, sum(amount), sum(n)
  from delta
  group by 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
  having sum(n) <> 0 or sum(amount) <> 0
  order by 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
  on conflict (household_id, month, currency, category_id, category_source, provider_category_primary, provider_category_detailed, pending, excluded, is_transfer)
  do update set amount = m.amount + excluded.amount, n = m.n + excluded.n;
  delete from day_totals d where d.n = 0 and d.date in (select date from old_rows union select date from new_rows);
  delete from month_totals m where m.n = 0
    and m.month in (select date_trunc('month', date)::date from old_rows union select date_trunc('month', date)::date from new_rows);
  return null;
end $$;

-- Recomputes the bound household's daily and monthly totals from its transactions.
create or replace function rebuild_day_totals() returns void
language sql security invoker set search_path = ledger, pg_catalog as $$
  select pg_advisory_xact_lock(hashtextextended('ledger.day_totals:' || kernel.current_household()::text, 0));
  delete from day_totals;
  delete from month_totals;
  insert into day_totals (household_id, date, currency, category_id, category_source, provider_category_primary, provider_category_detailed, pending, excluded, is_transfer, amount, n)
  select household_id, date, currency, category_id, category_source, provider_category_primary, provider_category_detailed, pending, excluded, is_transfer, sum(amount), count(*)
  from transactions
  group by 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
  order by 2; -- rows of a day together on disk: a date range is a short heap range
  insert into month_totals (household_id, month, currency, category_id, category_source, provider_category_primary, provider_category_detailed, pending, excluded, is_transfer, amount, n)
  select household_id, date_trunc('month', date)::date, currency, category_id, category_source, provider_category_primary, provider_category_detailed, pending, excluded, is_transfer, sum(amount), sum(n)
  from day_totals
  group by 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
  order by 2;
$$;
