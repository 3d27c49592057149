-- The Plaid plugin's own tables (schema `plaid`): connected items and their accounts, the pages of a
-- transactions sync in progress, investment holdings, liability details, and the webhooks already
-- accepted. Access tokens are not here: they are sealed by the kernel's secret store (ctx.secrets).
-- Every table is household-owned with forced row-level security.

create table items (
  household_id uuid not null default kernel.current_household(),
  item_id text not null check (char_length(item_id) between 1 and 100),
  institution_id text,
  institution_name text not null default 'Your bank',
  products text[] not null default '{}',
  -- What the household should know: active, or why it is not (see messages.ts for the words).
  status text not null default 'active'
    check (status in ('active', 'login_required', 'pending_expiration', 'pending_disconnect', 'revoked', 'error')),
  error_code text,
  consent_expires_at timestamptz,
  new_accounts_available boolean not null default false,
  -- The sync: its state, its progress while it pages, and how the last one ended.
  sync_state text not null default 'idle' check (sync_state in ('idle', 'queued', 'running', 'waiting')),
  sync_pages integer not null default 0,
  sync_transactions integer not null default 0,
  sync_started_at timestamptz,
  -- Pages of the staged sync already written to the ledger (see sync/flush.ts).
  flushed_through integer not null default 0,
  last_success_at timestamptz,
  last_error_code text,
  last_error_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (household_id, item_id)
);

create table accounts (
  household_id uuid not null default kernel.current_household(),
  account_id text not null check (char_length(account_id) between 1 and 100),
  item_id text not null,
  ledger_account_id uuid not null,
  name text not null,
  mask text,
  type text not null,
  subtype text,
  primary key (household_id, account_id),
  foreign key (household_id, item_id) references items on delete cascade
);
create index accounts_item on accounts (household_id, item_id);
create index accounts_ledger on accounts (household_id, ledger_account_id);

-- A multi-page /transactions/sync is staged here page by page (each page with the cursor after it,
-- in one transaction), and written to the ledger only once has_more is false: a restart resumes
-- from the last staged page; a mutation during pagination drops the stage and starts again from
-- the ledger's committed cursor (start_cursor), so the ledger only ever sees complete updates.
create table sync_pages (
  household_id uuid not null default kernel.current_household(),
  item_id text not null,
  seq integer not null check (seq >= 1),
  start_cursor text not null,
  next_cursor text not null,
  has_more boolean not null,
  -- Ledger-ready rows (SourceTransaction) of added and modified, and removed keys.
  upserts jsonb not null,
  removed jsonb not null,
  primary key (household_id, item_id, seq),
  foreign key (household_id, item_id) references items on delete cascade
);

create table securities (
  household_id uuid not null default kernel.current_household(),
  security_id text not null,
  name text,
  ticker text,
  type text,
  close_price numeric,
  close_price_as_of date,
  currency text,
  primary key (household_id, security_id)
);

create table holdings (
  household_id uuid not null default kernel.current_household(),
  account_id text not null,
  security_id text not null,
  quantity numeric not null,
  price numeric,
  value numeric,
  cost_basis numeric,
  currency text,
  as_of date,
  primary key (household_id, account_id, security_id),
  foreign key (household_id, account_id) references accounts on delete cascade
);

create table liabilities (
  household_id uuid not null default kernel.current_household(),
  account_id text not null,
  kind text not null check (kind in ('credit', 'mortgage', 'student')),
  -- The fields Plaid reports for this kind (APRs, minimum payment, due dates, interest rate...).
  details jsonb not null,
  updated_at timestamptz not null default now(),
  primary key (household_id, account_id, kind),
  foreign key (household_id, account_id) references accounts on delete cascade
);

-- Webhooks accepted, by the hash of their signed content, until they would be stale anyway: a
-- replay is refused even across restarts and processes.
create table webhooks_seen (
  household_id uuid not null default kernel.current_household(),
  id text not null,
  forget_after timestamptz not null,
  primary key (household_id, id)
);

do $$
declare
  t text;
begin
  foreach t in array array['items', 'accounts', 'sync_pages', 'securities', 'holdings', 'liabilities', 'webhooks_seen'] loop
    execute format('alter table %I enable row level security', t);
    execute format('alter table %I force row level security', t);
    execute format($p$create policy household_isolation on %I
      using (household_id = (select kernel.current_household()))
      with check (household_id = (select kernel.current_household()))$p$, t);
  end loop;
end $$;
