-- The ledger: accounts, daily balances, categories (with their Plaid PFC mapping) and transactions.
-- Runs in schema `ledger` (search_path = ledger, pg_catalog) as the owner role.
-- Every table is household-owned: household_id leads every key and index, and forced row-level
-- security admits only the household bound to the transaction (kernel.current_household()).
-- Money is numeric without a scale limit (crypto has 8+ decimals); negative = money out.

-- The bound household's time zone and base currency, for "today" and net worth. Security definer so
-- the ledger needs no grant on kernel.households (a sandboxed ledger has its own role); it can only
-- ever return the household this transaction is bound to.
create function household_profile(out time_zone text, out base_currency text)
language sql stable security definer set search_path = pg_catalog, pg_temp as $$
  select h.time_zone, trim(h.base_currency) from kernel.households h where h.id = kernel.current_household()
$$;

create table accounts (
  household_id uuid not null references kernel.households on delete cascade,
  id uuid not null default gen_random_uuid(),
  name text not null check (char_length(name) between 1 and 200),
  -- What the source calls it; `name` is the user's and a sync never overwrites it.
  provider_name text check (char_length(provider_name) <= 200),
  type text not null check (type in ('depository', 'credit', 'loan', 'investment', 'property', 'vehicle',
                                     'crypto', 'other_asset', 'other_liability')),
  is_liability boolean not null generated always as (type in ('credit', 'loan', 'other_liability')) stored,
  subtype text check (char_length(subtype) <= 100),
  currency text not null check (currency ~ '^[A-Z][A-Z0-9]{2,9}$'),
  institution text check (char_length(institution) <= 200),
  mask text check (char_length(mask) <= 10),
  -- 'manual' or the id of the plugin that feeds the account; external_id is that source's id for it.
  source text not null check (source = 'manual' or source ~ '^[a-z][a-z0-9-]{1,49}$'),
  external_id text check (char_length(external_id) between 1 and 255),
  closed boolean not null default false,
  -- Current balance as the institution reports it: for liabilities, positive = owed.
  balance numeric not null default 0,
  available_balance numeric,
  balance_as_of timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (household_id, id),
  check (source = 'manual' or external_id is not null)
);
create unique index accounts_source_key on accounts (household_id, source, external_id);

-- One balance per account and day: the one with the latest as_of (when it was true), so a late,
-- stale report never replaces a newer one.
create table account_balances (
  household_id uuid not null,
  account_id uuid not null,
  date date not null,
  balance numeric not null,
  available_balance numeric,
  as_of timestamptz not null default now(),
  primary key (household_id, account_id, date),
  foreign key (household_id, account_id) references accounts on delete cascade
);

-- Two levels: groups (parent_id null) and categories inside a group. The generated columns let a
-- foreign key enforce the depth: a category's parent must be a group, and a group that has
-- categories cannot itself be moved under another group.
create table categories (
  household_id uuid not null references kernel.households on delete cascade,
  id uuid not null default gen_random_uuid(),
  parent_id uuid,
  name text not null check (char_length(name) between 1 and 100 and name = btrim(name)),
  kind text not null check (kind in ('expense', 'income', 'transfer')),
  hidden boolean not null default false,
  position integer not null default 0,
  is_group boolean not null generated always as (parent_id is null) stored,
  parent_is_group boolean generated always as (case when parent_id is not null then true end) stored,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (household_id, id),
  unique (household_id, id, is_group),
  foreign key (household_id, parent_id, parent_is_group) references categories (household_id, id, is_group)
);
create unique index categories_name on categories (household_id, parent_id, lower(name)) nulls not distinct;

-- Which household category a Plaid personal-finance-category code lands in. Codes are PFC detailed
-- codes (v2, plus v1 codes that were renamed) and primary codes (the fallback: the group's "Other").
create table category_pfc (
  household_id uuid not null,
  pfc_code text not null check (pfc_code ~ '^[A-Z][A-Z_]{1,99}$'),
  category_id uuid not null,
  primary key (household_id, pfc_code),
  foreign key (household_id, category_id) references categories on delete cascade
);
create index category_pfc_category on category_pfc (household_id, category_id);

create table transactions (
  household_id uuid not null,
  id uuid not null default gen_random_uuid(),
  account_id uuid not null,
  -- 'manual' or the plugin that delivered it; external_id is the source's id, unique per account,
  -- so re-delivery updates instead of duplicating.
  source text not null check (source = 'manual' or source ~ '^[a-z][a-z0-9-]{1,49}$'),
  external_id text check (char_length(external_id) between 1 and 255),
  date date not null,
  authorized_date date,
  amount numeric not null,
  currency text not null check (currency ~ '^[A-Z][A-Z0-9]{2,9}$'),
  payee text check (char_length(payee) <= 500),
  description text check (char_length(description) <= 2000),
  notes text check (char_length(notes) <= 10000),
  pending boolean not null default false,
  -- The source's id of the pending transaction this posted one replaced (the pending row is turned
  -- into the posted one in place, so its id, category, notes and tags carry over).
  pending_external_id text check (char_length(pending_external_id) between 1 and 255),
  category_id uuid,
  -- Who chose category_id: the user (never overwritten by automation), a rule, or the provider's
  -- category mapping. 'user' with a null category means "the user wants it uncategorized".
  category_source text check (category_source in ('user', 'rule', 'provider')),
  provider_category_primary text check (char_length(provider_category_primary) <= 100),
  provider_category_detailed text check (char_length(provider_category_detailed) <= 100),
  tags text[] not null default '{}' check (cardinality(tags) <= 50),
  excluded boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (household_id, id),
  foreign key (household_id, account_id) references accounts on delete cascade,
  foreign key (household_id, category_id) references categories on delete set null (category_id),
  check (source = 'manual' or external_id is not null)
);
create unique index transactions_source_key on transactions (household_id, account_id, source, external_id);
-- Keyset pagination: newest first, id breaks ties.
create index transactions_by_date on transactions (household_id, date desc, id desc);
create index transactions_by_account on transactions (household_id, account_id, date desc, id desc);
create index transactions_by_category on transactions (household_id, category_id, date desc, id desc);
create index transactions_pending on transactions (household_id, date desc, id desc) where pending;
-- Most transactions carry no tag: tagged ones are listed apart, newest first (queries add the
-- predicate `tags <> '{}'`), and `tags @> ...` is checked on those rows only.
create index transactions_tagged on transactions (household_id, date desc, id desc) where tags <> '{}';

-- Where each source's sync stands (e.g. a Plaid /transactions/sync cursor per item). Written by
-- applyTransactionBatch in the same transaction as the rows, so rows and cursor commit together
-- even when the source calls the ledger as a service, in a transaction of the ledger's own.
create table source_cursors (
  household_id uuid not null references kernel.households on delete cascade,
  source text not null check (source ~ '^[a-z][a-z0-9-]{1,49}$'),
  key text not null check (char_length(key) between 1 and 255),
  cursor text not null check (char_length(cursor) <= 10000),
  updated_at timestamptz not null default now(),
  primary key (household_id, source, key)
);

-- No trigram or full-text index: under forced row-level security PostgreSQL only uses leakproof
-- operators as index conditions, and ILIKE, @@ and array @> are not. Searching scans newest first
-- in bounded chunks instead (service/list-transactions.ts).

alter table accounts enable row level security;
alter table accounts force row level security;
create policy household_isolation on accounts
  using (household_id = (select kernel.current_household()))
  with check (household_id = (select kernel.current_household()));

alter table account_balances enable row level security;
alter table account_balances force row level security;
create policy household_isolation on account_balances
  using (household_id = (select kernel.current_household()))
  with check (household_id = (select kernel.current_household()));

alter table categories enable row level security;
alter table categories force row level security;
create policy household_isolation on categories
  using (household_id = (select kernel.current_household()))
  with check (household_id = (select kernel.current_household()));

alter table category_pfc enable row level security;
alter table category_pfc force row level security;
create policy household_isolation on category_pfc
  using (household_id = (select kernel.current_household()))
  with check (household_id = (select kernel.current_household()));

alter table source_cursors enable row level security;
alter table source_cursors force row level security;
create policy household_isolation on source_cursors
  using (household_id = (select kernel.current_household()))
  with check (household_id = (select kernel.current_household()));

alter table transactions enable row level security;
alter table transactions force row level security;
create policy household_isolation on transactions
  using (household_id = (select kernel.current_household()))
  with check (household_id = (select kernel.current_household()));
