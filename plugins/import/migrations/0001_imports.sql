-- One row per uploaded statement file, from upload through mapping (CSV), preview, confirmation and
-- the import job, to its result. Runs in schema `import` as the owner role.
--
-- The file itself is kept here (content) between upload and the end of the import, never in a
-- hidden form field: it is read again by the preview and by the job. It is deleted when the import
-- finishes, or by the cleanup schedule once expires_at passes for an upload never confirmed.
create table imports (
  household_id uuid not null default kernel.current_household() references kernel.households on delete cascade,
  id uuid not null default gen_random_uuid(),
  created_by uuid,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  expires_at timestamptz not null default now() + interval '1 day',
  filename text not null check (char_length(filename) between 1 and 255),
  size integer not null check (size >= 0),
  sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
  content bytea,
  format text not null check (format in ('ofx', 'qfx', 'qif', 'csv')),
  -- 'auto' or the encoding the user forced (WHATWG label).
  encoding text not null default 'auto' check (char_length(encoding) <= 40),
  csv_mapping jsonb,
  -- The ledger account chosen at upload, if any; targets holds, per account in the file, the
  -- existing ledger account or the new account to create.
  requested_account_id uuid,
  targets jsonb,
  -- mapping: a CSV waiting for its column mapping; ready: previewed, waiting for confirmation;
  -- queued/running: the job; done/failed: its outcome.
  status text not null check (status in ('mapping', 'ready', 'queued', 'running', 'done', 'failed')),
  preview jsonb,
  -- Lines the user chose to import although they look like duplicates of existing transactions.
  forced_lines integer[] not null default '{}',
  job_id text,
  -- What the job writes, fixed at its first run so a retry writes exactly the same rows.
  plan jsonb,
  total integer check (total >= 0),
  done integer not null default 0 check (done >= 0),
  result jsonb,
  error text check (char_length(error) <= 4000),
  started_at timestamptz,
  finished_at timestamptz,
  primary key (household_id, id)
);
create index imports_recent on imports (household_id, created_at desc);
create index imports_by_file on imports (household_id, sha256, created_at desc);

alter table imports enable row level security;
alter table imports force row level security;
create policy household_isolation on imports
  using (household_id = (select kernel.current_household()))
  with check (household_id = (select kernel.current_household()));
