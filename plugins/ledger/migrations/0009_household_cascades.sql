-- Deleting a household row (`delete from kernel.households`, as a superuser or the owner role)
-- deletes its ledger rows by foreign-key cascade, and two things went wrong on the way:
--
-- * Its accounts' transactions go through 0008's trigger on accounts, which runs as the invoker.
--   PostgreSQL 18 runs a cascade's triggers as the referencing table's owner, under this table's
--   forced row-level security and no household binding: the trigger saw no transactions, and they
--   stayed behind, orphaned (PostgreSQL 15 runs them as the deleting superuser, who sees all).
--   The owner (the role this migration runs as) now has policies to read, delete and update
--   transactions across households, for exactly such cascades. It could lift row-level security
--   on its own tables anyway; the app role is a member of no role and cannot use them.
-- * The cascade removes totals and transactions in an order PostgreSQL picks. Totals first, then
--   the transactions' delete trigger upserted their deltas into totals of a household that no
--   longer exists, which the totals' foreign key refused (the whole delete failed on 15). The delete
--   and update triggers now drop the deltas of households that are gone: there is nothing left to
--   add them to. The insert trigger is unchanged: no row can be inserted for a missing household.
--
-- The kernel's own household deletion deletes table by table under the household's binding while
-- the household still exists, and was not affected.

create policy owner_cascades_read on transactions for select to current_user using (true);
create policy owner_cascades_delete on transactions for delete to current_user using (true);
create policy owner_cascades_update on transactions for update to current_user using (true) with check (true);

-- add_to_totals (0007) for the deltas of households that still exist: one hashed lookup of the
-- households the writer can see (under a binding, its own).
create function add_to_live_totals(deltas totals_delta[]) returns void
language plpgsql security invoker set search_path = ledger, pg_catalog as $$
begin
  if exists (select from unnest(deltas) d where d.household_id not in (select h.id from kernel.households h)) then
    deltas := array(select d from unnest(deltas) d where d.household_id in (select h.id from kernel.households h));
  end if;
  perform add_to_totals(deltas);
end $$;

-- As in 0007, but through add_to_live_totals.
create or replace function day_totals_after_delete() returns trigger
language plpgsql security invoker set search_path = ledger, pg_catalog as $$
begin
  if not exists (select from old_rows) then return null; end if;
  perform add_to_live_totals(array(
    select row(g.*)::totals_delta from (
      select household_id, date, currency, category_id, category_source, provider_category_primary, provider_category_detailed, pending, excluded, is_transfer, -sum(amount), -count(*)::int
      from old_rows group by 1, 2, 3, 4, 5, 6, 7, 8, 9, 10) g));
  return null;
end $$;

create or replace function day_totals_after_update() returns trigger
language plpgsql security invoker set search_path = ledger, pg_catalog as $$
begin
  if not exists (select from new_rows) then return null; end if;
  perform add_to_live_totals(array(
    select row(g.*)::totals_delta from (
      select household_id, date, currency, category_id, category_source, provider_category_primary, provider_category_detailed, pending, excluded, is_transfer, sum(amount), sum(n)::int
      from (select household_id, date, currency, category_id, category_source, provider_category_primary, provider_category_detailed, pending, excluded, is_transfer, amount, 1 as n from new_rows
            union all
            select household_id, date, currency, category_id, category_source, provider_category_primary, provider_category_detailed, pending, excluded, is_transfer, -amount, -1 from old_rows) x
      group by 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
      having sum(n) <> 0 or sum(amount) <> 0) g));
  return null;
end $$;
