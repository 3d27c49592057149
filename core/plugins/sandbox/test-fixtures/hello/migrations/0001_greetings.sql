create table greetings (
  household_id uuid not null default kernel.current_household(),
  id serial,
  text text not null,
  primary key (household_id, id)
);
alter table greetings enable row level security;
alter table greetings force row level security;
create policy household_isolation on greetings
  using (household_id = (select kernel.current_household()))
  with check (household_id = (select kernel.current_household()));
