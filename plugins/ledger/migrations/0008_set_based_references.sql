-- A transaction's account and category are checked once per statement, not once per row.
--
-- The foreign keys of 0001 ran one lookup (and one row lock) per written row: for a 500-row sync
-- page that is 1,000 lookups of the same four accounts and few categories, a fifth of PostgreSQL's
-- time in the ingest bench and an eighth of it when rules re-categorize 400,000 rows. Measured with
-- both keys simply dropped: one sync 19.5–20.6k → 23.6–25.2k transactions/s. These triggers keep what
-- the keys guaranteed at the cost of one lookup per distinct account and category in a statement:
--
--   * every written row names an account, and a category or none, of its own household (23503,
--     foreign_key_violation, as before: the ledger's services turn it into a 404);
--   * those accounts and categories are locked FOR KEY SHARE until the writer commits, as a foreign
--     key locks them, so a concurrent delete waits, then sees the new rows and handles them;
--   * deleting an account deletes its transactions; deleting a category uncategorizes its
--     transactions (category_id only, as `on delete set null (category_id)` did);
--   * the id and household of an account or category never change (nothing changes them; a foreign
--     key would refuse it while referenced).
--
-- One difference: a foreign key's delete actions also see rows committed after a REPEATABLE READ
-- transaction's snapshot, and these statements do not, so deleting accounts or categories is refused
-- outside READ COMMITTED (the kernel's level) rather than risk leaving a row behind.

alter table transactions
  drop constraint transactions_household_id_account_id_fkey,
  drop constraint transactions_household_id_category_id_fkey;

-- Security definer, like a foreign key's own check (which runs as the referenced table's owner): the
-- lock needs UPDATE rights a writer such as the rules plugin does not hold. It runs under the
-- writer's household binding, so only that household's accounts and categories count.
create function transactions_check_references() returns trigger
language plpgsql security definer set search_path = ledger, pg_catalog as $$
declare
  wanted bigint;
  found bigint;
  missing uuid;
begin
  select count(*) into wanted from (select distinct household_id, account_id from new_rows) n;
  if wanted > 0 then
    -- In key order, so two writers never wait on each other's locks in opposite orders.
    perform from accounts a join (select distinct household_id, account_id from new_rows) n
      on a.household_id = n.household_id and a.id = n.account_id
      order by a.household_id, a.id for key share of a;
    get diagnostics found = row_count;
    if found < wanted then
      select n.account_id into missing from new_rows n
        where not exists (select from accounts a where a.household_id = n.household_id and a.id = n.account_id) limit 1;
      raise foreign_key_violation using message = format('transactions name account %s, which is not in this household', missing),
        table = 'transactions', column = 'account_id';
    end if;
  end if;

  select count(*) into wanted from (select distinct household_id, category_id from new_rows where category_id is not null) n;
  if wanted > 0 then
    perform from categories c join (select distinct household_id, category_id from new_rows where category_id is not null) n
      on c.household_id = n.household_id and c.id = n.category_id
      order by c.household_id, c.id for key share of c;
    get diagnostics found = row_count;
    if found < wanted then
      select n.category_id into missing from new_rows n
        where n.category_id is not null
          and not exists (select from categories c where c.household_id = n.household_id and c.id = n.category_id) limit 1;
      raise foreign_key_violation using message = format('transactions name category %s, which is not in this household', missing),
        table = 'transactions', column = 'category_id';
    end if;
  end if;
  return null;
end $$;

create trigger references_insert after insert on transactions
  referencing new table as new_rows for each statement execute function transactions_check_references();
create trigger references_update after update on transactions
  referencing new table as new_rows for each statement execute function transactions_check_references();

-- Refuses what a foreign key's delete action would get wrong outside READ COMMITTED (see the top).
create function references_require_read_committed() returns void
language plpgsql as $$
begin
  if current_setting('transaction_isolation') <> 'read committed' then
    raise object_not_in_prerequisite_state using
      message = 'deleting ledger accounts or categories needs a READ COMMITTED transaction';
  end if;
end $$;

-- Security invoker: the deleter's binding scopes the statement, and a superuser (no binding, no
-- row-level security) deleting accounts reaches every one of their transactions.
create function accounts_delete_transactions() returns trigger
language plpgsql security invoker set search_path = ledger, pg_catalog as $$
begin
  if not exists (select from old_rows) then return null; end if;
  perform references_require_read_committed();
  delete from transactions t using old_rows o where t.household_id = o.household_id and t.account_id = o.id;
  return null;
end $$;

create function categories_uncategorize_transactions() returns trigger
language plpgsql security invoker set search_path = ledger, pg_catalog as $$
begin
  if not exists (select from old_rows) then return null; end if;
  perform references_require_read_committed();
  update transactions t set category_id = null from old_rows o where t.household_id = o.household_id and t.category_id = o.id;
  return null;
end $$;

create trigger transactions_cascade after delete on accounts
  referencing old table as old_rows for each statement execute function accounts_delete_transactions();
create trigger transactions_uncategorize after delete on categories
  referencing old table as old_rows for each statement execute function categories_uncategorize_transactions();

create function references_keep_keys() returns trigger
language plpgsql as $$
begin
  raise foreign_key_violation using message = format('the id and household of %s rows never change', tg_table_name), table = tg_table_name;
end $$;

create trigger keep_keys before update of household_id, id on accounts
  for each row when (old.household_id is distinct from new.household_id or old.id is distinct from new.id)
  execute function references_keep_keys();
create trigger keep_keys before update of household_id, id on categories
  for each row when (old.household_id is distinct from new.household_id or old.id is distinct from new.id)
  execute function references_keep_keys();
