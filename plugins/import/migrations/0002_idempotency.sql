-- Idempotency-Key for the import API's creating POSTs (upload, confirm, retry; plugin-sdk/idempotency.ts):
-- the first answer to (route, key) is kept with the request's hash, in the transaction that made the
-- import or queued it, so a script retrying after a lost response gets that answer again instead of
-- a second import, and the same key with another request is refused.
create table idempotency_keys (
  household_id uuid not null default kernel.current_household() references kernel.households on delete cascade,
  route text not null check (char_length(route) <= 100),
  key text not null check (char_length(key) between 1 and 255),
  request_hash text not null,
  response jsonb,
  created_at timestamptz not null default now(),
  primary key (household_id, route, key)
);

alter table idempotency_keys enable row level security;
alter table idempotency_keys force row level security;
create policy household_isolation on idempotency_keys
  using (household_id = (select kernel.current_household()))
  with check (household_id = (select kernel.current_household()));
