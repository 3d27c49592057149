-- Budgets of a household and the alerts they raised. Runs in schema `budgets`.
-- household_id leads every key; row-level security is forced. Categories live in the ledger
-- (ledger.categories); a budget names one by id without a foreign key across plugins, and counts
-- nothing if that category is deleted (the page says so).

create table budgets (
  household_id uuid not null default kernel.current_household() references kernel.households on delete cascade,
  id uuid not null default gen_random_uuid(),
  -- A category, or a category group: then every category of the group counts toward it.
  category_id uuid not null,
  -- Shown instead of the category's name when set.
  name text check (char_length(name) between 1 and 100),
  amount numeric not null check (amount > 0 and amount < 1e15),
  -- Only transactions in this currency count (no exchange rates here); the household's by default.
  currency text not null check (currency ~ '^[A-Z][A-Z0-9]{2,9}$'),
  period_type text not null check (period_type in ('monthly', 'quarterly', 'annual', 'custom')),
  -- The first period: a month, a quarter or a year, from which the budget recurs; or one custom span.
  year integer check (year between 1900 and 9999),
  month integer check (month between 1 and 12),
  quarter integer check (quarter between 1 and 4),
  start_date date,
  end_date date,
  -- What is left (or overspent) at the end of a period carries into the next one.
  rollover boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (household_id, id),
  constraint budgets_period check (case period_type
    when 'monthly' then year is not null and month is not null and quarter is null and start_date is null and end_date is null
    when 'quarterly' then year is not null and quarter is not null and month is null and start_date is null and end_date is null
    when 'annual' then year is not null and month is null and quarter is null and start_date is null and end_date is null
    when 'custom' then start_date is not null and end_date is not null and start_date < end_date
                       and year is null and month is null and quarter is null
  end),
  constraint budgets_rollover check (not (rollover and period_type = 'custom'))
);
create index budgets_category on budgets (household_id, category_id);

-- "Crossed 80% / 100%" once per budget and period: the primary key makes the second crossing of
-- the same threshold in the same period a no-op, so the event is emitted once.
create table budget_alerts (
  household_id uuid not null default kernel.current_household(),
  budget_id uuid not null,
  period_start date not null,
  period_end date not null,
  threshold smallint not null check (threshold in (80, 100)),
  spent numeric not null,
  available numeric not null,
  created_at timestamptz not null default now(),
  primary key (household_id, budget_id, period_start, threshold),
  foreign key (household_id, budget_id) references budgets on delete cascade
);
create index budget_alerts_recent on budget_alerts (household_id, created_at desc);

alter table budgets enable row level security;
alter table budgets force row level security;
create policy household_isolation on budgets
  using (household_id = (select kernel.current_household()))
  with check (household_id = (select kernel.current_household()));

alter table budget_alerts enable row level security;
alter table budget_alerts force row level security;
create policy household_isolation on budget_alerts
  using (household_id = (select kernel.current_household()))
  with check (household_id = (select kernel.current_household()));
