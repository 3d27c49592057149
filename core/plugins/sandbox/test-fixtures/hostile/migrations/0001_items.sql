create table items (
  household_id uuid not null default kernel.current_household(),
  id serial,
  note text not null,
  primary key (household_id, id)
);
alter table items enable row level security;
alter table items force row level security;
create policy household_isolation on items
  using (household_id = (select kernel.current_household()))
  with check (household_id = (select kernel.current_household()));
