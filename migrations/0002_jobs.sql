-- Job bus (core/jobs/): progress that a running job reports, for UIs to show progress bars.
-- The jobs themselves live in pg-boss's own schema (pgboss), installed by core/jobs/schema.ts.

create table kernel.job_progress (
  household_id uuid not null references kernel.households on delete cascade,
  job_id uuid not null,
  queue text not null,
  done numeric not null default 0 check (done >= 0),
  total numeric check (total is null or total >= 0),
  message text check (length(message) <= 500),
  updated_at timestamptz not null default now(),
  primary key (household_id, job_id)
);
create index job_progress_age on kernel.job_progress (household_id, updated_at);

alter table kernel.job_progress enable row level security;
alter table kernel.job_progress force row level security;
create policy household_isolation on kernel.job_progress
  using (household_id = (select kernel.current_household()))
  with check (household_id = (select kernel.current_household()));

grant select, insert, update, delete on kernel.job_progress to mff_app;

-- A schedule (cron) runs its handler once per household. Listing the households to fan out to is
-- the one read the owner role needs across households: it gets exactly that (ids, select only).
-- The app role is a member of no role, so it cannot use this policy.
create policy owner_lists_households on kernel.households for select to mff_owner using (true);
