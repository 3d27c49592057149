-- Savings goals of a household, and a daily snapshot of each goal's progress (for trends).
-- household_id leads every key; row-level security is forced, so a plugin bug cannot show one
-- household another's goals (the kernel refuses to start a plugin whose tables lack it).
create table goals (
  household_id uuid not null default kernel.current_household(),
  id uuid not null default gen_random_uuid(),
  name text not null check (length(name) between 1 and 100),
  target numeric(14, 2) not null check (target > 0),
  saved numeric(14, 2) not null default 0 check (saved >= 0),
  currency char(3) not null check (currency ~ '^[A-Z]{3}$'),
  target_date date,
  reached_at timestamptz,
  created_at timestamptz not null default now(),
  primary key (household_id, id)
);

create table snapshots (
  household_id uuid not null default kernel.current_household(),
  goal_id uuid not null,
  taken_on date not null,
  saved numeric(14, 2) not null,
  -- The goal's saved amount in the household's base currency (null when no rate was available).
  saved_base numeric(14, 2),
  primary key (household_id, goal_id, taken_on),
  foreign key (household_id, goal_id) references goals (household_id, id) on delete cascade
);

alter table goals enable row level security;
alter table goals force row level security;
create policy household_isolation on goals
  using (household_id = (select kernel.current_household()))
  with check (household_id = (select kernel.current_household()));

alter table snapshots enable row level security;
alter table snapshots force row level security;
create policy household_isolation on snapshots
  using (household_id = (select kernel.current_household()))
  with check (household_id = (select kernel.current_household()));
