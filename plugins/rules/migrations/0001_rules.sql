-- Categorization rules of a household, and the runs of "apply to existing transactions".
-- Runs in schema `rules`. household_id leads every key; row-level security is forced, so one
-- household can never read or change another's rules, whatever a query says.

create table rules (
  household_id uuid not null default kernel.current_household() references kernel.households on delete cascade,
  id uuid not null default gen_random_uuid(),
  name text not null check (char_length(name) between 1 and 100),
  -- Rules run by stage (pre, default, post), then by position inside the stage.
  stage text not null default 'default' check (stage in ('pre', 'default', 'post')),
  position integer not null check (position >= 0),
  match text not null default 'all' check (match in ('all', 'any')),
  -- Validated by the plugin's zod schema (engine/schema.ts) before they are stored.
  conditions jsonb not null check (jsonb_typeof(conditions) = 'array' and jsonb_array_length(conditions) between 1 and 50),
  actions jsonb not null check (jsonb_typeof(actions) = 'array' and jsonb_array_length(actions) between 1 and 20),
  enabled boolean not null default true,
  -- How many times the rule was applied to a transaction (new or modified ones, and apply-to-existing).
  fired_count bigint not null default 0 check (fired_count >= 0),
  last_fired_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (household_id, id),
  -- Deferred, so a reorder can swap positions inside one transaction.
  constraint rules_position unique (household_id, stage, position) deferrable initially deferred
);

-- One "apply to existing" run: what it was asked to do and how far it got (the UI polls it).
create table apply_runs (
  household_id uuid not null default kernel.current_household() references kernel.households on delete cascade,
  id uuid not null default gen_random_uuid(),
  -- The rules applied (null: every enabled rule) and the date range (null: all dates).
  rule_ids uuid[],
  date_from date,
  date_to date,
  status text not null default 'queued' check (status in ('queued', 'running', 'done', 'failed')),
  -- What the preview promised, so the run's result can be compared with it.
  previewed integer check (previewed >= 0),
  total integer check (total >= 0),
  done integer not null default 0 check (done >= 0),
  changed integer not null default 0 check (changed >= 0),
  error text check (char_length(error) <= 2000),
  job_id text,
  created_by uuid,
  created_at timestamptz not null default now(),
  started_at timestamptz,
  finished_at timestamptz,
  primary key (household_id, id)
);
create index apply_runs_recent on apply_runs (household_id, created_at desc);

alter table rules enable row level security;
alter table rules force row level security;
create policy household_isolation on rules
  using (household_id = (select kernel.current_household()))
  with check (household_id = (select kernel.current_household()));

alter table apply_runs enable row level security;
alter table apply_runs force row level security;
create policy household_isolation on apply_runs
  using (household_id = (select kernel.current_household()))
  with check (household_id = (select kernel.current_household()));
