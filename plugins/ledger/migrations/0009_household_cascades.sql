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
--   longer exists, which the totals' foreign key refused (the whole delete failed on 15). The totals
--   triggers now drop the deltas of households that are gone: there is nothing left to add them to.
--
-- The kernel's own household deletion deletes table by table under the household's binding while
-- the household still exists, and was not affected.

create policy owner_cascades_read on transactions for select to current_user using (true);
create policy owner_cascades_delete on transactions for delete to current_user using (true);
create policy owner_cascades_update on transactions for update to current_user using (true) with check (true);

-- 0007's add_to_totals keeps doing the adding under a new name; add_to_totals, which the triggers
-- call by name, first drops the deltas of missing households (one hashed lookup of the households
-- the writer can see: under a binding, its own).
alter function add_to_totals(totals_delta[]) rename to add_to_existing_totals;

create function add_to_totals(deltas totals_delta[]) returns void
language plpgsql security invoker set search_path = ledger, pg_catalog as $$
begin
  if exists (select from unnest(deltas) d where d.household_id not in (select h.id from kernel.households h)) then
    deltas := array(select d from unnest(deltas) d where d.household_id in (select h.id from kernel.households h));
  end if;
  perform add_to_existing_totals(deltas);
end $$;
